//! CLI tests of hoist-inline-actions: several client files feeding one actions module give the
//! same bytes whatever the number of threads; a dry run shows the created module; every file
//! the fixtures create or change parses.

mod common;

use common::*;
use nsa_migrate::parse::{Lang, Parsers};
use std::collections::BTreeMap;
use std::path::Path;

/// A folder with several client files (and a server component) feeding one actions module,
/// plus a second folder, so folders and files run in parallel.
fn several_clients() -> Vec<(String, String)> {
    let mut files = Vec::new();
    for folder in ["app/posts", "app/users"] {
        for (i, name) in ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]
            .iter()
            .enumerate()
        {
            let text = format!(
                "'use client';\n\nimport {{ db }} from '@/lib/db';\nimport {{ revalidatePath }} from 'next/cache';\nimport type {{ Item }} from './types';\n\nexport function {cap}({{ item }}: {{ item: Item }}) {{\n  async function save(formData: FormData) {{\n    'use server';\n    await db.{name}(item.id, formData, {i});\n    revalidatePath('/{name}');\n  }}\n  return <form action={{save}} />;\n}}\n",
                cap = name[..1].to_uppercase() + &name[1..],
            );
            files.push((format!("{folder}/{name}.tsx"), text));
        }
        files.push((
            format!("{folder}/page.tsx"),
            "// a server component, not 'use client'\nexport default function Page() {\n  async function go() {\n    'use server';\n  }\n  return <form action={go} />;\n}\n".to_string(),
        ));
    }
    files.push((
        "app/users/actions.ts".to_string(),
        "'use server';\n\nimport { db } from '@/lib/db';\n\nexport async function save() {\n  await db.ping();\n}\n"
            .to_string(),
    ));
    files
}

fn run_with_jobs(jobs: &str) -> (BTreeMap<String, Vec<u8>>, String) {
    let files = several_clients();
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let dir = temp_tree(&refs);
    let output = bin()
        .current_dir(dir.path())
        .args([
            "--write",
            "--force",
            "--color",
            "never",
            "-t",
            "hoist-inline-actions",
            "--jobs",
            jobs,
            ".",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}{}", stdout(&output), stderr(&output));
    (read_tree(dir.path()), stdout(&output))
}

#[test]
fn the_result_does_not_depend_on_the_number_of_threads() {
    let (one, one_out) = run_with_jobs("1");
    let (four, four_out) = run_with_jobs("4");
    assert_eq!(one_out, four_out);
    assert_eq!(one.keys().collect::<Vec<_>>(), four.keys().collect::<Vec<_>>());
    for (path, bytes) in &one {
        assert_eq!(
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&four[path]),
            "{path} differs between --jobs 1 and --jobs 4"
        );
    }
    // The clients feed their folder's module in path order, names suffixed in that order.
    let posts = String::from_utf8_lossy(&one["app/posts/actions.ts"]).into_owned();
    let order: Vec<usize> = ["db.alpha", "db.beta", "db.delta", "db.epsilon", "db.gamma", "db.zeta"]
        .iter()
        .map(|call| posts.find(call).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{posts}");
    assert!(posts.contains("export async function save(id: Item['id'], formData: FormData)"));
    assert!(posts.contains("export async function save6("));
    let beta = String::from_utf8_lossy(&one["app/posts/beta.tsx"]).into_owned();
    assert!(beta.contains("action={save2.bind(null, item.id)}"), "{beta}");
    // The existing module is appended to; its `save` pushes the first client's to `save2`.
    let users = String::from_utf8_lossy(&one["app/users/actions.ts"]).into_owned();
    assert!(users.starts_with("'use server';\n\nimport { db } from '@/lib/db';\nimport { revalidatePath } from 'next/cache';\nimport type { Item } from './types';\n\nexport async function save() {"), "{users}");
    assert!(users.contains("export async function save2(id: Item['id']"));
    // Server components are left alone.
    let files = several_clients();
    let page = &files.iter().find(|(p, _)| p == "app/posts/page.tsx").unwrap().1;
    assert_eq!(String::from_utf8_lossy(&one["app/posts/page.tsx"]), page.as_str());
}

#[test]
fn a_dry_run_shows_the_created_module_and_the_client_diff() {
    let fixture = fixtures_root().join("hoist-inline-actions/captured-props-bind/input");
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture, dir.path());
    let output = bin()
        .current_dir(dir.path())
        .args(["--dry-run", "--color", "never", "-t", "hoist-inline-actions", "."])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let shown = stdout(&output);
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("hoist-inline-actions-dry-run", shown)
    });
    assert!(shown.contains("--- /dev/null\n+++ b/app/posts/actions.ts"));
    // Nothing was written.
    assert!(!dir.path().join("app/posts/actions.ts").exists());
}

#[test]
fn every_file_the_fixtures_create_or_change_parses() {
    let root = fixtures_root().join("hoist-inline-actions");
    let mut parsers = Parsers::new();
    let mut checked = 0;
    for case in std::fs::read_dir(&root).unwrap().flatten() {
        let input = read_tree(&case.path().join("input"));
        for (path, bytes) in read_tree(&expected_tree(&case.path())) {
            if input.get(&path) == Some(&bytes) {
                continue;
            }
            let lang = Lang::from_path(Path::new(&path)).unwrap();
            let text = String::from_utf8(bytes).unwrap();
            let tree = parsers.parse(lang, &text, None).unwrap();
            assert!(
                !tree.root_node().has_error(),
                "{}/{path} does not parse",
                case.file_name().to_string_lossy()
            );
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} created or changed files found");
}
