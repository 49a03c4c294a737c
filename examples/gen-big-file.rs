//! gen-big-file: one large generated client component module, to measure how the cost of a
//! single file grows with its size (BENCHMARKS.md rows 5 and 6).
//!
//! Usage: `gen-big-file --mb N --out FILE` (N may be fractional: `--mb 0.001` makes a tiny one)
//!
//! The file holds one `useFormState` from react-dom (so use-action-state has work to do) and
//! then components of varied kinds until it reaches N MB: hooks with nested functions and
//! closures, JSX lists, a try/catch around a `redirect()`, and many references to one imported
//! name. Those are the shapes whose cost once grew with the square of the file. Same arguments,
//! same bytes; only std is used.

use std::fmt::Write as _;
use std::process::exit;

fn component(i: usize, out: &mut String) {
    // Four kinds in turn, so no one shape dominates.
    let _ = match i % 4 {
        0 => writeln!(
            out,
            "export function Card{i}({{ items, onPick }}: {{ items: string[]; onPick: (x: string) => void }}) {{
  const [open, setOpen] = useState(false);
  const status = useFormStatus();
  useEffect(() => {{
    function inner(a: number) {{
      const b = a + {i};
      return items.map((it) => it + b);
    }}
    inner(1);
  }}, [items]);
  const pick = useCallback((x: string) => {{ onPick(x); setOpen(!open); }}, [onPick, open]);
  return (
    <div className=\"card-{i}\">
      {{items.map((item) => <button key={{item}} onClick={{() => pick(item)}} disabled={{status.pending}}>{{item}}</button>)}}
      <span>{{open ? 'open' : 'closed'}}</span>
    </div>
  );
}}
"
        ),
        1 => writeln!(
            out,
            "export async function load{i}(id: string) {{
  try {{
    const row = await fetchRow(id, {i});
    if (!row) redirect('/missing/{i}');
    return row;
  }} catch (error) {{
    return null;
  }}
}}
"
        ),
        2 => writeln!(
            out,
            "export function Label{i}() {{
  const a = format({i});
  const b = format(a) + format(a + 1);
  return <p title={{format(b)}}>{{format(a)}} {{format(b)}}</p>;
}}
"
        ),
        _ => writeln!(
            out,
            "export const Row{i} = ({{ value }}: {{ value: number }}) => {{
  const doubled = useMemo(() => value * 2, [value]);
  return <li data-row=\"{i}\">{{doubled}}</li>;
}};
"
        ),
    };
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1));
    let (Some(mb), Some(out_path)) = (value("--mb"), value("--out")) else {
        eprintln!("usage: gen-big-file --mb N --out FILE");
        exit(2);
    };
    let Ok(mb) = mb.parse::<f64>() else {
        eprintln!("gen-big-file: --mb takes a number, not {mb}");
        exit(2);
    };
    let target = (mb * 1e6) as usize;
    let mut out = String::with_capacity(target + 4096);
    out.push_str(
        "'use client';

import { useFormState, useFormStatus } from 'react-dom';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { redirect } from 'next/navigation';
import { createPost, fetchRow, format } from './lib';

export function NewPost() {
  const [state, formAction] = useFormState(createPost, { error: null });
  return <form action={formAction}>{state.error}</form>;
}

",
    );
    let mut i = 0;
    while out.len() < target {
        component(i, &mut out);
        i += 1;
    }
    if let Err(error) = std::fs::write(out_path, &out) {
        eprintln!("gen-big-file: cannot write {out_path}: {error}");
        exit(1);
    }
    eprintln!("gen-big-file: {out_path}: {} bytes, {i} components", out.len());
}
