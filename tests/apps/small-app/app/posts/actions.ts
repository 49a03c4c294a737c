'use server';

import { redirect } from 'next/navigation';
import { revalidatePath } from 'next/cache';
import { db } from '../../lib/db';

export type State = { error: string | null };

export async function createPost(prev: State, formData: FormData): Promise<State> {
  const title = String(formData.get('title') ?? '');
  if (!title) {
    return { error: 'Title is required' };
  }
  try {
    const post = await db.posts.create({ title });
    revalidatePath('/posts');
    redirect(`/posts/${post.id}`);
  } catch (err) {
    return { error: 'Failed to create post' };
  }
}
