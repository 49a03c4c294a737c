'use server';

export async function legacy() {
  return 1;
}
