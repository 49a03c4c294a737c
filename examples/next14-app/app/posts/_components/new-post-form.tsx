'use client';

import { useFormState, useFormStatus } from 'react-dom';
import { createPost, type State } from '../actions';

const initialState: State = {};

function SubmitButton() {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending}>
      {pending ? 'Saving…' : 'Create post'}
    </button>
  );
}

export function NewPostForm() {
  const [state, formAction] = useFormState(createPost, initialState);

  return (
    <form action={formAction}>
      <label htmlFor="title">Title</label> <input id="title" name="title" type="text" />{' '}
      <SubmitButton />
      {state.error ? (
        <p role="alert" style={{ color: 'crimson' }}>
          {state.error}
        </p>
      ) : null}
    </form>
  );
}
