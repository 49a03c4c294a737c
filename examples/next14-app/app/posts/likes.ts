// The 'use server' below stands after the imports, where Next does not read it (its build stops
// here); nsa-migrate's directive-placement moves it up.
import { revalidatePath } from 'next/cache';
import { store } from '@/lib/store';

'use server';

export async function likePost(formData: FormData) {
  const id = String(formData.get('id') ?? '');
  await store.like(id);
  revalidatePath(`/posts/${id}`);
}
