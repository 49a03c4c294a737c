//! Type-level test of redirect-outside-try: for every TypeScript fixture of the transform,
//! `tsc --noEmit` with `strict` runs over the inputs and over the expected outputs (one
//! program per side, with the stubs of `tests/support/types/`), and every output must
//! type-check where its input did. This is what proves the rewrite keeps inferred return types,
//! definite assignment and narrowing as they were.
//!
//! TypeScript is installed into a cache folder the first time (`$NSA_MIGRATE_CACHE`, else
//! `$XDG_CACHE_HOME/nsa-migrate` or `~/.cache/nsa-migrate`); node and npm must be on the PATH,
//! and the test fails when they are not.

mod common;

use common::npm_install_cached;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const TYPESCRIPT: &str = "5.9.3";

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures() -> PathBuf {
    manifest().join("tests/fixtures/redirect-outside-try")
}

/// The path of `tsc`, installing TypeScript into the cache folder when it is missing.
fn tsc() -> PathBuf {
    let tsc = |dir: &Path| dir.join("node_modules/typescript/bin/tsc");
    let dir = npm_install_cached(
        &format!("typescript-{TYPESCRIPT}"),
        &[format!("typescript@{TYPESCRIPT}")],
        |dir| tsc(dir).is_file(),
        "the type-level test of redirect-outside-try",
    );
    tsc(&dir)
}

/// Every `.ts`/`.tsx` file under `<case>/<side>/`, relative to the fixtures folder.
fn typescript_files(side: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .expect("the fixtures folder exists")
        .flatten()
        .map(|e| e.path().join(side))
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    let mut todo = cases;
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "ts" || e == "tsx") {
                files.push(path.strip_prefix(fixtures()).unwrap().to_path_buf());
            }
        }
    }
    files.sort();
    files
}

/// Runs one `tsc` over `files` (relative to the fixtures folder) plus the stubs; returns the
/// errors per file, keyed by the file's path relative to the fixtures folder.
fn type_check(tsc: &Path, files: &[PathBuf]) -> BTreeMap<String, Vec<String>> {
    let work = tempfile::tempdir().unwrap();
    let stubs = manifest().join("tests/support/types");
    let mut all: Vec<String> = std::fs::read_dir(&stubs)
        .expect("tests/support/types exists")
        .flatten()
        .map(|e| e.path().to_string_lossy().into_owned())
        .filter(|p| p.ends_with(".d.ts"))
        .collect();
    all.sort();
    all.extend(files.iter().map(|f| fixtures().join(f).to_string_lossy().into_owned()));
    let config = serde_json::json!({
        "compilerOptions": {
            "strict": true,
            "noEmit": true,
            "target": "ES2022",
            "module": "ESNext",
            "moduleResolution": "Bundler",
            "jsx": "preserve",
            "lib": ["ES2022", "DOM"],
            "types": [],
            "skipLibCheck": true
        },
        "files": all,
    });
    let config_path = work.path().join("tsconfig.json");
    std::fs::write(&config_path, serde_json::to_string_pretty(&config).unwrap()).unwrap();
    let output = Command::new("node")
        .arg(tsc)
        .arg("-p")
        .arg(&config_path)
        .args(["--pretty", "false"])
        .current_dir(fixtures())
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut last: Option<String> = None;
    for line in stdout.lines() {
        if line.starts_with(' ') {
            if let Some(file) = &last {
                errors.entry(file.clone()).or_default().push(line.to_string());
            }
            continue;
        }
        let Some((file, _)) = line.split_once('(').filter(|_| line.contains("): error TS")) else {
            panic!(
                "tsc failed outside the fixtures:\n{stdout}{}",
                String::from_utf8_lossy(&output.stderr)
            );
        };
        errors.entry(file.to_string()).or_default().push(line.to_string());
        last = Some(file.to_string());
    }
    assert!(
        matches!(output.status.code(), Some(0..=2)),
        "tsc exited {:?}:\n{stdout}{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    errors
}

#[test]
fn outputs_type_check_wherever_inputs_did() {
    let tsc = tsc();
    let inputs = typescript_files("input");
    let outputs = typescript_files("output");
    assert!(
        inputs.len() >= 16,
        "expected the TypeScript fixtures, found {}",
        inputs.len()
    );
    let input_errors = type_check(&tsc, &inputs);
    let output_errors = type_check(&tsc, &outputs);

    let key = |p: &Path| p.to_string_lossy().replace('\\', "/");
    let mut failures = Vec::new();
    let mut clean = 0;
    for input in &inputs {
        if input_errors.contains_key(&key(input)) {
            continue;
        }
        clean += 1;
        let rel = key(input).replacen("/input/", "/output/", 1);
        // A case without `output/` must stay unchanged: its output is its input, which checks.
        let case_output = rel.split_once("/output/").map(|(case, _)| format!("{case}/output"));
        if case_output.is_some_and(|dir| !Path::new(&dir).exists()) {
            continue;
        }
        if !outputs.iter().any(|o| key(o) == rel) {
            failures.push(format!("{rel}: missing"));
        } else if let Some(errors) = output_errors.get(&rel) {
            failures.push(errors.join("\n"));
        }
    }
    // Stubs that stopped matching the fixtures would make every input fail and this test vacuous.
    let broken: Vec<&String> = input_errors.keys().collect();
    assert!(
        clean * 2 > inputs.len(),
        "most inputs should type-check; these do not: {broken:?}\n{input_errors:#?}"
    );
    assert!(
        failures.is_empty(),
        "outputs that no longer type-check although their input did:\n\n{}",
        failures.join("\n\n")
    );
}
