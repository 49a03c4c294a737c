// A tiny in-memory post store. It lives on globalThis so that every route
// bundle of the running server (pages and Server Actions) shares one copy.
export type Post = {
  id: string;
  title: string;
  createdAt: string;
  likes?: number;
  pinned?: boolean;
};

type GlobalWithStore = typeof globalThis & { __nextAppPosts?: Map<string, Post> };

const g = globalThis as GlobalWithStore;

const posts: Map<string, Post> = (g.__nextAppPosts ??= new Map<string, Post>([
  ['welcome', { id: 'welcome', title: 'Welcome to the blog', createdAt: '2024-05-01T09:00:00.000Z' }],
]));

function newId(): string {
  return crypto.randomUUID().replace(/-/g, '').slice(0, 10);
}

export const store = {
  async list(): Promise<Post[]> {
    return Array.from(posts.values()).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  },

  async get(id: string): Promise<Post | undefined> {
    return posts.get(id);
  },

  async create(title: string): Promise<Post> {
    const post: Post = { id: newId(), title, createdAt: new Date().toISOString() };
    posts.set(post.id, post);
    return post;
  },

  async remove(id: string): Promise<void> {
    posts.delete(id);
  },

  async like(id: string): Promise<void> {
    const post = posts.get(id);
    if (post) post.likes = (post.likes ?? 0) + 1;
  },

  // Synchronous on purpose: the pin action that calls it was written without `async`.
  pin(id: string): void {
    const post = posts.get(id);
    if (post) post.pinned = true;
  },
};
