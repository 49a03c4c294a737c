export const store = {
  async create(title: string) {
    return { id: title.length, title };
  },
  pin(id: string) {
    return id;
  },
  async remove(id: number) {
    return id;
  },
};
