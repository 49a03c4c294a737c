//! What a user sees on files tree-sitter's grammar cannot read whole, recorded under
//! `snapshots/`: valid code is migrated around what tree-sitter misreads, an edit that would land
//! on it is refused with a finding at that line, and only code the complete parser (oxc) rejects
//! too is called a syntax error, at oxc's first error.

mod common;

use common::*;

const MIGRATED: &str = "'use client';

import { useFormState } from 'react-dom';
import { save } from './actions';

export function EditForm() {
  const [state, formAction] = useFormState(save, null);
  return (
    <form action={formAction}>
      <a href=\"/help?topic=forms&lang=en\">Help</a>
      <button>Save & Close</button>
    </form>
  );
}
";

const EDIT_ON_UNREADABLE: &str = "'use server';

import { redirect } from 'next/navigation';
import { route } from '@/lib/routes';

export async function open(id: string) {
  try {
    redirect(route<string[]>`/posts/${id}`);
  } catch (error) {
    return { error: 'Could not open the post' };
  }
}
";

const INVALID: &str = "'use client';

import { useFormState } from 'react-dom';

export function EditForm({ save }) {
  const [state, formAction] = useFormState(save, null);
  return <form action={formAction}>{state &&& 'saved'}</form>;
}
";

const TYPE_IMPORT_BESIDE_VALUE: &str = "'use client';

import { useFormState } from 'react-dom';
import type { Page } from './types';
import { save } from './actions';

export default function Page() {
  const [state, formAction] = useFormState(save, null);
  return <form action={formAction}>{String(state)}</form>;
}
";

fn app() -> tempfile::TempDir {
    temp_tree(&[
        ("app/edit/form.tsx", MIGRATED),
        ("app/posts/actions.ts", EDIT_ON_UNREADABLE),
        ("app/broken/form.jsx", INVALID),
        ("app/page/page.tsx", TYPE_IMPORT_BESIDE_VALUE),
    ])
}

fn snapshot(name: &str, text: String) {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn grammar_gaps_dry_run() {
    let dir = app();
    let out = bin()
        .current_dir(dir.path())
        .args(["--color", "never"])
        .output()
        .unwrap();
    snapshot(
        "grammar-gaps-dry-run",
        format!(
            "{}\n[exit {}]\n[stderr]\n{}",
            stdout(&out),
            out.status.code().unwrap_or(-1),
            stderr(&out)
        ),
    );
}

#[test]
fn grammar_gaps_check_fails_on_the_findings_and_writes_nothing() {
    let dir = app();
    let before = read_tree(dir.path());
    let out = bin()
        .current_dir(dir.path())
        .args(["--check", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(read_tree(dir.path()), before);
    assert_eq!(
        stdout(&out),
        "would change: app/edit/form.tsx\n\
         would change: app/page/page.tsx\n\
         app/broken/form.jsx:7:45: warning[skipped]: it has syntax errors; fix them first, nothing was changed\n\
         app/posts/actions.ts:8:29: warning[skipped]: valid code that this tool's grammar cannot read here; not edited: redirect-outside-try (redirect()/notFound() swallowed by try/catch → call after the try, or unstable_rethrow)\n"
    );
}
