//! The project view the project rules read: the files that use actions (the candidates), the
//! modules their imports resolve to (and those modules' own local imports, and re-exports),
//! and every other scanned file that names one of the used functions — each read and parsed
//! once per run, with what it exports ([`module::ModuleView`]) and how it uses what it
//! imports ([`uses::Use`]).

pub mod module;
pub mod resolve;
pub mod uses;

use crate::parse::{Lang, Parsers};
use crate::scope::{RefKind, ScopeTree};
use crate::target::Target;
use module::{ExportedFn, ModuleView, OtherExport};
use resolve::Modules;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tree_sitter::Tree;
use uses::{Use, uses_in};

/// One file of the project view.
pub struct ProjectFile {
    pub path: PathBuf,
    pub text: String,
    pub tree: Tree,
    pub lang: Lang,
    pub view: ModuleView,
    pub uses: Vec<Use>,
    /// Top-level names the module's own code refers to as values (a use of an export there).
    pub used_locally: FxHashSet<String>,
    /// A file the rules' words sent on (a candidate), as opposed to one read for what it exports.
    pub candidate: bool,
    /// The tool may change it (it is among the scanned files and was not skipped).
    pub editable: bool,
}

impl ProjectFile {
    pub fn is_typescript(&self) -> bool {
        crate::parse::is_typescript(&self.path)
    }
}

/// A use of an exported function of the project, with the module that defines it.
#[derive(Clone, Copy)]
pub struct ResolvedUse<'p> {
    pub file: &'p ProjectFile,
    pub at: &'p Use,
    pub module: &'p ProjectFile,
    pub function: &'p ExportedFn,
}

/// Where the project's texts come from: the engine's current texts for files it holds, the
/// disk for the others (`None`: not readable as text, or not a scanned file the tool may use).
pub trait Texts {
    fn text_of(&self, path: &Path) -> Option<String>;
    /// Whether the tool may change the file (a scanned, unskipped file).
    fn editable(&self, path: &Path) -> bool;
}

pub struct Project {
    pub files: BTreeMap<PathBuf, ProjectFile>,
    resolved: FxHashMap<(PathBuf, String), PathBuf>,
    pub target: Target,
    cwd: PathBuf,
}

/// Imports that only run on a server: a module importing one of these (directly or through its
/// local imports) is server code.
const SERVER_ONLY: &[&str] = &[
    "next/cache",
    "next/headers",
    "server-only",
    "fs",
    "fs/promises",
    "child_process",
    "@prisma/client",
    "drizzle-orm",
    "@vercel/postgres",
    "pg",
    "postgres",
    "mysql2",
    "mongodb",
    "mongoose",
    "@neondatabase/serverless",
    "@planetscale/database",
    "@libsql/client",
    "better-sqlite3",
];

pub fn is_server_only(specifier: &str) -> bool {
    specifier.starts_with("node:")
        || SERVER_ONLY
            .iter()
            .any(|m| specifier == *m || specifier.strip_prefix(m).is_some_and(|rest| rest.starts_with('/')))
}

/// How many local imports deep a module is read to find server-only code.
const SERVER_CODE_DEPTH: usize = 4;
/// How many re-exports are followed to the module that defines a name.
const RE_EXPORT_DEPTH: usize = 4;

impl Project {
    /// Reads the candidates (path, current text, tree when known), then what they import, then
    /// the scanned files (`scanned`) that name a used function.
    pub fn build(
        candidates: Vec<(PathBuf, String, Option<Tree>)>,
        scanned: &[PathBuf],
        texts: &dyn Texts,
        modules: &Modules,
        parsers: &mut Parsers,
        target: Target,
        cwd: &Path,
    ) -> Project {
        let mut project = Project {
            files: BTreeMap::new(),
            resolved: FxHashMap::default(),
            target,
            cwd: cwd.to_path_buf(),
        };
        // The resolver answers with absolute paths; the engine knows files by the paths the walk
        // gave. One map turns the first into the second.
        let base = std::fs::canonicalize(cwd).unwrap_or_else(|_| cwd.to_path_buf());
        let as_walked: FxHashMap<PathBuf, PathBuf> = scanned
            .iter()
            .chain(candidates.iter().map(|(p, _, _)| p))
            .map(|p| (resolve::absolute(p, &base), p.clone()))
            .collect();
        let resolve = |from: &Path, specifier: &str| {
            let found = modules.resolve(&resolve::absolute(from, &base), specifier)?;
            Some(as_walked.get(&found).cloned().unwrap_or(found))
        };
        for (path, text, tree) in candidates {
            let editable = texts.editable(&path);
            project.add(path, text, tree, true, editable, parsers);
        }
        // The modules the candidates' imports name, their re-exports and local imports.
        let mut frontier: Vec<(PathBuf, usize)> = project.files.keys().map(|p| (p.clone(), 0)).collect();
        while let Some((path, depth)) = frontier.pop() {
            if depth > SERVER_CODE_DEPTH {
                continue;
            }
            let specifiers: Vec<String> = match project.files.get(&path) {
                Some(file) => file.view.specifiers.clone(),
                None => continue,
            };
            for specifier in specifiers {
                if is_server_only(&specifier) || project.resolved.contains_key(&(path.clone(), specifier.clone())) {
                    continue;
                }
                let Some(target_path) = resolve(&path, &specifier) else {
                    continue;
                };
                project.resolved.insert((path.clone(), specifier), target_path.clone());
                if project.files.contains_key(&target_path) {
                    continue;
                }
                if project.load(&target_path, texts, parsers) {
                    frontier.push((target_path, depth + 1));
                }
            }
        }
        // Other scanned files that name a used function: their uses count too.
        let names: FxHashSet<&str> = project
            .resolved_uses()
            .iter()
            .map(|u| u.function.name.as_str())
            .filter(|n| *n != "default")
            .collect();
        let names: Vec<String> = names.into_iter().map(String::from).collect();
        if !names.is_empty()
            && let Ok(finder) = aho_corasick::AhoCorasick::new(&names)
        {
            for path in scanned {
                if project.files.contains_key(path) || Lang::from_path(path).is_none() {
                    continue;
                }
                let Some(text) = texts.text_of(path) else {
                    continue;
                };
                if !finder.is_match(&text) {
                    continue;
                }
                let editable = texts.editable(path);
                project.add(path.clone(), text, None, false, editable, parsers);
                let specifiers: Vec<String> = project.files[path].uses.iter().map(|u| u.source.clone()).collect();
                for specifier in specifiers {
                    if let Some(target_path) = resolve(path, &specifier) {
                        project.resolved.insert((path.clone(), specifier), target_path);
                    }
                }
            }
        }
        project
    }

    fn load(&mut self, path: &Path, texts: &dyn Texts, parsers: &mut Parsers) -> bool {
        let Some(text) = texts.text_of(path) else {
            return false;
        };
        let editable = texts.editable(path);
        self.add(path.to_path_buf(), text, None, false, editable, parsers)
    }

    fn add(
        &mut self,
        path: PathBuf,
        text: String,
        tree: Option<Tree>,
        candidate: bool,
        editable: bool,
        parsers: &mut Parsers,
    ) -> bool {
        let Some(lang) = Lang::from_path(&path) else {
            return false;
        };
        let Some(tree) = tree.or_else(|| parsers.parse(lang, &text, None)) else {
            return false;
        };
        // Code this tool's grammar cannot read whole is looked at, never changed.
        let editable = editable && !tree.root_node().has_error();
        let scopes = ScopeTree::build(&tree, &text);
        let view = ModuleView::read(&tree, &text);
        let uses = uses_in(&tree, &text, &scopes);
        let used_locally = scopes
            .references
            .iter()
            .filter(|r| matches!(r.kind, RefKind::Value | RefKind::Shorthand))
            .filter_map(|r| r.binding)
            .map(|b| &scopes.bindings[b])
            .filter(|b| b.scope == 0)
            .map(|b| b.name.clone())
            .collect();
        self.files.insert(
            path.clone(),
            ProjectFile {
                path,
                text,
                tree,
                lang,
                view,
                uses,
                used_locally,
                candidate,
                editable,
            },
        );
        true
    }

    /// A path as the user sees it in a message.
    pub fn display(&self, path: &Path) -> String {
        crate::walk::display_path(path, &self.cwd)
    }

    /// The file `specifier` names when `from` imports it, if it is part of the view.
    pub fn resolve(&self, from: &Path, specifier: &str) -> Option<&ProjectFile> {
        let path = self.resolved.get(&(from.to_path_buf(), specifier.to_string()))?;
        self.files.get(path)
    }

    /// The module and function that `name`, exported by `module`, is (through re-exports).
    pub fn definition<'p>(&'p self, module: &'p ProjectFile, name: &str) -> Option<(&'p ProjectFile, &'p ExportedFn)> {
        let mut module = module;
        let mut name = name.to_string();
        for _ in 0..=RE_EXPORT_DEPTH {
            if let Some(function) = module.view.function(&name) {
                return Some((module, function));
            }
            let next = module.view.others.iter().find_map(|other| match other {
                OtherExport::ReExport {
                    name: exported,
                    source,
                    imported,
                } if *exported == name => Some((self.resolve(&module.path, source)?, imported.clone())),
                _ => None,
            });
            let next = next.or_else(|| {
                module.view.others.iter().find_map(|other| match other {
                    OtherExport::Star(source) => {
                        let target = self.resolve(&module.path, source)?;
                        target.view.function(&name).is_some().then(|| (target, name.clone()))
                    }
                    _ => None,
                })
            });
            let (next_module, next_name) = next?;
            module = next_module;
            name = next_name;
        }
        None
    }

    /// Every use, in every file of the view, of a function exported by a module of the view.
    pub fn resolved_uses(&self) -> Vec<ResolvedUse<'_>> {
        let mut found = Vec::new();
        for file in self.files.values() {
            for at in &file.uses {
                let Some(module) = self.resolve(&file.path, &at.source) else {
                    continue;
                };
                let Some((module, function)) = self.definition(module, &at.imported) else {
                    continue;
                };
                found.push(ResolvedUse {
                    file,
                    at,
                    module,
                    function,
                });
            }
        }
        found
    }

    /// The uses of `function` of `module`, wherever they are.
    pub fn uses_of<'p>(&'p self, all: &[ResolvedUse<'p>], module: &Path, function: &str) -> Vec<ResolvedUse<'p>> {
        all.iter()
            .filter(|u| u.module.path == module && u.function.name == function)
            .copied()
            .collect()
    }

    /// Whether the module imports server-only code, directly or through its local imports.
    pub fn imports_server_code(&self, module: &ProjectFile) -> Option<String> {
        let mut seen: FxHashSet<&Path> = FxHashSet::default();
        let mut stack = vec![(module, 0)];
        while let Some((file, depth)) = stack.pop() {
            if !seen.insert(&file.path) || depth > SERVER_CODE_DEPTH {
                continue;
            }
            for specifier in &file.view.specifiers {
                if is_server_only(specifier) {
                    return Some(specifier.clone());
                }
                if let Some(next) = self.resolve(&file.path, specifier) {
                    stack.push((next, depth + 1));
                }
            }
        }
        None
    }
}
