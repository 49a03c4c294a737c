// No 'use server' here: the client form imports this module, so without the directive its
// actions would be bundled into the browser (missing-use-server adds it).
import { revalidatePath } from 'next/cache';
import { noteStore } from '@/lib/notes';

export type NoteState = {
  errors?: { text?: string[] };
  message?: string | null;
};

export async function addNote(prevState: NoteState, formData: FormData) {
  const text = String(formData.get('text') ?? '').trim();
  if (!text) {
    return { errors: { text: ['Write something.'] }, message: 'Missing fields.' };
  }
  await noteStore.add(text);
  revalidatePath('/notes');
  return { message: 'Added.' };
}

// A form action that returns a value, as next-learn's deleteInvoice did (TS2322 on React 19).
export async function deleteNote(id: string) {
  try {
    await noteStore.remove(id);
    revalidatePath('/notes');
    return { message: 'Deleted note.' };
  } catch (error) {
    return { message: 'Failed to delete the note.' };
  }
}
