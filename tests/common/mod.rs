//! Shared helpers of the integration tests: temp trees, the binary, tree comparison.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn bin() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_nsa-migrate"));
    command.env_remove("NO_COLOR");
    command
}

/// Every file under `root`, relative path → bytes.
pub fn read_tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(dir) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                todo.push(path);
            } else if kind.is_file() {
                let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                files.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

pub fn copy_tree(from: &Path, to: &Path) {
    for (rel, bytes) in read_tree(from) {
        let target = to.join(&rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
}

/// Writes `files` (path, contents) under a fresh temp folder.
pub fn temp_tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// The tree a fixture case must leave: its `output/`, or its `input/` for a case that must stay
/// unchanged (such a case has no `output/`).
pub fn expected_tree(case: &Path) -> PathBuf {
    let output = case.join("output");
    if output.exists() { output } else { case.join("input") }
}

pub fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// What the run printed on stdout but the `wrote:` / `created:` lines of `--write`.
pub fn findings_stdout(output: &std::process::Output) -> String {
    stdout(output)
        .lines()
        .filter(|line| !line.starts_with("wrote: ") && !line.starts_with("created: "))
        .map(|line| format!("{line}\n"))
        .collect()
}

pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Where the tests keep what they install once (npm packages): `NSA_MIGRATE_CACHE`, else the
/// user's cache folder.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("NSA_MIGRATE_CACHE") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
        return PathBuf::from(dir).join("nsa-migrate");
    }
    match std::env::var_os("HOME") {
        Some(home) => PathBuf::from(home).join(".cache/nsa-migrate"),
        None => PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("nsa-migrate-cache"),
    }
}

/// The cache folder `name` holding an npm install of `packages` (pinned specs), made the first
/// time: installed beside it, then renamed, so a concurrent run never sees half an install.
/// `ready` tells an install that is whole; `who` names the test in the messages.
pub fn npm_install_cached(name: &str, packages: &[String], ready: impl Fn(&Path) -> bool, who: &str) -> PathBuf {
    let runs = |program: &str| {
        Command::new(program)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    assert!(runs("node"), "node is not on the PATH: {who} needs node and npm");
    let dir = cache_dir().join(name);
    if ready(&dir) {
        return dir;
    }
    assert!(
        runs("npm"),
        "npm is not on the PATH: {who} installs {packages:?} with it"
    );
    let staging = cache_dir().join(format!("{name}.tmp-{}", std::process::id()));
    std::fs::create_dir_all(&staging).unwrap_or_else(|e| panic!("cannot create {}: {e}", staging.display()));
    let install = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--loglevel", "error", "--prefix"])
        .arg(&staging)
        .args(packages)
        .output()
        .expect("npm runs");
    assert!(
        install.status.success(),
        "npm install {packages:?} into {} failed:\n{}{}",
        staging.display(),
        stdout(&install),
        stderr(&install)
    );
    let _ = std::fs::remove_dir_all(&dir);
    if std::fs::rename(&staging, &dir).is_err() {
        // Another run installed it first.
        let _ = std::fs::remove_dir_all(&staging);
    }
    assert!(
        ready(&dir),
        "{packages:?} were installed into {} but are not whole",
        dir.display()
    );
    dir
}

/// Runs `git ARGS` in `dir` with a throwaway identity, and asserts it succeeded.
pub fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
}
