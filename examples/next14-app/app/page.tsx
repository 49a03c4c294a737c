import Link from 'next/link';

export default function HomePage() {
  return (
    <>
      <h1>Posts demo</h1>
      <p>
        A tiny blog built with Server Actions. <Link href="/posts">See all posts</Link>, or the{' '}
        <Link href="/notes">notes</Link>.
      </p>
    </>
  );
}
