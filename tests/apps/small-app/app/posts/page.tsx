import { db } from '../../lib/db';
import { NewPostForm } from './new-post-form';
import { PostItem } from './post-item';

export default async function PostsPage() {
  const posts = await db.posts.list();
  return (
    <main>
      <NewPostForm />
      <ul>{posts.map((post) => <PostItem key={post.id} post={post} />)}</ul>
    </main>
  );
}
