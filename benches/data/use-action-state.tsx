'use client';

import { useFormState } from 'react-dom';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { createTrack } from './actions';

function SubmitButton() {
  return (
    <button type="submit" className="rounded bg-black px-3 py-1.5 text-white">
      Save track
    </button>
  );
}

type TrackFormState = { message: string | null; errors?: Partial<Record<'name' | 'description', string[]>> };

const initialState: TrackFormState = { message: null };

export default function CreateTrackForm({ defaultName = '' }: { defaultName?: string }) {
  const [state, formAction] = useFormState(createTrack, initialState);
  return (
    <form action={formAction} className="space-y-3">
      <div>
        <label htmlFor="track-name" className="block text-sm font-medium">
          Name
        </label>
        <input id="track-name" name="name" defaultValue={defaultName} required className="mt-1 w-full rounded border px-2 py-1" />
        {state.errors?.name ? <p className="text-sm text-red-600">{state.errors.name[0]}</p> : null}
      </div>
      <div>
        <label htmlFor="track-description" className="block text-sm font-medium">
          Description
        </label>
        <textarea id="track-description" name="description" rows={3} className="mt-1 w-full rounded border px-2 py-1" />
      </div>
      <SubmitButton />
      <p aria-live="polite" className="text-sm text-gray-600">
        {state.message}
      </p>
    </form>
  );
}

type ApiContract = { id: string; display_name: string | null; updated_at: string; owner?: { id: string; email: string } };

export type ContractRow = { id: string; label: string; updated: string; ownerEmail: string };

export function toContractRow(input: ApiContract): ContractRow {
  return {
    id: input.id,
    label: input.display_name ?? 'Untitled',
    updated: new Date(input.updated_at).toISOString().slice(0, 10),
    ownerEmail: input.owner?.email ?? 'unknown',
  };
}

export function toContractRows(inputs: ApiContract[]): ContractRow[] {
  return inputs.map(toContractRow).sort((a, b) => b.updated.localeCompare(a.updated));
}

type MemberColumn = { key: string; header: string; align?: 'left' | 'right' };

const memberColumns: MemberColumn[] = [
  { key: 'name', header: 'Name' },
  { key: 'status', header: 'Status' },
  { key: 'owner', header: 'Owner' },
  { key: 'amount', header: 'Amount', align: 'right' },
];

function MemberTable({ rows }: { rows: Array<Record<string, string | number>> }) {
  if (rows.length === 0) {
    return <p className="py-8 text-center text-sm text-gray-500">No members found.</p>;
  }
  return (
    <table className="w-full text-sm">
      <thead>
        <tr>
          {memberColumns.map((column) => (
            <th key={column.key} className={column.align === 'right' ? 'text-right' : 'text-left'}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={String(row.id ?? index)} className="border-t">
            {memberColumns.map((column) => (
              <td key={column.key} className="px-2 py-1.5">
                {row[column.key] ?? '-'}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function formatInvoiceAmount(value: number, currency = 'USD', locale = 'en-US'): string {
  if (!Number.isFinite(value)) return '-';
  return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 2 }).format(value / 100);
}

function formatInvoiceDate(iso: string | null | undefined, locale = 'en-US'): string {
  if (!iso) return 'Never';
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? 'Invalid date'
    : date.toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric' });
}

async function* iterateChannels(pageSize = 351): AsyncGenerator<Array<{ id: string }>, void, unknown> {
  let page = 1;
  while (true) {
    const res = await fetch(`/api/channels?page=${page}&pageSize=${pageSize}`);
    if (!res.ok) return;
    const batch = (await res.json()) as Array<{ id: string }>;
    if (batch.length === 0) return;
    yield batch;
    page += 1;
  }
}

export function TicketDialog({ title, children }: { title: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') close();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, close]);

  return (
    <>
      <button type="button" onClick={() => setOpen(true)} className="rounded border px-3 py-1.5">
        {title}
      </button>
      {open && (
        <div role="dialog" aria-modal="true" aria-labelledby="ticket-dialog-title" className="fixed inset-0 grid place-items-center bg-black/40">
          <div className="w-full max-w-md rounded-lg bg-white p-6">
            <h2 id="ticket-dialog-title" className="text-lg font-semibold">
              {title}
            </h2>
            <div className="mt-4">{children}</div>
            <button type="button" onClick={close} className="mt-6 text-sm underline">
              Close
            </button>
          </div>
        </div>
      )}
    </>
  );
}
