'use client';

import { store } from '../store';

export function PostItem({ id }: { id: number }) {
  async function deletePost() {
    'use server';
    await store.remove(id);
  }

  return (
    <form action={deletePost}>
      <button type="submit">Delete</button>
    </form>
  );
}
