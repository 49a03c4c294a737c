//! `nsa-migrate lsp` with a real client: Neovim's built-in LSP client, headless
//! (tests/lsp/neovim.lua), on a copy of tests/lsp/app. It prints the diagnostics it was sent,
//! applies a quick fix, the fix-all action and the folder rule's quick fix (which creates a file)
//! through `vim.lsp.buf.code_action`, and writes the buffers. The printed lines and the written
//! tree must be tests/lsp/expected/, and the written files what `--write` makes of them.
//!
//! Neovim is Debian's, installed by scripts/install-neovim.sh when `nvim` is missing.

mod common;

use common::*;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn ensure_neovim() {
    let found = Command::new("nvim")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if found {
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/install-neovim.sh");
    let status = Command::new("bash").arg(script).status().expect("bash runs");
    assert!(status.success(), "scripts/install-neovim.sh failed");
}

/// The first line where two texts differ, for a readable failure.
fn first_difference(expected: &str, actual: &str) -> String {
    let line = expected
        .lines()
        .zip(actual.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
    format!(
        "line {}:\n expected: {:?}\n   actual: {:?}\n\nactual in full:\n{actual}",
        line + 1,
        expected.lines().nth(line),
        actual.lines().nth(line)
    )
}

#[test]
fn neovim_shows_the_diagnostics_and_applies_the_fixes() {
    ensure_neovim();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap().join("app");
    copy_tree(&manifest.join("tests/lsp/app"), &root);
    let printed = dir.path().join("printed.txt");
    let mut child = Command::new("nvim")
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c"])
        .arg(format!("luafile {}", manifest.join("tests/lsp/neovim.lua").display()))
        .env("NSA_MIGRATE_BIN", env!("CARGO_BIN_EXE_nsa-migrate"))
        .env("NSA_ROOT", &root)
        .env("NSA_OUT", &printed)
        .current_dir(&root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nvim starts");
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("Neovim did not finish in 120 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let printed = std::fs::read_to_string(&printed).unwrap_or_default();
    assert!(status.success(), "Neovim failed ({status}):\n{printed}");

    let expected = std::fs::read_to_string(manifest.join("tests/lsp/expected/neovim.txt")).unwrap();
    assert!(
        printed == expected,
        "printed diagnostics differ at {}",
        first_difference(&expected, &printed)
    );

    let written = read_tree(&root);
    let expected_tree = read_tree(&manifest.join("tests/lsp/expected/app"));
    let names = |tree: &std::collections::BTreeMap<String, Vec<u8>>| tree.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&written), names(&expected_tree), "the files Neovim left");
    for (path, bytes) in &expected_tree {
        let (expected, actual) = (String::from_utf8_lossy(bytes), String::from_utf8_lossy(&written[path]));
        assert!(
            expected == actual,
            "{path} differs at {}",
            first_difference(&expected, &actual)
        );
    }

    // The fixes applied in the editor are the CLI's changes to those files.
    let cli = tempfile::tempdir().unwrap();
    copy_tree(&manifest.join("tests/lsp/app"), cli.path());
    // The language server runs the single-file and folder rules on a buffer; the project rules
    // follow actions across the whole project, which only a run does.
    let project_rules: Vec<&str> = nsa_migrate::transforms::project_transforms()
        .iter()
        .map(|t| t.meta().name)
        .collect();
    let project_rules = project_rules.join(",");
    let out = bin()
        .current_dir(cli.path())
        .args(["--write", "-q", "--skip", &project_rules])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let by_cli = read_tree(cli.path());
    for path in ["app/actions.ts", "app/posts/post-item.tsx", "app/posts/actions.ts"] {
        assert_eq!(
            String::from_utf8_lossy(&written[path]),
            String::from_utf8_lossy(&by_cli[path]),
            "{path}"
        );
    }
}
