import { noteStore } from '@/lib/notes';
import { deleteNote } from './note-actions';
import { NoteForm } from './note-form';

export const dynamic = 'force-dynamic';

export default async function NotesPage() {
  const notes = await noteStore.list();

  return (
    <>
      <h1>Notes</h1>
      <NoteForm />
      {notes.length === 0 ? (
        <p>No notes yet.</p>
      ) : (
        <ul>
          {notes.map((note) => {
            const deleteNoteWithId = deleteNote.bind(null, note.id);
            return (
              <li key={note.id} data-note-id={note.id}>
                {note.text}{' '}
                <form action={deleteNoteWithId} style={{ display: 'inline' }}>
                  <button type="submit">Delete note</button>
                </form>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
