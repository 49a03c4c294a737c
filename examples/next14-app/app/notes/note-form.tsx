'use client';

import { useFormState } from 'react-dom';
import { addNote } from './note-actions';
import { clearNotes } from './clear-actions';

export function NoteForm() {
  // Untyped, as in next-learn's create-form: React 19's types then reject the call (TS2769).
  const initialState = { message: null, errors: {} };
  const [state, formAction] = useFormState(addNote, initialState);

  return (
    <>
      <form action={formAction}>
        <label htmlFor="text">Note</label> <input id="text" name="text" type="text" />{' '}
        <button type="submit">Add note</button>
        {state.errors?.text ? (
          <p role="alert" style={{ color: 'crimson' }}>
            {state.errors.text.join(' ')}
          </p>
        ) : null}
      </form>
      {/* A Server Action on onClick: React passes it the click event. */}
      <button type="button" onClick={clearNotes}>
        Clear notes
      </button>
    </>
  );
}
