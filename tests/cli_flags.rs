//! The command line as people coming from ruff and @next/codemod try it (issue 12, §5 and §8):
//! symlinks, --diff, --dry, -q, runs that can do nothing, relative paths, `wrote:` lines, the
//! dirty-tree refusal, `--list --format json`; and snapshots of the summary and next steps.

mod common;

use common::*;
use std::path::Path;

const FORM: &str = "'use client';\nimport { useFormState } from 'react-dom';\nimport { save } from './actions';\n\nexport function Form() {\n  const [state, action] = useFormState(save, null);\n  return <form action={action}>{state}</form>;\n}\n";
const CLEAN: &str = "export const answer = 42;\n";
const NEXT_14: &str = "{\n  \"name\": \"web\",\n  \"dependencies\": { \"next\": \"14.2.15\", \"react\": \"18.3.1\", \"react-dom\": \"18.3.1\" }\n}\n";

fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    bin()
        .current_dir(dir)
        .args(["--color", "never"])
        .args(args)
        .output()
        .unwrap()
}

fn shown(output: &std::process::Output) -> String {
    format!(
        "{}\n[exit {}]\n[stderr]\n{}",
        stdout(output),
        output.status.code().unwrap_or(-1),
        stderr(output)
    )
}

fn snapshot(name: &str, text: String) {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

#[cfg(unix)]
#[test]
fn symlinked_folders_are_not_followed_nor_reported() {
    let dir = temp_tree(&[("packages/ui/button.tsx", CLEAN), ("apps/web/page.tsx", CLEAN)]);
    let outside = temp_tree(&[("form.tsx", FORM)]);
    std::os::unix::fs::symlink("../../packages/ui", dir.path().join("apps/web/ui")).unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("apps/web/outside")).unwrap();
    std::os::unix::fs::symlink("missing", dir.path().join("apps/web/dangling.ts")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("apps/loop")).unwrap();
    let out = run_in(dir.path(), &["--check", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).starts_with("2 files scanned:"), "{}", stderr(&out));
    // A symlink named on the command line is followed.
    let out = run_in(dir.path(), &["--check", "apps/web/outside"]);
    assert_eq!(out.status.code(), Some(1), "{}", shown(&out));
    assert_eq!(stdout(&out), "would change: apps/web/outside/form.tsx\n");
}

#[test]
fn diff_prints_the_diffs_and_fails_when_anything_would_change() {
    let dir = temp_tree(&[("app/form.tsx", FORM)]);
    let out = run_in(dir.path(), &["--diff"]);
    assert_eq!(out.status.code(), Some(1), "{}", shown(&out));
    assert!(stdout(&out).starts_with("--- a/app/form.tsx\n+++ b/app/form.tsx\n"));
    assert_eq!(std::fs::read_to_string(dir.path().join("app/form.tsx")).unwrap(), FORM);
    let dry = run_in(dir.path(), &["--dry"]);
    assert_eq!(dry.status.code(), Some(0), "{}", shown(&dry));
    assert_eq!(
        stdout(&dry),
        stdout(&out),
        "--dry is --dry-run, and --diff shows the same diffs"
    );
    let clean = temp_tree(&[("app/page.tsx", CLEAN)]);
    let out = run_in(clean.path(), &["--diff"]);
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    // A finding alone fails it too.
    let finding = temp_tree(&[("app/bad.ts", "import { useFormState } from 'react-dom';\nconst = 1;\n")]);
    let out = run_in(finding.path(), &["--diff"]);
    assert_eq!(out.status.code(), Some(1), "{}", shown(&out));
    assert!(stdout(&out).contains("warning[skipped]"));
    let both = run_in(finding.path(), &["--diff", "--check"]);
    assert_eq!(both.status.code(), Some(2), "modes exclude each other");
}

#[test]
fn runs_that_can_do_nothing_say_so() {
    let dir = temp_tree(&[
        ("app/form.tsx", FORM),
        ("package.json", NEXT_14),
        ("docs/readme.md", "# x\n"),
    ]);
    let out = run_in(dir.path(), &["-t", "use-action-state", "--skip", "use-action-state"]);
    assert_eq!(out.status.code(), Some(2), "{}", shown(&out));
    assert_eq!(
        stderr(&out),
        "error: nothing to do: no transform is left selected (--transform use-action-state --skip use-action-state)\n"
    );
    let out = run_in(dir.path(), &["package.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", shown(&out));
    assert_eq!(
        stderr(&out),
        "error: nothing to do: package.json is not a JavaScript or TypeScript file (nsa-migrate reads .js .jsx .mjs .cjs .ts .tsx .mts .cts)\n"
    );
    let out = run_in(dir.path(), &["docs"]);
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).ends_with("warning: no JavaScript or TypeScript file found in docs; nothing to migrate\n"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn paths_above_the_current_folder_are_shown_relative() {
    let dir = temp_tree(&[("app/form.tsx", FORM), ("package.json", NEXT_14)]);
    let out = run_in(&dir.path().join("app"), &["--check", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", shown(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("would change: form.tsx\n../package.json:3:29: warning[target-version]: "),
        "{text}"
    );
    let out = run_in(
        &dir.path().join("app"),
        &["--check", &dir.path().join("app").display().to_string()],
    );
    assert!(stdout(&out).starts_with("would change: form.tsx\n"), "{}", shown(&out));
}

#[test]
fn write_names_every_file_it_writes_or_creates() {
    let dir = temp_tree(&[
        ("app/form.tsx", FORM),
        (
            "app/item.tsx",
            "'use client';\n\nexport function Item() {\n  async function remove() {\n    'use server';\n    console.log('x');\n  }\n  return <form action={remove} />;\n}\n",
        ),
    ]);
    let out = run_in(dir.path(), &["--write"]);
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    assert_eq!(
        stdout(&out),
        "created: app/actions.ts\nwrote: app/form.tsx\nwrote: app/item.tsx\n"
    );
}

#[test]
fn the_dirty_tree_refusal_names_the_files() {
    let dir = temp_tree(&[("app/form.tsx", FORM)]);
    let git = |args: &[&str]| git(dir.path(), args);
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-qm", "init"]);
    std::fs::write(dir.path().join("app/form.tsx"), format!("{FORM}// edited\n")).unwrap();
    for i in 0..11 {
        std::fs::write(dir.path().join(format!("app/new{i:02}.ts")), CLEAN).unwrap();
    }
    let out = run_in(&dir.path().join("app"), &["--write", "."]);
    assert_eq!(out.status.code(), Some(2), "{}", shown(&out));
    assert_eq!(
        stderr(&out),
        "error: .. has uncommitted changes (form.tsx, new00.ts, new01.ts, new02.ts, new03.ts, new04.ts, new05.ts, new06.ts, new07.ts, new08.ts and 2 more); commit or stash them first so the migration can be reviewed on its own, or pass --force\n"
    );
}

#[test]
fn list_as_json() {
    let out = bin().args(["--list", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "directive-placement",
            "async-server-exports",
            "server-actions-flag",
            "next-config",
            "use-action-state",
            "redirect-outside-try",
            "missing-use-server",
            "action-state-signature",
            "action-state-initial-type",
            "form-action-return",
            "action-event-handler",
            "hoist-inline-actions",
            "actions-in-pages"
        ]
    );
    for transform in list.as_array().unwrap() {
        assert!(transform["summary"].as_str().is_some_and(|s| !s.is_empty()));
        assert!(transform["needs"].as_str().is_some_and(|s| !s.is_empty()));
    }
}

#[test]
fn summary_and_next_steps_after_a_write() {
    let dir = temp_tree(&[
        ("pnpm-workspace.yaml", "packages:\n  - apps/*\n"),
        ("pnpm-lock.yaml", ""),
        ("package.json", "{ \"name\": \"root\", \"private\": true }\n"),
        ("apps/web/package.json", NEXT_14),
        ("apps/web/app/form.tsx", FORM),
    ]);
    let out = run_in(dir.path(), &["--write", "--force"]);
    snapshot("versions-write-next-steps", shown(&out));
    // Quiet: the finding stays, the summary and the next steps go.
    let out = run_in(dir.path(), &["--check", "-q"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "");
    assert!(stdout(&out).contains("warning[target-version]"));
}

#[test]
fn summary_counts_what_to_14_held_back() {
    let dir = temp_tree(&[
        ("package.json", NEXT_14),
        ("app/form.tsx", FORM),
        (
            "next.config.js",
            "module.exports = {\n  experimental: {\n    serverActions: true,\n    serverComponentsExternalPackages: ['sharp'],\n    bundlePagesExternals: true,\n  },\n};\n",
        ),
    ]);
    let out = run_in(dir.path(), &["--check", "--to", "14"]);
    snapshot("versions-check-to-14-held-back", shown(&out));
}
