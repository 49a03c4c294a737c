'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { store } from '@/lib/store';

export type State = {
  error?: string;
};

export async function createPost(prevState: State, formData: FormData): Promise<State> {
  const title = String(formData.get('title') ?? '').trim();
  if (!title) {
    return { error: 'Title is required' };
  }

  try {
    const post = await store.create(title);
    revalidatePath('/posts');
    redirect(`/posts/${post.id}`);
  } catch (err) {
    console.error('createPost failed', err);
    return { error: 'Failed to create post' };
  }
}
