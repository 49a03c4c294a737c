// Minimal types of the application modules the redirect-outside-try fixtures import.
declare module '@/lib/db' {
  export interface Post {
    id: string;
    slug: string;
    title: string;
  }
  export const db: {
    post: {
      create(args: { data: { title: string } }): Promise<Post>;
      findUnique(args: { where: { id?: string; slug?: string } }): Promise<Post | null>;
      delete(args: { where: { id: string } }): Promise<Post>;
      rename(args: { where: { id: string }; title: string }): Promise<Post>;
      publish(args: { where: { slug: string } }): Promise<Post>;
      archive(args: { where: { id: string } }): Promise<void>;
    };
    session: { clear(): Promise<void> };
    lock(): Promise<{ release(): Promise<void> }>;
  };
}

declare module '@/lib/auth' {
  export function auth(): Promise<{ user: { id: string; role: string } } | null>;
}

// JSX without React's types: any element, any attribute.
declare namespace JSX {
  interface Element {}
  interface IntrinsicElements {
    [name: string]: any;
  }
}

declare module 'next-auth' {
  export class AuthError extends Error {
    type: 'CredentialsSignin' | 'CallbackRouteError';
  }
}

declare module '@/auth' {
  export function signIn(provider: string, data: FormData): Promise<void>;
}

// NextAuth v5, as the fixtures of its signIn()/signOut() use it.
declare module 'next-auth' {
  export class AuthError extends Error {
    type: string;
  }
  type Helpers = {
    handlers: { GET: unknown; POST: unknown };
    signIn(provider?: string, options?: unknown): Promise<void>;
    signOut(options?: { redirectTo?: string }): Promise<void>;
    auth(): Promise<unknown>;
  };
  export default function NextAuth(config: unknown): Helpers;
}

declare module 'next-auth/providers/credentials' {
  export default function Credentials(options: unknown): unknown;
}

declare module 'next-auth/react' {
  export function signIn(provider?: string): Promise<void>;
}

declare module '@/auth' {
  export function signIn(provider?: string, options?: unknown): Promise<void>;
  export function signOut(options?: { redirectTo?: string }): Promise<void>;
}

declare module '@/lib/session' {
  export function signOut(options?: { redirectTo?: string }): Promise<void>;
}
