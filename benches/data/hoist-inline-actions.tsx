'use client';

import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { revalidatePath } from 'next/cache';

type TrackItem = { id: string; title: string; status: 'overdue' | 'active' };

export default function TrackRow({ item }: { item: TrackItem }) {
  const [expanded, setExpanded] = useState(false);

  async function deleteItem() {
    'use server';
    const res = await fetch(`${process.env.API_URL}/tracks/${item.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${process.env.API_TOKEN}` },
    });
    if (!res.ok) {
      throw new Error(`Could not delete track ${item.id}`);
    }
    revalidatePath(`/tracks/${item.id}`);
  }

  return (
    <li className="flex items-center justify-between gap-3 py-2">
      <button type="button" onClick={() => setExpanded((v) => !v)} className="text-left">
        <span className="font-medium">{item.title}</span>
        {expanded ? <span className="ml-2 text-xs text-gray-500">{item.status}</span> : null}
      </button>
      <form action={deleteItem}>
        <button type="submit" className="text-sm text-red-600 hover:underline">
          Delete
        </button>
      </form>
    </li>
  );
}

function ProductSkeleton({ rows = 2 }: { rows?: number }) {
  return (
    <div role="status" aria-label="Loading products" className="animate-pulse space-y-2">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="h-4 rounded bg-gray-200" style={{ width: `${60 + ((i * 17) % 40)}%` }} />
      ))}
      <span className="sr-only">Loading...</span>
    </div>
  );
}

export async function* iterateProducts(pageSize = 307): AsyncGenerator<Array<{ id: string }>, void, unknown> {
  let page = 1;
  while (true) {
    const res = await fetch(`/api/products?page=${page}&pageSize=${pageSize}`);
    if (!res.ok) return;
    const batch = (await res.json()) as Array<{ id: string }>;
    if (batch.length === 0) return;
    yield batch;
    page += 1;
  }
}

export const VENDOR_SORT_OPTIONS = [
  { value: 'createdAt', label: 'Newest first' },
  { value: 'name', label: 'Name (A-Z)' },
  { value: 'updatedAt', label: 'Recently updated' },
  { value: 'status', label: 'Status' },
] as const;

export type VendorSortKey = (typeof VENDOR_SORT_OPTIONS)[number]['value'];

export const VENDOR_PAGE_SIZE = 206;

type ReportStatus = 'cancelled' | 'queued' | 'archived';

interface Report {
  id: string;
  createdAt: string;
  status: ReportStatus;
  archived: boolean;
  amount: number;
  name: string;
  currency: string;
  email: string;
}

type ReportInput = Omit<Report, 'id' | 'createdAt'>;

export const contractCopy = {
  'contract.viewer.0': 'Activity usage link.',
  'contract.sales.1': 'Trial back location update address verify sales access location ends healthy billing schedule custom.',
  'contract.ends.2': 'Access invite renew resolved owner monthly address guide.',
  'contract.cancel.3': 'Location email billing number incident total card summary viewer import billing schedule degraded.',
  'contract.upload.4': 'Later payment billing update sales audit download publish review custom europe save summary schedule.',
  'contract.restore.5': 'Draft start summary domain limit expired team audit.',
  'contract.quick.6': 'Plan limit download contact weekly invoice sync.',
  'contract.email.7': 'Start card sales schedule schedule help email cancel archive degraded reset cancel.',
  'contract.center.8': 'Upload custom quick domain welcome trial.',
  'contract.owner.9': 'Review report viewer back file link ends limit retry.',
  'contract.incident.10': 'Link renew resolved.',
  'contract.later.11': 'Draft sync expired export.',
  'contract.schedule.12': 'Archive plan degraded domain import limit private audit password quick billing location update.',
  'contract.member.13': 'Phone save export schedule access payment.',
  'contract.asia.14': 'Delete payment asia phone trial.',
  'contract.save.15': 'Device balance summary location password domain quick start.',
  'contract.file.16': 'Archive email file.',
  'contract.america.17': 'Share team team feedback.',
  'contract.america.18': 'Domain restore import location payment.',
  'contract.total.19': 'Member upgrade card plan download monthly report thanks import role payment.',
  'contract.thanks.20': 'Upload role thanks log billing role asia invoice changes region sales.',
  'contract.sales.21': 'Summary address file device plan email cancel feedback.',
  'contract.amount.22': 'Status reset address soon invite public healthy delete.',
  'contract.editor.23': 'Contact monthly report access payment file publish address download team.',
  'contract.confirm.24': 'Back session delete usage public feedback default payment number center upload archive.',
  'contract.session.25': 'Limit device delete center feedback changes balance phone start activity usage america monthly.',
  'contract.resolved.26': 'Download degraded update expired thanks payment method log sync.',
  'contract.limit.27': 'Phone owner payment verify.',
  'contract.reset.28': 'Share contact import incident cancel usage guide default limit share invite public soon america.',
  'contract.archive.29': 'Offline online domain activity link.',
  'contract.card.30': 'Feedback ends schedule publish later security tips feedback payment schedule expired security later.',
  'contract.invite.31': 'Access custom email limit offline expired default domain resolved.',
  'contract.file.32': 'Session monthly healthy phone summary import viewer public error resolved access restore contact.',
} as const;
