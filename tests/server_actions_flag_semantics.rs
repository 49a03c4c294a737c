//! The semantic test of server-actions-flag: for every `.js`/`.mjs`/`.cjs` next.config file of its
//! fixture cases, node loads the input and the expected output (`tests/support/load-config.mjs`),
//! and the output config must equal the input config with exactly the documented keys moved or
//! removed. Needs node on the PATH (CI has node 20); without it the test fails, it never passes
//! silently.

mod common;

use common::*;
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The transform's documented effect on a loaded config (the same for every target: the keys
/// Next 15 moved are the next-config rule's, checked by tests/next_config_semantics.rs).
fn documented(mut config: Value) -> Value {
    let Some(top) = config.as_object_mut() else {
        return config;
    };
    let Some(Value::Object(mut experimental)) = top.get("experimental").cloned() else {
        return config;
    };
    let was_empty = experimental.is_empty();
    if matches!(experimental.get("serverActions"), Some(Value::Bool(_))) {
        experimental.remove("serverActions");
    }
    if let Some(limit) = experimental.remove("serverActionsBodySizeLimit") {
        match experimental.get_mut("serverActions") {
            // An existing bodySizeLimit is kept.
            Some(Value::Object(actions)) => {
                actions.entry("bodySizeLimit").or_insert(limit);
            }
            _ => {
                experimental.insert("serverActions".into(), json!({ "bodySizeLimit": limit }));
            }
        }
    }
    if experimental.is_empty() && !was_empty {
        top.remove("experimental");
    } else {
        top.insert("experimental".into(), Value::Object(experimental));
    }
    config
}

fn is_js_config(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(name, "next.config.js" | "next.config.mjs" | "next.config.cjs")
}

/// Every config file loaded by node: path → config.
fn load_with_node(paths: &[PathBuf]) -> Map<String, Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/load-config.mjs");
    let output = match Command::new("node").arg(&script).args(paths).output() {
        Ok(output) => output,
        Err(error) => panic!(
            "the server-actions-flag semantic test needs node on the PATH (CI has node 20), and running it failed: {error}"
        ),
    };
    assert!(
        output.status.success(),
        "node could not run {}:\n{}",
        script.display(),
        stderr(&output)
    );
    match serde_json::from_slice(&output.stdout) {
        Ok(Value::Object(map)) => map,
        _ => panic!(
            "load-config.mjs printed something that is not a JSON object:\n{}",
            stdout(&output)
        ),
    }
}

#[test]
fn output_configs_equal_input_configs_with_the_documented_keys_moved() {
    let root = fixtures_root().join("server-actions-flag");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("input").is_dir())
        .collect();
    cases.sort();
    let mut pairs = Vec::new();
    for case in &cases {
        for rel in read_tree(&case.join("input")).keys().filter(|p| is_js_config(p)) {
            pairs.push((case.join("input").join(rel), expected_tree(case).join(rel)));
        }
    }
    assert!(
        pairs.len() >= 10,
        "only {} JavaScript config files among the fixtures",
        pairs.len()
    );
    let paths: Vec<PathBuf> = pairs.iter().flat_map(|(i, o)| [i.clone(), o.clone()]).collect();
    let loaded = load_with_node(&paths);
    let get = |path: &Path| -> Value {
        let value = loaded
            .get(&path.to_string_lossy().into_owned())
            .cloned()
            .unwrap_or_else(|| panic!("node printed nothing for {}", path.display()));
        if let Some(error) = value.get("__error") {
            panic!(
                "node could not load {}:\n{}",
                path.display(),
                error.as_str().unwrap_or("")
            );
        }
        value
    };
    let mut failures = Vec::new();
    for (input, output) in &pairs {
        let before = get(input);
        let after = get(output);
        let expected = documented(before.clone());
        if after != expected {
            failures.push(format!(
                "{}\n  input:    {before}\n  expected: {expected}\n  output:   {after}",
                output.strip_prefix(&root).unwrap_or(output).display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} configs do not match the documented change:\n{}",
        failures.len(),
        pairs.len(),
        failures.join("\n")
    );
}

#[test]
fn documented_change_removes_and_moves_exactly_the_server_actions_keys() {
    let input = json!({
        "a": 1,
        "experimental": {
            "serverActions": true,
            "serverActionsBodySizeLimit": "2mb",
            "serverComponentsExternalPackages": ["x"]
        }
    });
    assert_eq!(
        documented(input),
        json!({
            "a": 1,
            "experimental": {
                "serverActions": { "bodySizeLimit": "2mb" },
                "serverComponentsExternalPackages": ["x"]
            }
        })
    );
    assert_eq!(
        documented(json!({ "experimental": { "serverActions": false } })),
        json!({})
    );
    assert_eq!(documented(json!({ "experimental": {} })), json!({ "experimental": {} }));
}
