'use client';
import { useState } from 'react';
'use server';

export function Toolbar() {
  const [open, setOpen] = useState(false);
  return <button onClick={() => setOpen(!open)}>menu</button>;
}
