type Post = { id: string; title: string };
const posts = new Map<string, Post>();

export const db = {
  posts: {
    async list() {
      return [...posts.values()];
    },
    async create({ title }: { title: string }) {
      const post = { id: String(posts.size + 1), title };
      posts.set(post.id, post);
      return post;
    },
    async remove(id: string) {
      posts.delete(id);
    },
  },
};
