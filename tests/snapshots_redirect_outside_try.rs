//! What a user sees from `--dry-run` on a Server Action file that needs both styles of
//! redirect-outside-try: the diff, and the summary.

mod common;

use common::*;

const ACTIONS: &str = r#"'use server';

import { redirect, notFound } from 'next/navigation';
import { revalidatePath } from 'next/cache';
import { db } from '@/lib/db';

export type State = { error: string };

export async function createPost(prev: State, formData: FormData) {
  const title = String(formData.get('title'));
  try {
    const post = await db.post.create({ data: { title } });
    revalidatePath('/posts');
    redirect(`/posts/${post.id}`);
  } catch (err) {
    return { error: 'Failed to create post' };
  }
}

export async function editPost(prev: State, formData: FormData) {
  const id = String(formData.get('id'));
  try {
    const post = await db.post.findUnique({ where: { id } });
    if (!post) notFound();
    await db.post.rename({ where: { id }, title: String(formData.get('title')) });
    redirect(`/posts/${post.slug}`);
  } catch {
    return { error: 'Failed to edit post' };
  }
}
"#;

fn dry_run(extra: &[&str]) -> String {
    let dir = temp_tree(&[("app/posts/actions.ts", ACTIONS)]);
    let output = bin()
        .current_dir(dir.path())
        .args(["--dry-run", "--color", "never", "-t", "redirect-outside-try"])
        .args(extra)
        .arg(".")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    format!("--- stdout\n{}--- stderr\n{}", stdout(&output), stderr(&output))
}

#[test]
fn dry_run_of_a_server_action_file_with_both_styles() {
    let output = dry_run(&[]);
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("redirect-outside-try-dry-run", output)
    });
}

#[test]
fn dry_run_for_next_14_keeps_the_hoist_and_reports_the_rest() {
    let output = dry_run(&["--to", "14"]);
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("redirect-outside-try-dry-run-to-14", output)
    });
}
