// Minimal types of the Next and database modules the project rules' fixtures import, with Next
// 15's signatures; React's own types come from @types/react 19.
declare module 'next/cache' {
  export function revalidatePath(path: string, type?: 'layout' | 'page'): void;
  export function revalidateTag(tag: string): void;
}

declare module 'next/navigation' {
  export function redirect(url: string): never;
  export function permanentRedirect(url: string): never;
  export function notFound(): never;
}

declare module 'next/headers' {
  export function cookies(): Promise<{ get(name: string): { value: string } | undefined; set(name: string, value: string): void }>;
}

declare module '@vercel/postgres' {
  export function sql(strings: TemplateStringsArray, ...values: unknown[]): Promise<{ rows: unknown[] }>;
}
