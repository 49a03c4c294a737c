import { redirect } from 'next/navigation';
import { store } from './store';

'use server';

export async function createPost(formData: FormData) {
  try {
    const post = await store.create(String(formData.get('title')));
    redirect(`/posts/${post.id}`);
  } catch (err) {
    console.error('createPost failed', err);
  }
}

export function pinPost(formData: FormData) {
  store.pin(String(formData.get('id')));
}
