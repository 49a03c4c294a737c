'use client';

import { useFormState, useFormStatus } from 'react-dom';
import { createPost, type State } from './actions';

function Submit() {
  const { pending } = useFormStatus();
  return <button disabled={pending}>Create</button>;
}

export function NewPostForm() {
  const [state, formAction] = useFormState<State, FormData>(createPost, { error: null });
  return (
    <form action={formAction}>
      <input name="title" />
      {state.error && <p role="alert">{state.error}</p>}
      <Submit />
    </form>
  );
}
