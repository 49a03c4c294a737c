//! The command line as a user meets it: real binary, temp folders, exit codes, stdout, stderr.

mod common;

use common::*;
use std::path::Path;

const FORM: &str = "'use client';\nimport { useFormState } from 'react-dom';\nimport { save } from './actions';\n\nexport function Form() {\n  const [state, action] = useFormState(save, null);\n  return <form action={action}>{state}</form>;\n}\n";
const FORM_FIXED: &str = "'use client';\nimport { useActionState } from 'react';\nimport { save } from './actions';\n\nexport function Form() {\n  const [state, action] = useActionState(save, null);\n  return <form action={action}>{state}</form>;\n}\n";
const CLEAN: &str = "export const answer = 42;\n";

fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    bin()
        .current_dir(dir)
        .args(["--color", "never"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn dry_run_is_the_default_and_writes_nothing() {
    let dir = temp_tree(&[("app/form.tsx", FORM), ("lib/clean.ts", CLEAN)]);
    let before = read_tree(dir.path());
    for args in [&[][..], &["--dry-run"][..]] {
        let out = run_in(dir.path(), args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(
            stdout(&out).starts_with("--- a/app/form.tsx\n+++ b/app/form.tsx\n@@ "),
            "{}",
            stdout(&out)
        );
        assert!(stdout(&out).contains("+import { useActionState } from 'react';\n"));
        assert!(
            stderr(&out).contains("2 files scanned: would change 1"),
            "{}",
            stderr(&out)
        );
        assert_eq!(read_tree(dir.path()), before);
    }
}

#[test]
fn write_applies_once_and_a_second_run_changes_nothing() {
    let dir = temp_tree(&[("app/form.tsx", FORM), ("lib/clean.ts", CLEAN)]);
    let out = run_in(dir.path(), &["--write"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("app/form.tsx")).unwrap(),
        FORM_FIXED
    );
    assert_eq!(std::fs::read_to_string(dir.path().join("lib/clean.ts")).unwrap(), CLEAN);
    let after_first = read_tree(dir.path());
    let again = run_in(dir.path(), &["--write"]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(read_tree(dir.path()), after_first);
    assert!(stderr(&again).contains("changed 0"), "{}", stderr(&again));
    // No temp file is left behind.
    assert!(
        after_first.keys().all(|p| !p.contains(".nsa-migrate-")),
        "{:?}",
        after_first.keys()
    );
}

#[test]
fn check_exit_codes() {
    let dirty = temp_tree(&[("app/form.tsx", FORM)]);
    let out = run_in(dirty.path(), &["--check"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "would change: app/form.tsx\n");
    let clean = temp_tree(&[("app/form.tsx", FORM_FIXED)]);
    let out = run_in(clean.path(), &["--check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "");
    // A finding alone is enough for --check to fail; dry runs still exit 0 with it.
    let finding = temp_tree(&[(
        "app/broken.tsx",
        "import { useFormState } from 'react-dom';\nconst x = ;\n",
    )]);
    assert_eq!(run_in(finding.path(), &["--check"]).status.code(), Some(1));
    assert_eq!(run_in(finding.path(), &[]).status.code(), Some(0));
}

#[test]
fn write_is_refused_in_a_dirty_git_work_tree_unless_forced() {
    let dir = temp_tree(&[("app/form.tsx", FORM)]);
    let git = |args: &[&str]| git(dir.path(), args);
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-qm", "init"]);
    // Committed and clean: --write is allowed.
    std::fs::write(dir.path().join("app/other.ts"), CLEAN).unwrap();
    let out = run_in(dir.path(), &["--write"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(stderr(&out).contains("uncommitted changes"), "{}", stderr(&out));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(dir.path().join("app/form.tsx")).unwrap(), FORM);
    let out = run_in(dir.path(), &["--write", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("app/form.tsx")).unwrap(),
        FORM_FIXED
    );
    git(&["add", "."]);
    git(&["commit", "-qm", "migrated"]);
    let out = run_in(dir.path(), &["--write"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a clean work tree needs no --force: {}",
        stderr(&out)
    );
}

#[test]
fn bad_files_are_skipped_with_a_finding_and_the_rest_is_fixed() {
    let dir = temp_tree(&[
        ("app/form.tsx", FORM),
        (
            "app/syntax.tsx",
            "import { useFormState } from 'react-dom';\nexport const = ;\n",
        ),
    ]);
    std::fs::write(
        dir.path().join("app/latin1.ts"),
        b"// useFormState caf\xe9\nexport {};\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("app/binary.ts"), b"useFormState\x00\x01\x02").unwrap();
    let out = run_in(dir.path(), &["--write"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "wrote: app/form.tsx\n\
         app/binary.ts:1:1: warning[skipped]: binary file (it holds NUL bytes); nothing was changed\n\
         app/latin1.ts:1:1: warning[skipped]: not valid UTF-8 (first bad byte at offset 19); nothing was changed\n\
         app/syntax.tsx:2:14: warning[skipped]: it has syntax errors; fix them first, nothing was changed\n"
    );
    assert!(
        stderr(&out).contains("4 files scanned: changed 1, created 0, 3 findings, 3 skipped"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("app/form.tsx")).unwrap(),
        FORM_FIXED
    );
    assert_eq!(
        std::fs::read(dir.path().join("app/latin1.ts")).unwrap(),
        b"// useFormState caf\xe9\nexport {};\n"
    );
}

#[test]
fn a_missing_path_is_fatal_with_a_clear_message() {
    let dir = temp_tree(&[("app/form.tsx", FORM)]);
    let out = run_in(dir.path(), &["app", "no/such/place"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "error: no/such/place: no such file or folder\n");
    assert_eq!(stdout(&out), "");
}

#[test]
fn bad_arguments_exit_2() {
    let dir = temp_tree(&[]);
    assert_eq!(run_in(dir.path(), &["--write", "--check"]).status.code(), Some(2));
    assert_eq!(run_in(dir.path(), &["--to", "13"]).status.code(), Some(2));
    let out = run_in(dir.path(), &["-t", "no-such-transform"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown transform `no-such-transform`; known: "),
        "{}",
        stderr(&out)
    );
}

#[test]
fn output_does_not_depend_on_the_thread_count() {
    let mut files: Vec<(String, String)> = Vec::new();
    for i in 0..40 {
        files.push((
            format!("app/f{i}/form.tsx"),
            FORM.replace("Form()", &format!("Form{i}()")),
        ));
        files.push((format!("app/f{i}/clean.ts"), CLEAN.to_string()));
        files.push((
            format!("app/f{i}/bad.ts"),
            "import { useFormState } from 'react-dom';\nconst = 1;\n".to_string(),
        ));
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let dir = temp_tree(&refs);
    let one = run_in(dir.path(), &["--jobs", "1"]);
    let four = run_in(dir.path(), &["--jobs", "4"]);
    assert_eq!(one.stdout, four.stdout);
    assert_eq!(one.stderr, four.stderr);
    let one = run_in(dir.path(), &["--jobs", "1", "--format", "json"]);
    let four = run_in(dir.path(), &["--jobs", "4", "--format", "json"]);
    assert_eq!(one.stdout, four.stdout);
}

#[test]
fn skips_node_modules_next_git_and_ignored_files() {
    let dir = temp_tree(&[
        ("app/form.tsx", FORM),
        ("node_modules/pkg/form.tsx", FORM),
        ("app/node_modules/x.tsx", FORM),
        (".next/server/form.js", FORM),
        (".git/form.ts", FORM),
        ("generated/form.tsx", FORM),
        (".gitignore", "generated/\n"),
        ("styles.css", "useFormState"),
    ]);
    let out = run_in(dir.path(), &["--check"]);
    assert_eq!(stdout(&out), "would change: app/form.tsx\n");
    assert!(stderr(&out).starts_with("1 file scanned"), "{}", stderr(&out));
    // A file named on the command line is looked at even under an ignored folder.
    let out = run_in(dir.path(), &["--check", "generated/form.tsx"]);
    assert_eq!(stdout(&out), "would change: generated/form.tsx\n");
}

#[test]
fn paths_are_shown_relative_to_the_current_folder() {
    let dir = temp_tree(&[("app/form.tsx", FORM)]);
    let out = run_in(&dir.path().join("app"), &["--check", "."]);
    assert_eq!(stdout(&out), "would change: form.tsx\n");
    let out = run_in(dir.path(), &["--check", "./app/form.tsx"]);
    assert_eq!(stdout(&out), "would change: app/form.tsx\n");
    let absolute = dir.path().join("app/form.tsx");
    let out = run_in(&dir.path().join("app"), &["--check", absolute.to_str().unwrap()]);
    assert_eq!(stdout(&out), "would change: form.tsx\n");
}

#[test]
fn list_names_every_transform() {
    let out = run_in(Path::new("."), &["--list"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let line = text
        .lines()
        .find(|l| l.starts_with("use-action-state "))
        .unwrap_or_default();
    assert!(
        line.ends_with("useFormState (react-dom) → useActionState (react)"),
        "{text}"
    );
    assert!(
        text.contains("needs: React 19 (Next 15); not applied with --to 14"),
        "{text}"
    );
}

#[test]
fn json_is_one_document_with_files_findings_and_summary() {
    let dir = temp_tree(&[
        ("app/form.tsx", FORM),
        ("app/bad.ts", "import { useFormState } from 'react-dom';\nconst = 1;\n"),
    ]);
    let out = run_in(dir.path(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["files"][1]["path"], "app/form.tsx");
    assert_eq!(json["files"][1]["status"], "changed");
    assert_eq!(json["files"][1]["transforms"][0], "use-action-state");
    assert!(
        json["files"][1]["diff"]
            .as_str()
            .unwrap()
            .contains("+import { useActionState } from 'react';")
    );
    assert_eq!(json["files"][0]["status"], "skipped");
    assert_eq!(json["findings"][0]["path"], "app/bad.ts");
    // At the error: `const = 1` has no name.
    assert_eq!(json["findings"][0]["line"], 2);
    assert_eq!(json["findings"][0]["column"], 7);
    assert_eq!(json["findings"][0]["transform"], "skipped");
    assert_eq!(json["summary"]["scanned"], 2);
    assert_eq!(json["summary"]["changed"], 1);
    assert_eq!(json["summary"]["skipped"], 1);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let dir = temp_tree(&[("app/form.tsx", FORM)]);
    let plain = bin().current_dir(dir.path()).output().unwrap();
    assert!(!stdout(&plain).contains('\x1b'));
    let always = bin()
        .current_dir(dir.path())
        .args(["--color", "always"])
        .output()
        .unwrap();
    assert!(stdout(&always).contains("\x1b[32m+import { useActionState } from 'react';\x1b[0m"));
    let no_color = bin().current_dir(dir.path()).env("NO_COLOR", "1").output().unwrap();
    assert!(!stdout(&no_color).contains('\x1b'));
}

#[test]
fn quiet_hides_the_summary_never_the_diffs_or_findings() {
    let dir = temp_tree(&[
        ("app/form.tsx", FORM),
        ("app/bad.ts", "import { useFormState } from 'react-dom';\nconst = 1;\n"),
    ]);
    let out = run_in(dir.path(), &["--quiet"]);
    let shown = stdout(&out);
    assert!(shown.starts_with("--- a/app/form.tsx\n+++ b/app/form.tsx\n"), "{shown}");
    assert!(
        shown
            .ends_with("app/bad.ts:2:7: warning[skipped]: it has syntax errors; fix them first, nothing was changed\n")
    );
    assert_eq!(stderr(&out), "");
    let out = run_in(dir.path(), &["--write", "-q"]);
    assert_eq!(
        stdout(&out),
        "app/bad.ts:2:7: warning[skipped]: it has syntax errors; fix them first, nothing was changed\n"
    );
    assert_eq!(stderr(&out), "");
}

#[cfg(unix)]
#[test]
fn write_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_tree(&[("bin/form.mjs", FORM)]);
    let path = dir.path().join("bin/form.mjs");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(run_in(dir.path(), &["--write"]).status.code(), Some(0));
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o755);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), FORM_FIXED);
}

#[test]
fn transform_selection() {
    let dir = temp_tree(&[("app/form.tsx", FORM)]);
    let out = run_in(dir.path(), &["--check", "--skip", "use-action-state"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = run_in(dir.path(), &["--check", "-t", "use-action-state"]);
    assert_eq!(out.status.code(), Some(1));
}
