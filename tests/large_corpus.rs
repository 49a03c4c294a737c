//! Idempotence and stability over a large generated corpus (`examples/gen-corpus.rs`, every file
//! carrying a pattern, all transforms on): the output does not depend on the thread count,
//! `--write` then `--check` finds nothing left to do, and a second `--write` changes no byte.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

const FILES: &str = "1000";

/// The generator binary: `cargo test` builds the examples beside the test binaries; else build it.
fn gen_corpus() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(Path::parent).unwrap();
    let built = profile_dir
        .join("examples")
        .join(format!("gen-corpus{}", std::env::consts::EXE_SUFFIX));
    if !built.exists() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--example", "gen-corpus"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .unwrap();
        assert!(status.success());
    }
    built
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    bin()
        .current_dir(dir)
        .args(["--color", "never", "--force"])
        .args(args)
        .arg(".")
        .output()
        .unwrap()
}

#[test]
fn generated_corpus_is_stable_idempotent_and_independent_of_threads() {
    let work = tempfile::tempdir().unwrap();
    let corpus = work.path().join("corpus");
    let status = Command::new(gen_corpus())
        .args(["--files", FILES, "--mode", "all", "--no-git", "--out"])
        .arg(&corpus)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let original = read_tree(&corpus);

    // The same diffs and findings with one thread and with two.
    let one = run(&corpus, &["--jobs", "1"]);
    let two = run(&corpus, &["--jobs", "2"]);
    assert_eq!(one.status.code(), Some(0), "{}", stderr(&one));
    assert_eq!(two.status.code(), Some(0), "{}", stderr(&two));
    assert!(
        stdout(&one) == stdout(&two),
        "--jobs 1 and --jobs 2 print different diffs"
    );
    assert_eq!(stderr(&one), stderr(&two));
    assert_eq!(read_tree(&corpus), original, "a dry run wrote something");

    let write = run(&corpus, &["--write", "--jobs", "2"]);
    assert_eq!(write.status.code(), Some(0), "{}", stderr(&write));
    let summary = stderr(&write);
    assert!(
        summary.contains(&format!("{FILES} files scanned: changed {FILES},")),
        "{summary}"
    );
    let after_write = read_tree(&corpus);
    assert!(after_write.keys().all(|p| !p.contains(".nsa-migrate-")));
    // The dry run's diffs are exactly what --write did: every changed file appears in them.
    for (path, bytes) in &after_write {
        if original.get(path) != Some(bytes) {
            assert!(
                stdout(&two).contains(&format!("+++ b/{path}\n")),
                "{path} changed but was not in the diff"
            );
        }
    }

    // Nothing left to do: --check exits 0, with no file that would change and no finding.
    let check = run(&corpus, &["--check"]);
    assert_eq!(check.status.code(), Some(0), "{}{}", stdout(&check), stderr(&check));
    assert_eq!(stdout(&check), "");

    // A second --write changes no byte.
    let again = run(&corpus, &["--write", "--jobs", "1"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("changed 0, created 0, 0 findings"),
        "{}",
        stderr(&again)
    );
    assert!(read_tree(&corpus) == after_write, "a second --write changed files");
}
