//! Module resolution for the project rules, with `oxc_resolver`: tsconfig/jsconfig `paths`,
//! `baseUrl` and `extends`, extensions and index files, `.js` specifiers that name `.ts` files,
//! and package `exports` (workspace packages, through their `node_modules` symlinks).
//!
//! Only modules of the user's own code are of interest: a specifier that resolves into
//! `node_modules` (a real package) resolves to nothing here.

use oxc_resolver::{ResolveOptions, Resolver, TsconfigDiscovery, TsconfigOptions, TsconfigReferences};
use rustc_hash::FxHashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// Resolves import specifiers from files; one resolver per config file found (they share the
/// file system cache), each folder's config looked up once.
pub struct Modules {
    base: Resolver,
    by_config: Mutex<FxHashMap<Option<PathBuf>, Resolver>>,
    config_of_folder: Mutex<FxHashMap<PathBuf, Option<PathBuf>>>,
}

/// `path` made absolute against `cwd` (itself absolute, its links resolved), `.` and `..`
/// taken out lexically: the form the resolver's answers have, for comparing paths.
pub fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let mut clean = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    clean
}

/// The config files that carry `paths` and `baseUrl`, nearest first in each folder.
const CONFIG_NAMES: &[&str] = &["tsconfig.json", "jsconfig.json"];

impl Default for Modules {
    fn default() -> Self {
        Self::new()
    }
}

impl Modules {
    pub fn new() -> Modules {
        let options = ResolveOptions {
            extensions: [".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts"]
                .map(String::from)
                .to_vec(),
            // TypeScript's rule: `./actions.js` names `actions.ts` when that is what exists.
            extension_alias: vec![
                (
                    ".js".into(),
                    vec![".ts".into(), ".tsx".into(), ".js".into(), ".jsx".into()],
                ),
                (".jsx".into(), vec![".tsx".into(), ".jsx".into()]),
                (".mjs".into(), vec![".mts".into(), ".mjs".into()]),
            ],
            condition_names: ["import", "module", "require", "node", "default"]
                .map(String::from)
                .to_vec(),
            main_fields: vec!["module".into(), "main".into()],
            ..ResolveOptions::default()
        };
        Modules {
            base: Resolver::new(options),
            by_config: Mutex::new(FxHashMap::default()),
            config_of_folder: Mutex::new(FxHashMap::default()),
        }
    }

    /// The file `specifier` names when imported from `from`, if it is a module of the user's
    /// code (not a package in `node_modules`, not a builtin, not a file that does not exist).
    pub fn resolve(&self, from: &Path, specifier: &str) -> Option<PathBuf> {
        if specifier.starts_with("node:") {
            return None;
        }
        let folder = from.parent()?;
        let config = self.config_for(folder);
        let mut by_config = self.by_config.lock().ok()?;
        let resolver = by_config
            .entry(config.clone())
            // A resolver of its own per config, not a clone: clones share one cache, and the cache
            // keeps the tsconfig the first of them found for a path, so in a monorepo whose apps
            // each map `@/*` to themselves, one app's `@/lib/actions` resolved into another app.
            .or_insert_with(|| Resolver::new(self.options_for(config.as_deref())));
        let resolved = resolver.resolve(folder, specifier).ok()?.into_path_buf();
        let in_packages = resolved
            .components()
            .any(|c| c == Component::Normal("node_modules".as_ref()));
        (!in_packages).then_some(resolved)
    }

    fn options_for(&self, config: Option<&Path>) -> ResolveOptions {
        let mut options = self.base.options().clone();
        if let Some(config_file) = config {
            options.tsconfig = Some(TsconfigDiscovery::Manual(TsconfigOptions {
                config_file: config_file.to_path_buf(),
                references: TsconfigReferences::Auto,
            }));
        }
        options
    }

    /// The nearest `tsconfig.json` or `jsconfig.json` at or above `folder`.
    fn config_for(&self, folder: &Path) -> Option<PathBuf> {
        let mut walked = Vec::new();
        let mut at = Some(folder);
        let found = loop {
            let Some(dir) = at else { break None };
            if let Some(known) = self.config_of_folder.lock().ok()?.get(dir) {
                break known.clone();
            }
            walked.push(dir.to_path_buf());
            if let Some(file) = CONFIG_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file()) {
                break Some(file);
            }
            at = dir.parent();
        };
        let mut known = self.config_of_folder.lock().ok()?;
        for dir in walked {
            known.insert(dir, found.clone());
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, files: &[(&str, &str)]) {
        for (rel, text) in files {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }

    #[test]
    fn resolves_paths_of_an_extended_config_index_files_and_js_specifiers() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        write(
            &root,
            &[
                (
                    "tsconfig.base.json",
                    r#"{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./src/*"] } } }"#,
                ),
                ("tsconfig.json", r#"{ "extends": "./tsconfig.base.json" }"#),
                ("src/lib/actions.ts", "export async function a() {}\n"),
                ("src/lib/items/index.ts", "export async function b() {}\n"),
                ("src/app/page.tsx", "\n"),
                (
                    "node_modules/zod/package.json",
                    r#"{ "name": "zod", "main": "index.js" }"#,
                ),
                ("node_modules/zod/index.js", "\n"),
            ],
        );
        let modules = Modules::new();
        let from = root.join("src/app/page.tsx");
        assert_eq!(
            modules.resolve(&from, "@/lib/actions"),
            Some(root.join("src/lib/actions.ts"))
        );
        assert_eq!(
            modules.resolve(&from, "../lib/actions.js"),
            Some(root.join("src/lib/actions.ts"))
        );
        assert_eq!(
            modules.resolve(&from, "../lib/items"),
            Some(root.join("src/lib/items/index.ts"))
        );
        // A package is not the user's code; a missing file is nothing.
        assert_eq!(modules.resolve(&from, "zod"), None);
        assert_eq!(modules.resolve(&from, "@/lib/missing"), None);
        assert_eq!(modules.resolve(&from, "node:fs"), None);
    }

    #[test]
    fn reads_a_jsconfig_base_url() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        write(
            &root,
            &[
                ("jsconfig.json", r#"{ "compilerOptions": { "baseUrl": "." } }"#),
                ("lib/actions.js", "export async function a() {}\n"),
                ("components/form.jsx", "\n"),
            ],
        );
        let from = root.join("components/form.jsx");
        assert_eq!(
            Modules::new().resolve(&from, "lib/actions"),
            Some(root.join("lib/actions.js"))
        );
    }

    #[test]
    fn makes_paths_absolute_lexically() {
        let cwd = Path::new("/work/app");
        assert_eq!(
            absolute(Path::new("./src/../lib/a.ts"), cwd),
            PathBuf::from("/work/app/lib/a.ts")
        );
        assert_eq!(absolute(Path::new("/x/./y.ts"), cwd), PathBuf::from("/x/y.ts"));
    }
}
