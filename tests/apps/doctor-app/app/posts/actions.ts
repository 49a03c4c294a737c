import { z } from 'zod';
import { revalidatePath } from 'next/cache';
import { db } from '@/lib/db';

'use server';

export const postSchema = z.object({ title: z.string().min(1) });

export function createPost(formData: FormData) {
  const post = postSchema.parse({ title: formData.get('title') });
  db.posts.insert(post);
  revalidatePath('/posts');
}

export function countPosts(): number {
  return db.posts.count();
}
