'use server';

import { revalidatePath } from 'next/cache';
import { store } from '@/lib/store';

// Not async, which Next's build rejects in a 'use server' module; nsa-migrate's
// async-server-exports makes it async (a form action: nothing sees the difference).
export function pinPost(formData: FormData) {
  const id = String(formData.get('id') ?? '');
  store.pin(id);
  revalidatePath(`/posts/${id}`);
}
