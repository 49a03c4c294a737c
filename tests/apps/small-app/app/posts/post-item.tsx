'use client';

import { revalidatePath } from 'next/cache';
import { db } from '../../lib/db';

export function PostItem({ post }: { post: { id: string; title: string } }) {
  async function deletePost() {
    'use server';
    await db.posts.remove(post.id);
    revalidatePath('/posts');
  }

  return (
    <li>
      {post.title}
      <form action={deletePost}>
        <button>Delete</button>
      </form>
    </li>
  );
}
