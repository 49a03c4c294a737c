'use client';

import { deletePost } from './actions';

export function PostItem({ id }: { id: number }) {
  return (
    <form action={deletePost.bind(null, id)}>
      <button type="submit">Delete</button>
    </form>
  );
}
