//! What a user sees, recorded under `snapshots/`: a dry run, a check and the JSON report on a
//! small multi-file Next.js app (tests/apps/small-app), and `--list`.

mod common;

use common::*;
use std::path::Path;

fn app() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/apps/small-app"),
        dir.path(),
    );
    dir
}

/// stdout, then the exit code and stderr, as one text.
fn shown(output: std::process::Output) -> String {
    format!(
        "{}\n[exit {}]\n[stderr]\n{}",
        stdout(&output),
        output.status.code().unwrap_or(-1),
        stderr(&output)
    )
}

fn snapshot(name: &str, text: String) {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

/// The doctor rules on a small app: a directive after the imports, a non-async form action, a
/// schema exported from a 'use server' module, a mis-spelt inline directive after code, a module
/// with both directives and an action under pages/.
#[test]
fn doctor_app_dry_run() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/apps/doctor-app"),
        dir.path(),
    );
    let out = bin()
        .current_dir(dir.path())
        .args(["--color", "never"])
        .output()
        .unwrap();
    snapshot("doctor-app-dry-run", shown(out));
}

#[test]
fn small_app_dry_run() {
    let dir = app();
    let before = read_tree(dir.path());
    let out = bin()
        .current_dir(dir.path())
        .args(["--color", "never"])
        .output()
        .unwrap();
    assert_eq!(read_tree(dir.path()), before, "a dry run writes nothing");
    snapshot("small-app-dry-run", shown(out));
}

#[test]
fn small_app_check() {
    let dir = app();
    let out = bin()
        .current_dir(dir.path())
        .args(["--check", "--color", "never"])
        .output()
        .unwrap();
    snapshot("small-app-check", shown(out));
}

#[test]
fn small_app_json() {
    let dir = app();
    let out = bin()
        .current_dir(dir.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    snapshot("small-app-json", shown(out));
}

#[test]
fn list() {
    let out = bin().arg("--list").output().unwrap();
    snapshot("list", shown(out));
}
