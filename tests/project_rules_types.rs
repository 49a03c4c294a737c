//! Type-level test of the project rules that exist because of React 19's types
//! (action-state-signature, action-state-initial-type, form-action-return): `tsc --strict` with
//! @types/react 19 runs over each TypeScript fixture case, input and expected output apart. A case
//! that fixes (`fix-*`) must fail on its input and pass on its output; a case that only reports
//! (`finding-*`) must fail on its input (the finding speaks of a real build failure); a case left
//! alone (`unchanged-*`) must pass on both. Cases run with `--to 14` are React 18's and are not
//! judged by React 19's types.
//!
//! TypeScript and React's types are installed into the cache folder the first time
//! (`tests/common::npm_install_cached`); node and npm must be on the PATH.

mod common;

use common::{copy_tree, npm_install_cached};
use std::path::{Path, PathBuf};
use std::process::Command;

const PACKAGES: &[&str] = &["typescript@5.9.3", "@types/react@19.2.9", "@types/react-dom@19.2.7"];
const RULES: &[&str] = &[
    "action-state-signature",
    "action-state-initial-type",
    "form-action-return",
];

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The folder whose node_modules hold TypeScript and React's types.
fn toolchain() -> PathBuf {
    npm_install_cached(
        "react-19-types",
        &PACKAGES.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
        |dir| {
            dir.join("node_modules/typescript/bin/tsc").is_file()
                && dir.join("node_modules/@types/react/index.d.ts").is_file()
        },
        "the type-level test of the project rules",
    )
}

fn has_typescript(dir: &Path) -> bool {
    common::read_tree(dir)
        .keys()
        .any(|p| p.ends_with(".ts") || p.ends_with(".tsx"))
}

/// The errors `tsc --strict` reports for one side of a case, with the `@/*` paths of the
/// fixtures and the stubs of `tests/support/project-types/`.
fn type_errors(toolchain: &Path, side: &Path) -> Vec<String> {
    let work = tempfile::tempdir().unwrap();
    copy_tree(side, work.path());
    #[cfg(unix)]
    std::os::unix::fs::symlink(toolchain.join("node_modules"), work.path().join("node_modules")).unwrap();
    let stubs = manifest().join("tests/support/project-types/next.d.ts");
    let config = serde_json::json!({
        "compilerOptions": {
            "strict": true,
            "noEmit": true,
            "target": "ES2022",
            "module": "ESNext",
            "moduleResolution": "Bundler",
            "jsx": "react-jsx",
            "lib": ["ES2022", "DOM", "DOM.Iterable"],
            "types": ["react", "react-dom"],
            "skipLibCheck": true,
            "allowJs": true,
            "baseUrl": ".",
            "paths": { "@/*": ["./*"] }
        },
        "include": ["**/*.ts", "**/*.tsx", stubs.to_string_lossy()],
        "exclude": ["node_modules"],
    });
    // The fixture's own tsconfig.json is replaced: this one names the types to check against.
    std::fs::write(
        work.path().join("tsconfig.json"),
        serde_json::to_string_pretty(&config).unwrap(),
    )
    .unwrap();
    let output = Command::new("node")
        .arg(toolchain.join("node_modules/typescript/bin/tsc"))
        .args(["-p", "tsconfig.json", "--pretty", "false"])
        .current_dir(work.path())
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        matches!(output.status.code(), Some(0..=2)),
        "tsc exited {:?}:\n{stdout}{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .lines()
        .filter(|l| l.contains("error TS"))
        .map(String::from)
        .collect()
}

#[test]
fn fixes_make_react_19_types_pass() {
    let toolchain = toolchain();
    let mut cases: Vec<(String, PathBuf)> = Vec::new();
    for rule in RULES {
        let dir = manifest().join("tests/fixtures").join(rule);
        let mut found: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).collect();
        found.sort();
        for case in found {
            let args = std::fs::read_to_string(case.join("args")).unwrap_or_default();
            if has_typescript(&case.join("input")) && !args.contains("--to 14") {
                cases.push((format!("{rule}/{}", case.file_name().unwrap().to_string_lossy()), case));
            }
        }
    }
    assert!(
        cases.len() >= 10,
        "expected the TypeScript cases of {RULES:?}, found {}",
        cases.len()
    );
    let results: Vec<(String, Vec<String>, Vec<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = cases
            .iter()
            .map(|(name, case)| {
                let toolchain = &toolchain;
                scope.spawn(move || {
                    let input = type_errors(toolchain, &case.join("input"));
                    // A case without `output/` must stay unchanged: its output is its input.
                    let output = match case.join("output") {
                        output if output.exists() => type_errors(toolchain, &output),
                        _ => input.clone(),
                    };
                    (name.clone(), input, output)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut failures = Vec::new();
    for (name, input, output) in results {
        let kind = name.split('/').nth(1).unwrap_or("");
        let (input_fails, output_fails) = (!input.is_empty(), !output.is_empty());
        let expected = if kind.starts_with("fix-") {
            input_fails && !output_fails
        } else if kind.starts_with("finding-") {
            input_fails
        } else {
            !input_fails && !output_fails
        };
        if !expected {
            failures.push(format!(
                "{name}\n  input:\n    {}\n  output:\n    {}",
                input.join("\n    "),
                output.join("\n    ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "cases whose types are not as expected:\n{}",
        failures.join("\n")
    );
}
