export default function Contact() {
  async function send(formData: FormData) {
    'use server';
    await fetch('/api/contact', { method: 'POST', body: formData });
  }
  return <form action={send} />;
}
