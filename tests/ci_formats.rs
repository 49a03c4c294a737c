//! `--format github` and `--format sarif` on the example Next 14 app, recorded under
//! `snapshots/`, with their exit codes; the GitHub escaping on awkward names and messages; the
//! SARIF log checked against the SARIF 2.1.0 schema (tests/sarif/, the OASIS file) and its fixes
//! applied back to the files.

mod common;

use common::*;
use std::path::Path;

fn example_app() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/next14-app"),
        dir.path(),
    );
    for generated in ["node_modules", ".next"] {
        let _ = std::fs::remove_dir_all(dir.path().join(generated));
    }
    dir
}

fn snapshot(name: &str, text: String) {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    bin().current_dir(dir).args(args).output().unwrap()
}

#[test]
fn github_check_on_the_example_app() {
    let dir = example_app();
    let out = run_in(dir.path(), &["--check", "--format", "github"]);
    assert_eq!(out.status.code(), Some(1), "a check that finds work fails the job");
    assert_eq!(stderr(&out), "", "the summary is a notice on stdout");
    for line in stdout(&out).lines() {
        assert!(
            line.starts_with("::warning file=") || line.starts_with("::notice title=nsa-migrate::"),
            "{line}"
        );
    }
    snapshot("example-app-github-check", stdout(&out));
}

#[test]
fn github_exit_codes_follow_the_mode() {
    let dir = example_app();
    assert_eq!(
        run_in(dir.path(), &["--diff", "--format", "github"]).status.code(),
        Some(1)
    );
    let dry = run_in(dir.path(), &["--format", "github"]);
    assert_eq!(dry.status.code(), Some(0));
    assert!(
        !stdout(&dry).contains("\n---"),
        "no diff lines among the workflow commands"
    );
    let write = run_in(dir.path(), &["--write", "--format", "github"]);
    assert_eq!(write.status.code(), Some(0));
    assert!(
        !stdout(&write).contains("would change"),
        "nothing is pending after --write:\n{}",
        stdout(&write)
    );
    let quiet = run_in(dir.path(), &["--check", "--format", "github", "-q"]);
    assert!(!stdout(&quiet).contains("::notice"), "-q hides the summary");
    // Migrated, with the packages it asks for: a clean check passes the job.
    std::fs::copy(dir.path().join("package.next15.json"), dir.path().join("package.json")).unwrap();
    let again = run_in(dir.path(), &["--check", "--format", "github"]);
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
    assert_eq!(
        stdout(&again),
        "::notice title=nsa-migrate::18 files scanned: would change 0, would create 0, 0 findings, 0 skipped\n"
    );
}

/// A file name with a comma and a colon: escaped where the runner would misread it, the path
/// relative to the current folder with `/`.
#[test]
fn github_escapes_names_and_messages() {
    let dir = temp_tree(&[(
        "app/a,b:c/page.tsx",
        "export default async function Page() {\n  return null;\n}\n'use server';\nexport async function save() {}\n",
    )]);
    let out = run_in(&dir.path().join("app"), &["--check", "--format", "github", "."]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("::warning file=a%2Cb%3Ac/page.tsx,"), "{text}");
    for line in text.lines() {
        let (_, message) = line.split_once("::").unwrap().1.split_once("::").unwrap();
        assert!(!message.contains('\n') && !message.contains('\r'));
    }
}

fn sarif_of(dir: &Path, args: &[&str]) -> (serde_json::Value, Option<i32>) {
    let out = run_in(dir, &[&["--format", "sarif"], args].concat());
    let log = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}:\n{}", stdout(&out)));
    (log, out.status.code())
}

#[test]
fn sarif_on_the_example_app_is_valid_sarif_2_1_0() {
    let dir = example_app();
    let (log, code) = sarif_of(dir.path(), &["--check"]);
    assert_eq!(code, Some(1), "--check keeps its exit code");
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sarif/sarif-schema-2.1.0.json");
    let schema: serde_json::Value = serde_json::from_slice(&std::fs::read(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "not valid SARIF 2.1.0:\n{}", errors.join("\n"));
    // And the schema is not one that accepts anything.
    let broken = serde_json::json!({ "version": "2.1.0", "runs": [{ "tool": {} }] });
    assert!(!validator.is_valid(&broken));
    snapshot("example-app-sarif-check", serde_json::to_string_pretty(&log).unwrap());
}

/// Every rule is described; every result names a rule the driver lists, by id and index.
#[test]
fn sarif_rules_and_results_agree() {
    let dir = example_app();
    let (log, _) = sarif_of(dir.path(), &[]);
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let listed = bin().args(["--list", "--format", "json"]).output().unwrap();
    let listed: Vec<serde_json::Value> = serde_json::from_slice(&listed.stdout).unwrap();
    for meta in &listed {
        let rule = rules
            .iter()
            .find(|r| r["id"] == meta["name"])
            .expect("every rule in the driver");
        assert!(rule["helpUri"].as_str().unwrap().contains('#'));
        assert!(!rule["fullDescription"]["text"].as_str().unwrap().is_empty());
    }
    let results = run["results"].as_array().unwrap();
    assert!(results.len() >= 9, "8 pending changes and a finding");
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("a rule index") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
}

/// The fixes, applied to the files as they are, give what `--write` writes.
#[test]
fn sarif_fixes_are_the_changes_write_makes() {
    let dir = example_app();
    let (log, _) = sarif_of(dir.path(), &[]);
    let written = example_app();
    assert_eq!(run_in(written.path(), &["--write", "-q"]).status.code(), Some(0));
    let mut fixed = 0;
    for result in log["runs"][0]["results"].as_array().unwrap() {
        for fix in result["fixes"].as_array().into_iter().flatten() {
            for change in fix["artifactChanges"].as_array().unwrap() {
                let uri = change["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .replace("%5B", "[")
                    .replace("%5D", "]");
                let mut bytes = std::fs::read(dir.path().join(&uri)).unwrap_or_default();
                let mut replacements: Vec<&serde_json::Value> =
                    change["replacements"].as_array().unwrap().iter().collect();
                // From the end, so earlier offsets still hold.
                replacements.sort_by_key(|r| std::cmp::Reverse(r["deletedRegion"]["byteOffset"].as_u64().unwrap()));
                for r in replacements {
                    let start = r["deletedRegion"]["byteOffset"].as_u64().unwrap() as usize;
                    let length = r["deletedRegion"]["byteLength"].as_u64().unwrap() as usize;
                    let text = r["insertedContent"]["text"].as_str().unwrap();
                    bytes.splice(start..start + length, text.bytes());
                }
                let expected = std::fs::read(written.path().join(&uri)).unwrap();
                assert_eq!(
                    String::from_utf8_lossy(&bytes),
                    String::from_utf8_lossy(&expected),
                    "{uri}"
                );
                fixed += 1;
            }
        }
    }
    assert_eq!(fixed, 10, "9 changed files and 1 created");
}
