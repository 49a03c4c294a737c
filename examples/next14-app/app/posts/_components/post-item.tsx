'use client';

import Link from 'next/link';
import { revalidatePath } from 'next/cache';
import { store, type Post } from '@/lib/store';

export function PostItem({ post }: { post: Post }) {
  async function deletePost() {
    'use server';
    await store.remove(post.id);
    revalidatePath('/posts');
  }

  return (
    <li data-post-id={post.id}>
      <Link href={`/posts/${post.id}`}>{post.title}</Link>{' '}
      <form
        action={deletePost}
        style={{ display: 'inline' }}
        onSubmit={(event) => {
          if (!window.confirm(`Delete "${post.title}"?`)) {
            event.preventDefault();
          }
        }}
      >
        <button type="submit">Delete</button>
      </form>
    </li>
  );
}
