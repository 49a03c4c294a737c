//! `catalog:` versions: pnpm's (pnpm-workspace.yaml) and bun's (the root package.json), read once
//! per workspace root.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Catalogs (`catalog:` versions) of pnpm (pnpm-workspace.yaml) and bun (the root package.json),
/// read once per workspace root.
#[derive(Default)]
pub(super) struct CatalogCache {
    /// Workspace file → catalog name → package → range.
    read: HashMap<PathBuf, BTreeMap<String, BTreeMap<String, String>>>,
}

impl CatalogCache {
    pub(super) fn lookup(&mut self, manifest: &Path, catalog: &str, package: &str) -> Option<String> {
        let folder = manifest.parent()?;
        for dir in folder.ancestors() {
            let yaml = dir.join("pnpm-workspace.yaml");
            if yaml.is_file() {
                let catalogs = self.read.entry(yaml.clone()).or_insert_with(|| {
                    std::fs::read_to_string(&yaml)
                        .map(|t| pnpm_catalogs(&t))
                        .unwrap_or_default()
                });
                return catalogs.get(catalog)?.get(package).cloned();
            }
            let root = dir.join("package.json");
            if dir != folder && root.is_file() {
                let catalogs = self
                    .read
                    .entry(root.clone())
                    .or_insert_with(|| bun_catalogs(&root).unwrap_or_default());
                if !catalogs.is_empty() {
                    return catalogs.get(catalog)?.get(package).cloned();
                }
            }
            if dir.join(".git").exists() {
                break;
            }
        }
        None
    }
}

/// The `catalog:` map and the named `catalogs:` maps of a pnpm-workspace.yaml. A small reader
/// for the block-style maps pnpm writes (`key: value`, keys and values quoted or not, comments);
/// flow style (`{ a: 1 }`) is not read.
pub(super) fn pnpm_catalogs(text: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut catalogs: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    // (top-level key, indent of the named catalog's line, its name)
    let mut top: Option<String> = None;
    let mut named: Option<(usize, String)> = None;
    for line in text.lines() {
        let content = strip_comment(line);
        if content.trim().is_empty() {
            continue;
        }
        let indent = content.len() - content.trim_start().len();
        let Some((key, value)) = split_key(content.trim()) else {
            continue;
        };
        if indent == 0 {
            top = Some(key.clone());
            named = None;
            continue;
        }
        match top.as_deref() {
            Some("catalog") => {
                catalogs.entry("default".into()).or_default().insert(key, value);
            }
            Some("catalogs") => match &named {
                Some((name_indent, name)) if indent > *name_indent => {
                    catalogs.entry(name.clone()).or_default().insert(key, value);
                }
                _ => named = Some((indent, key)),
            },
            _ => {}
        }
    }
    catalogs
}

fn strip_comment(line: &str) -> &str {
    // A `#` starts a comment at the line's start or after a space (not inside `a#b`).
    let mut quote = None;
    for (i, c) in line.char_indices() {
        match (c, quote) {
            ('\'' | '"', None) => quote = Some(c),
            (q, Some(open)) if q == open => quote = None,
            ('#', None) if i == 0 || line[..i].ends_with([' ', '\t']) => return &line[..i],
            _ => {}
        }
    }
    line
}

/// `key: value` with quotes removed from both; a `- item` line is no key.
fn split_key(line: &str) -> Option<(String, String)> {
    if line.starts_with('-') {
        return None;
    }
    let unquote = |s: &str| s.trim().trim_matches(['\'', '"']).to_string();
    let (key, value) = if let Some(quote) = line.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let end = line[1..].find(quote)? + 1;
        let rest = line[end + 1..].trim_start().strip_prefix(':')?;
        (line[1..end].to_string(), unquote(rest))
    } else {
        let (key, value) = line.split_once(':')?;
        (key.trim().to_string(), unquote(value))
    };
    Some((key, value))
}

/// bun's catalogs: `catalog`/`catalogs` at the top of the root package.json or in `workspaces`.
fn bun_catalogs(path: &Path) -> Option<BTreeMap<String, BTreeMap<String, String>>> {
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    let mut catalogs = BTreeMap::new();
    for holder in [Some(&json), json.get("workspaces")].into_iter().flatten() {
        let map = |v: &serde_json::Value| -> BTreeMap<String, String> {
            v.as_object()
                .map(|o| {
                    o.iter()
                        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                        .collect()
                })
                .unwrap_or_default()
        };
        if let Some(default) = holder.get("catalog") {
            catalogs.insert("default".to_string(), map(default));
        }
        if let Some(named) = holder.get("catalogs").and_then(|c| c.as_object()) {
            for (name, entries) in named {
                catalogs.insert(name.clone(), map(entries));
            }
        }
    }
    Some(catalogs)
}
