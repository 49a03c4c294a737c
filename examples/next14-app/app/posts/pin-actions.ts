'use server';

import { revalidatePath } from 'next/cache';
import { store } from '@/lib/store';

// Not async: "Only async functions are allowed to be exported in a "use server" file."
// nsa-migrate's async-server-exports makes it async (a form action: nothing sees the difference).
export function pinPost(formData: FormData) {
  const id = String(formData.get('id') ?? '');
  store.pin(id);
  revalidatePath(`/posts/${id}`);
}
