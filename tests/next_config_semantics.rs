//! The semantic test of next-config: every `.js`/`.mjs`/`.ts` next.config of its fixture cases
//! (Next 15.5 loads no `.cjs`/`.mts` config), input and expected output, is loaded with the real
//! `loadConfig()` of Next 15.5 (`tests/support/next-load-config.cjs`), and the resolved configs
//! must be equal once the keys the rule rewrote are left out of both (Next keeps an old key
//! beside the value it copied, and `experimental.turbo`'s keys inside `turbopack`).
//! `outputFileTracingIgnores` is the exception: Next 15.5 drops it, so the output's
//! `outputFileTracingExcludes` is compared with what Next 14.2 resolved from the input. And the
//! output must print none of the "moved", "Unrecognized key", "renamed" or "deprecated" warnings
//! the input printed about a key the rule rewrote.
//!
//! Next (with TypeScript, which it needs for `next.config.ts`) is installed with npm into the
//! cache folder the first time, pinned (`$NSA_MIGRATE_CACHE`, else `$XDG_CACHE_HOME/nsa-migrate`
//! or `~/.cache/nsa-migrate`); each config is copied into a folder inside that install, so it
//! resolves `next` and `typescript` there and nothing is written beside the fixtures. node and
//! npm must be on the PATH; the test fails when they are not.

mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const NEXT_15: &str = "15.5.29";
const NEXT_14: &str = "14.2.35";
const TYPESCRIPT: &str = "5.9.3";

/// Keys of `experimental` the rule moves or removes.
const OLD_EXPERIMENTAL: &[&str] = &[
    "serverComponentsExternalPackages",
    "bundlePagesExternals",
    "outputFileTracingRoot",
    "outputFileTracingIncludes",
    "outputFileTracingExcludes",
    "outputFileTracingIgnores",
    "swrDelta",
    "instrumentationHook",
    "appDir",
    "adjustFontFallbacks",
    "adjustFontFallbacksWithSizeAdjust",
    "transpilePackages",
    "skipMiddlewareUrlNormalize",
    "skipTrailingSlashRedirect",
    "relay",
    "styledComponents",
    "emotion",
    "reactRemoveProperties",
    "removeConsole",
    "outputStandalone",
    "turbo",
    "typedRoutes",
];
const OLD_TOP_LEVEL: &[&str] = &["swcMinify", "optimizeFonts", "outputFileTracing"];
const OLD_DEV_INDICATORS: &[&str] = &["buildActivityPosition", "buildActivity", "appIsrStatus"];
/// `experimental.turbo` keys Next copies into `turbopack` that the rule puts elsewhere.
const TURBO_ONLY: &[&str] = &["loaders", "memoryLimit", "minify", "treeShaking", "sourceMaps"];
const WARNING_WORDS: &[&str] = &["moved", "Unrecognized key", "renamed", "deprecated"];

/// The folder of a pinned `next@version` (+ typescript) install, made the first time.
fn next_install(version: &str) -> PathBuf {
    npm_install_cached(
        &format!("next-{version}"),
        &[format!("next@{version}"), format!("typescript@{TYPESCRIPT}")],
        |dir| {
            dir.join("node_modules/next/dist/server/config.js").is_file()
                && dir.join("node_modules/typescript/package.json").is_file()
        },
        "the next-config semantic test",
    )
}

/// What Next's loadConfig made of one config file: the config, or the error; and the warnings.
struct Loaded {
    config: Result<Value, String>,
    warnings: Vec<String>,
}

fn load(install: &Path, config: &Path) -> Loaded {
    let work = install.join("work");
    std::fs::create_dir_all(&work).unwrap();
    let dir = tempfile::tempdir_in(&work).unwrap();
    // The config and the modules beside it that it may import.
    let folder = config.parent().unwrap();
    for entry in std::fs::read_dir(folder).unwrap().flatten() {
        if entry.path().is_file() {
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
        }
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/next-load-config.cjs");
    let output = Command::new("node")
        .arg(&script)
        .arg(install)
        .arg(dir.path())
        .current_dir(dir.path())
        .output()
        .expect("node runs");
    let json: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "next-load-config.cjs printed no JSON for {}:\n{}{}",
            config.display(),
            stdout(&output),
            stderr(&output)
        )
    });
    let warnings = json["warnings"]
        .as_array()
        .map(|w| w.iter().filter_map(|s| s.as_str().map(String::from)).collect())
        .unwrap_or_default();
    let config = match json.get("config") {
        Some(config) => Ok(config.clone()),
        None => Err(json["error"].as_str().unwrap_or("").to_string()),
    };
    Loaded { config, warnings }
}

/// Whether `name` occurs in `text` as a whole word (not as the start of a longer name).
fn mentions(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        !word(before) && !word(after)
    })
}

/// The keys of `keys` the rule rewrote: in the object at `at` of the resolved input, not in
/// that of the resolved output.
fn rewritten<'a>(keys: &[&'a str], input: &Value, output: &Value, at: &str) -> Vec<&'a str> {
    let has = |config: &Value, key: &str| {
        let object = if at.is_empty() { config } else { &config[at] };
        object.get(key).is_some()
    };
    keys.iter()
        .copied()
        .filter(|k| has(input, k) && !has(output, k))
        .collect()
}

/// The paths where two JSON values differ, for the failure message.
fn differences(a: &Value, b: &Value, path: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let (left, right) = (x.get(key).unwrap_or(&Value::Null), y.get(key).unwrap_or(&Value::Null));
                differences(left, right, &format!("{path}.{key}"), out);
            }
        }
        _ if a != b => out.push(format!("{path}: input {a}, output {b}")),
        _ => {}
    }
}

/// What the output's `outputFileTracingExcludes` must be: the input's own entries, with what
/// Next 14.2 made of `outputFileTracingIgnores` (its `experimental.outputFileTracingExcludes`)
/// appended per glob.
fn merged_excludes(input15: &Value, input14: &Value) -> Value {
    let mut merged = input15["outputFileTracingExcludes"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    if let Some(old) = input14["experimental"]["outputFileTracingExcludes"].as_object() {
        for (glob, paths) in old {
            let entry = merged.entry(glob.clone()).or_insert_with(|| Value::Array(Vec::new()));
            if let (Some(entry), Some(paths)) = (entry.as_array_mut(), paths.as_array()) {
                entry.extend(paths.iter().cloned());
            }
        }
    }
    Value::Object(merged)
}

/// A resolved config without the rewritten keys (and what Next derives from them).
fn without(mut config: Value, experimental: &[&str], top: &[&str], dev: &[&str], ignores: bool) -> Value {
    let Some(object) = config.as_object_mut() else {
        return config;
    };
    for key in top {
        object.remove(*key);
    }
    if ignores {
        object.remove("outputFileTracingExcludes");
    }
    if let Some(Value::Object(inner)) = object.get_mut("experimental") {
        for key in experimental {
            inner.remove(*key);
        }
        if ignores {
            inner.remove("outputFileTracingExcludes");
        }
    }
    if let Some(Value::Object(inner)) = object.get_mut("devIndicators") {
        for key in dev {
            inner.remove(*key);
        }
    }
    if experimental.contains(&"turbo")
        && let Some(Value::Object(inner)) = object.get_mut("turbopack")
    {
        for key in TURBO_ONLY {
            inner.remove(*key);
        }
    }
    config
}

fn is_loadable(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(name, "next.config.js" | "next.config.mjs" | "next.config.ts")
}

#[test]
fn next_15_5_resolves_output_configs_as_it_resolves_the_inputs() {
    let next15 = next_install(NEXT_15);
    let root = fixtures_root().join("next-config");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("input").is_dir())
        .collect();
    cases.sort();
    let mut failures = Vec::new();
    let (mut compared, mut skipped, mut old_warnings) = (0, Vec::new(), 0);
    for case in &cases {
        for rel in read_tree(&case.join("input")).keys().filter(|p| is_loadable(p)) {
            let (input_path, output_path) = (case.join("input").join(rel), expected_tree(case).join(rel));
            let name = output_path
                .strip_prefix(&root)
                .unwrap_or(&output_path)
                .display()
                .to_string();
            let before = load(&next15, &input_path);
            let before_config = match before.config {
                Ok(config) => config,
                Err(error) => {
                    skipped.push(format!("{name}: {error}"));
                    continue;
                }
            };
            let after = load(&next15, &output_path);
            let after_config = match after.config {
                Ok(config) => config,
                Err(error) => {
                    failures.push(format!("{name}: the output does not load:\n{error}"));
                    continue;
                }
            };
            compared += 1;
            let experimental = rewritten(OLD_EXPERIMENTAL, &before_config, &after_config, "experimental");
            let top = rewritten(OLD_TOP_LEVEL, &before_config, &after_config, "");
            let dev = rewritten(OLD_DEV_INDICATORS, &before_config, &after_config, "devIndicators");
            let ignores = experimental.contains(&"outputFileTracingIgnores");
            if ignores {
                let old = load(&next_install(NEXT_14), &input_path);
                match old.config {
                    Ok(old) => {
                        let expected = merged_excludes(&before_config, &old);
                        let got = &after_config["outputFileTracingExcludes"];
                        if &expected != got {
                            failures.push(format!(
                                "{name}: outputFileTracingExcludes is {got}, Next 14.2 made {expected} of the input"
                            ));
                        }
                    }
                    Err(error) => failures.push(format!("{name}: Next 14.2 cannot load the input:\n{error}")),
                }
            }
            let expected = without(before_config, &experimental, &top, &dev, ignores);
            let got = without(after_config, &experimental, &top, &dev, ignores);
            let mut differ = Vec::new();
            differences(&expected, &got, "", &mut differ);
            if !differ.is_empty() {
                failures.push(format!("{name}: resolved configs differ\n  {}", differ.join("\n  ")));
            }
            let keys: Vec<&str> = experimental.iter().chain(&top).chain(&dev).copied().collect();
            let about = |line: &String| {
                WARNING_WORDS.iter().any(|w| line.contains(w)) && keys.iter().any(|k| mentions(line, k))
            };
            old_warnings += before.warnings.iter().filter(|l| about(l)).count();
            for line in after.warnings.iter().filter(|l| about(l)) {
                failures.push(format!("{name}: the output still warns about a rewritten key: {line}"));
            }
        }
    }
    assert!(compared >= 20, "only {compared} configs compared");
    assert!(
        old_warnings >= 20,
        "the inputs printed only {old_warnings} warnings about rewritten keys"
    );
    assert!(skipped.is_empty(), "inputs that do not load:\n{}", skipped.join("\n"));
    assert!(
        failures.is_empty(),
        "{} of {compared} configs fail:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn mentions_finds_whole_names_only() {
    assert!(mentions("`experimental.turbo` is deprecated", "turbo"));
    assert!(!mentions("turbopackMinify", "turbo"));
    assert!(!mentions("buildActivityPosition", "buildActivity"));
    assert!(mentions("Unrecognized key(s) in object: 'swcMinify'", "swcMinify"));
}
