'use server';

import { store } from '../store';

export async function deletePost(id: number) {
  await store.remove(id);
}
