// Notes for the next-learn shapes of the example: kept on globalThis, like the posts, so every
// route bundle of the running server shares one copy.
export type Note = { id: string; text: string };

type GlobalWithNotes = typeof globalThis & { __nextAppNotes?: Map<string, Note> };

const g = globalThis as GlobalWithNotes;

const notes: Map<string, Note> = (g.__nextAppNotes ??= new Map<string, Note>());

export const noteStore = {
  async list(): Promise<Note[]> {
    return Array.from(notes.values());
  },

  async add(text: string): Promise<Note> {
    const note = { id: crypto.randomUUID().slice(0, 8), text };
    notes.set(note.id, note);
    return note;
  },

  async remove(id: string): Promise<void> {
    notes.delete(id);
  },

  async clear(): Promise<void> {
    notes.clear();
  },
};
