// Minimal types of the parts of `next/navigation` the redirect-outside-try fixtures use,
// with Next 15's signatures: the throwing helpers return `never`.
declare module 'next/navigation' {
  export enum RedirectType {
    push = 'push',
    replace = 'replace',
  }
  export function redirect(url: string, type?: RedirectType): never;
  export function permanentRedirect(url: string, type?: RedirectType): never;
  export function notFound(): never;
  export function forbidden(): never;
  export function unauthorized(): never;
  export function unstable_rethrow(error: unknown): void;
}

declare module 'next/cache' {
  export function revalidatePath(path: string, type?: 'layout' | 'page'): void;
}

declare module 'next/dist/client/components/redirect' {
  export function isRedirectError(error: unknown): boolean;
}

declare module 'next/dist/client/components/not-found' {
  export function isNotFoundError(error: unknown): boolean;
}
