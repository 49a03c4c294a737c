'use server';

import { redirect } from 'next/navigation';
import { store } from './store';

export async function createPost(formData: FormData) {
  let redirectPath: string | null = null;
  try {
    const post = await store.create(String(formData.get('title')));
    redirectPath = `/posts/${post.id}`;
  } catch (err) {
    console.error('createPost failed', err);
  }
  if (redirectPath) redirect(redirectPath);
}

export async function pinPost(formData: FormData) {
  store.pin(String(formData.get('id')));
}
