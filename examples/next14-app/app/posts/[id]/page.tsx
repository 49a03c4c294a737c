import Link from 'next/link';
import { notFound } from 'next/navigation';
import { store, type Post } from '@/lib/store';
import { likePost } from '../likes';
import { pinPost } from '../pin-actions';

export const dynamic = 'force-dynamic';

type PostPageProps = {
  // Typed as a Promise (and awaited) so this page already matches the Next 15
  // PageProps contract; on Next 14 `params` is a plain object and awaiting it is a no-op.
  params: Promise<{ id: string }>;
};

export default async function PostPage({ params }: PostPageProps) {
  const { id } = await params;

  let post: Post | undefined;
  try {
    post = await store.get(id);
    if (!post) notFound();
  } catch (err) {
    console.error('Failed to load post', err);
    return <p>Sorry, this post could not be loaded.</p>;
  }

  return (
    <article>
      <h1>{post.title}</h1>
      <p>
        Published <time dateTime={post.createdAt}>{post.createdAt.slice(0, 10)}</time>
      </p>
      <form action={likePost}>
        <input type="hidden" name="id" value={post.id} />
        <button type="submit">Like</button> <output aria-label="Likes">{post.likes ?? 0}</output>
      </form>
      <form action={pinPost}>
        <input type="hidden" name="id" value={post.id} />
        {post.pinned ? <strong>Pinned</strong> : <button type="submit">Pin</button>}
      </form>
      <Link href="/posts">Back to all posts</Link>
    </article>
  );
}
