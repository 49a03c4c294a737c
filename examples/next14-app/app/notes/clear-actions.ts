'use server';

import { revalidatePath } from 'next/cache';
import { noteStore } from '@/lib/notes';

export async function clearNotes() {
  await noteStore.clear();
  revalidatePath('/notes');
}
