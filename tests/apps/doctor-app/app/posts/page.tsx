import { db } from '@/lib/db';
import { createPost } from './actions';

export default function Posts() {
  function remove(formData: FormData) {
    const id = String(formData.get('id'));
    'use sever';
    db.posts.remove(id);
  }
  return (
    <>
      <form action={createPost}>
        <input name="title" />
      </form>
      <form action={remove}>
        <input name="id" />
      </form>
    </>
  );
}
