//! Fixture tests: `tests/fixtures/<transform>/<case>/` holds `input/` and `output/` trees (no
//! `output/` for a case that must stay unchanged), an
//! optional `args` file (extra flags, e.g. `--to 14`), an optional `links` file (symbolic links
//! to make, `LINK TARGET` a line) and an optional `findings.txt` (the
//! findings the run must print, exactly; absent means none). For every case the harness checks
//! the output tree byte for byte, the findings, that every file of the output parses, and that a
//! second run changes nothing. `tests/fixtures/versions/` holds cases of the version check,
//! run with every transform; there `--check` after `--write` must still fail while a finding is
//! due (the check reads the code as it is).
//!
//! Each case is a test of its own, named `<transform with _>::<case folder>` (this target has
//! `harness = false` and lists its tests with libtest-mimic), so
//! `cargo test --test fixtures hoist_inline_actions::crlf` runs one case and a failure names it.

mod common;

use common::*;
use libtest_mimic::{Arguments, Failed, Trial};
use nsa_migrate::parse::{Lang, Parsers};
use std::path::{Path, PathBuf};

fn run_case(transform: &str, case: &Path) -> Result<(), String> {
    let work = tempfile::tempdir().unwrap();
    copy_tree(&case.join("input"), work.path());
    // `links`: symbolic links to make in the copy, `LINK TARGET` a line (a workspace package in
    // node_modules); the tree comparison does not follow them.
    if let Ok(links) = std::fs::read_to_string(case.join("links")) {
        for line in links.lines().filter(|l| !l.trim().is_empty()) {
            let (link, target) = line.split_once(' ').expect("a links line is `LINK TARGET`");
            let link = work.path().join(link);
            std::fs::create_dir_all(link.parent().unwrap()).unwrap();
            #[cfg(unix)]
            std::os::unix::fs::symlink(target.trim(), &link).unwrap();
        }
    }
    let extra: Vec<String> = std::fs::read_to_string(case.join("args"))
        .map(|a| a.split_whitespace().map(String::from).collect())
        .unwrap_or_default();
    let only: &[&str] = if transform == "versions" {
        &[]
    } else {
        &["-t", transform]
    };
    let run = |mode: &str| {
        bin()
            .current_dir(work.path())
            // -q: stdout holds the findings alone (not the `wrote:` lines).
            .args([mode, "--force", "-q", "--color", "never"])
            .args(only)
            .args(&extra)
            .arg(".")
            .output()
            .unwrap()
    };

    let first = run("--write");
    if first.status.code() != Some(0) {
        return Err(format!(
            "--write exited {:?}\n{}{}",
            first.status.code(),
            stdout(&first),
            stderr(&first)
        ));
    }
    let expected_findings = std::fs::read_to_string(case.join("findings.txt")).unwrap_or_default();
    if stdout(&first) != expected_findings {
        return Err(format!(
            "findings differ\n--- expected\n{expected_findings}--- actual\n{}",
            stdout(&first)
        ));
    }
    let expected = read_tree(&expected_tree(case));
    let actual = read_tree(work.path());
    for (path, bytes) in &expected {
        match actual.get(path) {
            None => return Err(format!("{path} is missing from the output")),
            Some(got) if got != bytes => {
                return Err(format!(
                    "{path} differs\n--- expected\n{}\n--- actual\n{}",
                    String::from_utf8_lossy(bytes),
                    String::from_utf8_lossy(got)
                ));
            }
            _ => {}
        }
    }
    if let Some(extra) = actual.keys().find(|p| !expected.contains_key(*p)) {
        return Err(format!("{extra} is in the output but not in the expected tree"));
    }
    let mut parsers = Parsers::new();
    for (path, bytes) in &actual {
        let Some(lang) = Lang::from_path(Path::new(path)) else {
            continue;
        };
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let tree = parsers.parse(lang, text, None).unwrap();
        let had_errors = std::fs::read(case.join("input").join(path)).is_ok_and(|input| {
            let input = String::from_utf8_lossy(&input).into_owned();
            parsers.parse(lang, &input, None).unwrap().root_node().has_error()
        });
        if tree.root_node().has_error() && !had_errors {
            return Err(format!("{path} does not parse after the run"));
        }
    }
    let second = run("--write");
    if read_tree(work.path()) != actual {
        return Err(format!("a second run changed files\n{}", stdout(&second)));
    }
    if transform == "versions" {
        // What a check must still say after the write: the findings, unless `check-findings.txt`
        // says otherwise (a removed config flag leaves nothing in the code to read).
        let expected_findings = std::fs::read_to_string(case.join("check-findings.txt")).unwrap_or(expected_findings);
        let check = run("--check");
        let due = !expected_findings.is_empty();
        if check.status.code() != Some(i32::from(due)) || stdout(&check) != expected_findings {
            return Err(format!(
                "--check after --write exited {:?} (findings due: {due})\n{}",
                check.status.code(),
                stdout(&check)
            ));
        }
    }
    Ok(())
}

fn main() {
    let arguments = Arguments::from_args();
    libtest_mimic::run(&arguments, fixture_cases()).exit();
}

/// One trial per case folder (a folder holding `input/`), in path order.
fn fixture_cases() -> Vec<Trial> {
    let mut trials = Vec::new();
    for transform_dir in sorted_folders(&fixtures_root()) {
        let transform = transform_dir.file_name().unwrap().to_string_lossy().into_owned();
        for case in sorted_folders(&transform_dir) {
            if !case.join("input").is_dir() {
                continue;
            }
            let name = format!(
                "{}::{}",
                transform.replace('-', "_"),
                case.file_name().unwrap().to_string_lossy()
            );
            let transform = transform.clone();
            trials.push(Trial::test(name, move || {
                run_case(&transform, &case).map_err(Failed::from)
            }));
        }
    }
    // A moved or misspelt fixtures folder must not pass as "0 tests ran".
    assert!(
        !trials.is_empty(),
        "no fixture cases under {}",
        fixtures_root().display()
    );
    trials
}

fn sorted_folders(parent: &Path) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(parent)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    folders
}
