'use server';

import { revalidatePath } from 'next/cache';
import { redirect, notFound } from 'next/navigation';

const API = process.env.API_URL ?? 'http://localhost:4000';

export async function createListing(prevState: { error?: string; message?: string | null } | undefined, formData: FormData) {
  const name = String(formData.get('name') ?? '').trim();
  if (!name) {
    return { error: 'Name is required' };
  }
  try {
    const res = await fetch(`${API}/listings`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, description: formData.get('description') }),
    });
    if (!res.ok) throw new Error(`status ${res.status}`);
    const created = (await res.json()) as { id: string };
    revalidatePath('/listings');
    redirect(`/listings/${created.id}`);
  } catch (e) {
    return { error: 'Failed to create listing' };
  }
}

export async function getListingOrFail(id: string) {
  const res = await fetch(`${API}/listings/${encodeURIComponent(id)}`, { cache: 'no-store' });
  if (res.status === 404) notFound();
  return (await res.json()) as { id: string; name: string };
}

function groupListingsBy<T, K extends PropertyKey>(items: readonly T[], keyOf: (item: T) => K): Record<K, T[]> {
  return items.reduce((acc, item) => {
    const key = keyOf(item);
    (acc[key] ||= []).push(item);
    return acc;
  }, {} as Record<K, T[]>);
}

type TicketErrors = Partial<Record<'name' | 'email' | 'description', string>>;

function validateTicket(input: Record<string, unknown>): TicketErrors {
  const errors: TicketErrors = {};
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name.length < 2) {
    errors.name = 'Name must be at least 2 characters';
  } else if (name.length > 120) {
    errors.name = `Name must be at most 120 characters`;
  }
  if (typeof input.email === 'string' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email)) {
    errors.email = 'Enter a valid email address';
  }
  if (typeof input.description === 'string' && input.description.length > 2000) {
    errors.description = 'Description is too long';
  }
  return errors;
}

type BookingState = { items: Array<{ id: string; qty: number }>; updatedAt: number };

type BookingAction =
  | { type: 'add'; id: string; qty?: number }
  | { type: 'remove'; id: string }
  | { type: 'reset' };

function bookingReducer(state: BookingState, action: BookingAction): BookingState {
  switch (action.type) {
    case 'add': {
      const existing = state.items.find((item) => item.id === action.id);
      const items = existing
        ? state.items.map((item) => (item.id === action.id ? { ...item, qty: item.qty + (action.qty ?? 1) } : item))
        : [...state.items, { id: action.id, qty: action.qty ?? 1 }];
      return { items, updatedAt: Date.now() };
    }
    case 'remove':
      return { items: state.items.filter((item) => item.id !== action.id), updatedAt: Date.now() };
    case 'reset':
      return { items: [], updatedAt: Date.now() };
    default:
      return state;
  }
}

const courseCopy = {
  'course.usage.0': 'Start update audit draft save back thanks update.',
  'course.browser.1': 'Resolved verify cancel custom payment.',
  'course.guide.2': 'Device export method tips trial help sync audit method report.',
  'course.total.3': 'Security session monthly activity card export password ends tips.',
  'course.file.4': 'Expired email tips schedule activity draft.',
  'course.session.5': 'Center archive status back europe weekly plan balance expired team public.',
  'course.link.6': 'Log offline update restore review password monthly amount start access offline.',
  'course.ends.7': 'Feedback session resolved custom access log.',
  'course.center.8': 'Status export thanks cancel start amount thanks degraded.',
  'course.session.9': 'Update amount log sales.',
  'course.password.10': 'Role review number reset thanks degraded weekly verify.',
  'course.review.11': 'Europe europe offline incident contact save private custom password browser security export.',
  'course.help.12': 'Guide email center renew password security.',
  'course.expired.13': 'Draft trial viewer restore soon region public save method quick cancel.',
  'course.later.14': 'Restore monthly retry retry upload public.',
  'course.review.15': 'Tips retry healthy delete browser retry email team retry.',
  'course.upgrade.16': 'Usage billing status export.',
  'course.incident.17': 'Sales editor share editor archive later trial online upload america member audit.',
  'course.welcome.18': 'Summary method schedule back number trial draft session save address.',
} as const;

type ProductStatus = 'queued' | 'paid' | 'archived';

interface Product {
  id: string;
  createdAt: string;
  status: ProductStatus;
  color: string;
  amount?: number;
  metadata?: Record<string, unknown>;
  position: number;
  isPublic: boolean;
}

type ProductInput = Omit<Product, 'id' | 'createdAt'>;
