'use client';

import { useFormState } from 'react-dom';
import { createPost } from './actions';

export function NewPostForm() {
  const [state, formAction] = useFormState(createPost, null);
  return <form action={formAction}>{String(state)}</form>;
}
