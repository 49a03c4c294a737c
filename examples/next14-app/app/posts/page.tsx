import { store } from '@/lib/store';
import { NewPostForm } from './_components/new-post-form';
import { PostItem } from './_components/post-item';

export const dynamic = 'force-dynamic';

export default async function PostsPage() {
  const posts = await store.list();

  return (
    <>
      <h1>Posts</h1>
      <NewPostForm />
      {posts.length === 0 ? (
        <p>No posts yet.</p>
      ) : (
        <ul>
          {posts.map((post) => (
            <PostItem key={post.id} post={post} />
          ))}
        </ul>
      )}
    </>
  );
}
