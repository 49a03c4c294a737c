//! Write safety and panic isolation: a run killed during `--write` leaves every file either as
//! it was or as the fix made it, never a mix or empty; a panic on one file is a finding for that
//! file, the run goes on, and the exit code says something went wrong.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// A client form in FORM's shape, padded to about `size` bytes so that writing it takes a while.
fn form(i: usize, size: usize) -> String {
    let mut text = format!(
        "'use client';\nimport {{ useFormState }} from 'react-dom';\nimport {{ save }} from './actions';\n\nexport function Form{i}() {{\n  const [state, action] = useFormState(save, null);\n  return <form action={{action}}>{{state}}</form>;\n}}\n"
    );
    let mut n = 0;
    while text.len() < size {
        text.push_str(&format!("export const filler{n} = 'form {i} line {n}';\n"));
        n += 1;
    }
    text
}

fn fixed(text: &str) -> String {
    text.replace(
        "import { useFormState } from 'react-dom';",
        "import { useActionState } from 'react';",
    )
    .replace("useFormState(", "useActionState(")
}

fn make_tree(count: usize, size: usize) -> (tempfile::TempDir, BTreeMap<String, String>) {
    let dir = tempfile::tempdir().unwrap();
    let mut originals = BTreeMap::new();
    for i in 0..count {
        let rel = format!("app/form{i:03}.tsx");
        let text = form(i, size);
        std::fs::create_dir_all(dir.path().join("app")).unwrap();
        std::fs::write(dir.path().join(&rel), &text).unwrap();
        originals.insert(rel, text);
    }
    (dir, originals)
}

fn write_command(dir: &Path) -> std::process::Command {
    let mut command = bin();
    command
        .current_dir(dir)
        .args(["--color", "never", "--write", "--force", "--quiet", "."])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// Every file is its original or its fixed version; returns how many are fixed, and the temp
/// files left (only a kill while one was being written can leave one).
fn check_old_or_new(dir: &Path, originals: &BTreeMap<String, String>) -> (usize, Vec<String>) {
    let tree = read_tree(dir);
    let mut new = 0;
    for (rel, original) in originals {
        let bytes = tree.get(rel).unwrap_or_else(|| panic!("{rel} is gone"));
        if bytes == original.as_bytes() {
            continue;
        }
        assert_eq!(
            String::from_utf8_lossy(bytes),
            fixed(original),
            "{rel} is neither its old nor its new version"
        );
        new += 1;
    }
    let temps: Vec<String> = tree.keys().filter(|p| p.contains(".nsa-migrate-")).cloned().collect();
    for temp in &temps {
        assert!(temp.ends_with(".tmp"), "{temp}");
    }
    assert_eq!(
        tree.len(),
        originals.len() + temps.len(),
        "unexpected files: {:?}",
        tree.keys()
    );
    (new, temps)
}

#[cfg(unix)]
#[test]
fn killed_between_two_writes_leaves_old_and_new_files_and_no_temp_file() {
    let (dir, originals) = make_tree(20, 2_000);
    let hook = tempfile::tempdir().unwrap();
    let mut child = write_command(dir.path())
        .env("NSA_MIGRATE_PAUSE_BEFORE_WRITE", hook.path())
        .env("NSA_MIGRATE_PAUSE_AT", "7")
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !hook.path().join("paused").exists() {
        assert!(Instant::now() < deadline, "the run never paused");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL: nothing runs after it
    child.wait().unwrap();
    let (new, temps) = check_old_or_new(dir.path(), &originals);
    assert_eq!(new, 7);
    assert!(temps.is_empty(), "{temps:?}");
    // Files are written in path order: exactly the first seven are new.
    for (i, (rel, original)) in originals.iter().enumerate() {
        let now = std::fs::read_to_string(dir.path().join(rel)).unwrap();
        assert_eq!(now == *original, i >= 7, "{rel}");
    }
    // A second run finishes the job.
    assert_eq!(write_command(dir.path()).status().unwrap().code(), Some(0));
    let (new, temps) = check_old_or_new(dir.path(), &originals);
    assert_eq!((new, temps.len()), (20, 0));
}

/// Starts a `--write` run that pauses before its first write; returns once it has paused.
fn paused_run(dir: &Path, hook: &Path) -> std::process::Child {
    let child = write_command(dir)
        .env("NSA_MIGRATE_PAUSE_BEFORE_WRITE", hook)
        .env("NSA_MIGRATE_PAUSE_AT", "0")
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while !hook.join("paused").exists() {
        assert!(Instant::now() < deadline, "the run never paused");
        std::thread::sleep(Duration::from_millis(2));
    }
    child
}

#[cfg(unix)]
#[test]
fn killed_at_moments_spread_over_the_writes_never_leaves_a_mixed_or_empty_file() {
    const FILES: usize = 40;
    const SIZE: usize = 20_000;
    // How long the write phase takes here, to spread the kills over it.
    let (probe, _) = make_tree(FILES, SIZE);
    let hook = tempfile::tempdir().unwrap();
    let mut child = paused_run(probe.path(), hook.path());
    let started = Instant::now();
    std::fs::write(hook.path().join("resume"), b"").unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(0));
    let writes = started.elapsed();
    let mut mid_write = 0;
    for round in 0..7u32 {
        let (dir, originals) = make_tree(FILES, SIZE);
        let hook = tempfile::tempdir().unwrap();
        let mut child = paused_run(dir.path(), hook.path());
        let delay = writes.mul_f64(f64::from(round) / 6.0);
        std::fs::write(hook.path().join("resume"), b"").unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        let (new, temps) = check_old_or_new(dir.path(), &originals);
        // A SIGKILL cannot be cleaned up after: at most the one temp file being written at that
        // moment stays (named .nsa-migrate-*.tmp, never taken for a source file); never a
        // partial or empty source file.
        assert!(temps.len() <= 1, "{temps:?}");
        if new > 0 && new < FILES {
            mid_write += 1;
        }
        eprintln!("kill {delay:?} into the writes: {new} of {FILES} files new, temp files left: {temps:?}");
        // The next run names a leftover temp file, and finishes the job.
        let out = bin()
            .current_dir(dir.path())
            .args(["--color", "never", "--write", "--force", "."])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let expected: String = temps
            .iter()
            .map(|t| format!("{t}:1:1: warning[skipped]: a temp file left by an nsa-migrate run that was killed while writing; the file beside it is whole — delete this one\n"))
            .collect();
        assert_eq!(findings_stdout(&out), expected);
        let (new, _) = check_old_or_new(dir.path(), &originals);
        assert_eq!(new, FILES);
    }
    eprintln!("the writes took {writes:?}; {mid_write} of 7 kills landed among them");
}

#[test]
fn a_panic_on_one_file_is_a_finding_and_the_run_goes_on() {
    let (dir, originals) = make_tree(3, 0);
    let out = bin()
        .current_dir(dir.path())
        .args(["--color", "never", "--write", "--force", "."])
        .env("NSA_MIGRATE_PANIC_ON", "form001.tsx")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let stdout = findings_stdout(&out);
    assert!(
        stdout.starts_with(
            "app/form001.tsx:1:1: warning[skipped]: nsa-migrate crashed on this file (test hook NSA_MIGRATE_PANIC_ON=form001.tsx at src/test_hooks.rs:"
        ),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("); nothing was changed — please report it\n"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    // No panic message or backtrace hint on stderr: the summary and one line about the crash.
    assert_eq!(
        stderr(&out),
        "3 files scanned: changed 2, created 0, 1 finding, 1 skipped\n\
         error: nsa-migrate crashed on 1 file (see the findings; it was left unchanged) — please report it\n"
    );
    let (new, temps) = check_old_or_new(dir.path(), &originals);
    assert_eq!((new, temps.len()), (2, 0));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("app/form001.tsx")).unwrap(),
        originals["app/form001.tsx"]
    );
    // The same in the other modes: a dry run and --check exit 2 too.
    for mode in ["--dry-run", "--check"] {
        let out = bin()
            .current_dir(dir.path())
            .args(["--color", "never", mode, "."])
            .env("NSA_MIGRATE_PANIC_ON", "form001.tsx")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{mode}: {}", stderr(&out));
    }
}
