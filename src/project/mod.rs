//! The project view the project rules read: the files that use actions (the candidates), the
//! modules their imports resolve to (and those modules' own local imports, and re-exports),
//! and every other scanned file that names one of the used functions — each read once per run,
//! with what it exports ([`module::ModuleView`]) and how it uses what it imports
//! ([`uses::Use`]). The candidates are read by the file phase ([`Facts::of_candidate`]), from
//! the tree and scope model its rules left; the others are parsed here.

pub mod auth;
pub mod module;
pub mod resolve;
pub mod uses;

use crate::parse::{Lang, Parsers};
use crate::scope::{RefKind, ScopeTree};
use crate::target::Target;
use module::{ExportedFn, ModuleView, OtherExport};
use rayon::prelude::*;
use resolve::Modules;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use tree_sitter::Tree;
use uses::{Use, uses_in};

/// One file of the project view.
pub struct ProjectFile {
    pub path: PathBuf,
    pub text: String,
    pub lang: Lang,
    pub view: ModuleView,
    pub uses: Vec<Use>,
    /// Top-level names the module's own code refers to as values (a use of an export there).
    pub used_locally: FxHashSet<String>,
    /// A file the rules' words sent on (a candidate), as opposed to one read for what it exports.
    pub candidate: bool,
    /// The tool may change it (it is among the scanned files and was not skipped).
    pub editable: bool,
    /// The tree of `text`: the candidates' are not held (a tree is many times its text), and
    /// are parsed again for the few rules that look further.
    tree: OnceLock<Option<Tree>>,
}

impl ProjectFile {
    pub fn is_typescript(&self) -> bool {
        crate::parse::is_typescript(&self.path)
    }

    /// The file's tree (`None` only if the parser gives up on a text it read before).
    pub fn tree(&self) -> Option<&Tree> {
        self.tree
            .get_or_init(|| Parsers::new().parse(self.lang, &self.text, None))
            .as_ref()
    }
}

/// What the project view reads of a file: what it exports, how it uses its imports.
#[derive(Clone)]
pub struct FileFacts {
    pub view: ModuleView,
    pub uses: Vec<Use>,
    pub used_locally: FxHashSet<String>,
    /// Tree-sitter read it whole (code it cannot read is looked at, never changed).
    pub readable: bool,
}

impl FileFacts {
    /// Reads them from the file's tree, with its scope model when one was built already.
    pub fn read(tree: &Tree, text: &str, scopes: Option<ScopeTree>) -> FileFacts {
        let scopes = scopes.unwrap_or_else(|| ScopeTree::build(tree, text));
        let used_locally = scopes
            .references
            .iter()
            .filter(|r| matches!(r.kind, RefKind::Value | RefKind::Shorthand))
            .filter_map(|r| r.binding)
            .map(|b| &scopes.bindings[b])
            .filter(|b| b.scope == 0)
            .map(|b| b.name.clone())
            .collect();
        FileFacts {
            view: ModuleView::read(tree, text),
            uses: uses_in(tree, text, &scopes),
            used_locally,
            readable: !tree.root_node().has_error(),
        }
    }

    /// A candidate's facts, or `None` when it uses no import as an action, so is not part of
    /// the view (most files with the rules' words do not).
    pub fn of_candidate(tree: &Tree, text: &str, scopes: impl FnOnce() -> Option<ScopeTree>) -> Option<FileFacts> {
        // A hook's name in a comment makes a candidate too: only code is read further.
        if !uses_actions_in_code(tree, text) || !imports_possible_actions(tree, text) {
            return None;
        }
        let facts = FileFacts::read(tree, text, scopes());
        facts.uses.iter().any(|u| u.kind.is_action_like()).then_some(facts)
    }
}

/// Whether the file imports a value from a module that may hold actions: without one it has no
/// use to read (a file of inline actions), and its scope model is not built.
fn imports_possible_actions(tree: &Tree, text: &str) -> bool {
    crate::imports::import_decls(tree, text).iter().any(|decl| {
        !decl.type_only
            && !uses::exports_no_actions(&decl.source)
            && (decl.default.is_some() || decl.namespace.is_some() || decl.named.iter().any(|s| !s.type_only))
    })
}

/// What is known of a candidate's current text when the view is built.
#[derive(Clone, Default)]
pub enum Facts {
    /// Nothing yet: it is read when the view is built.
    #[default]
    Unread,
    /// Read: it is not part of the view.
    NotInView,
    Read(Arc<FileFacts>),
}

impl Facts {
    /// What the file phase reads of a candidate, while its tree and scope model are at hand.
    pub fn of_candidate(tree: &Tree, text: &str, scopes: impl FnOnce() -> Option<ScopeTree>) -> Facts {
        match FileFacts::of_candidate(tree, text, scopes) {
            Some(facts) => Facts::Read(Arc::new(facts)),
            None => Facts::NotInView,
        }
    }
}

/// A candidate of the view: its path, its current text, what is known of it, and its tree
/// when the engine holds one.
pub struct CandidateFile {
    pub path: PathBuf,
    pub text: String,
    pub facts: Facts,
    pub tree: Option<Tree>,
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
pub trait Texts: Sync {
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
    specifier.starts_with("node:") || SERVER_ONLY.iter().any(|m| names_package(specifier, m))
}

/// Whether the import specifier names `package` or a path inside it (`next/cache` for `next`).
pub fn names_package(specifier: &str, package: &str) -> bool {
    specifier
        .strip_prefix(package)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// How many local imports deep a module is read to find server-only code.
const SERVER_CODE_DEPTH: usize = 4;
/// How many re-exports are followed to the module that defines a name.
const RE_EXPORT_DEPTH: usize = 4;

impl Project {
    /// Reads the candidates (path, current text, tree when known), then the modules their
    /// actions come from (with those modules' re-exports, and for a module without a directive
    /// its local imports, to find server code), then the scanned files (`scanned`) that name a
    /// function used as an action. Files are parsed in parallel where there are many.
    pub fn build(
        candidates: Vec<CandidateFile>,
        scanned: &[PathBuf],
        texts: &dyn Texts,
        modules: &Modules,
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
            .chain(candidates.iter().map(|c| &c.path))
            .map(|p| (resolve::absolute(p, &base), p.clone()))
            .collect();
        let resolve = |from: &Path, specifier: &str| {
            let found = modules.resolve(&resolve::absolute(from, &base), specifier)?;
            Some(as_walked.get(&found).cloned().unwrap_or(found))
        };
        // The candidates that use an import as an action (most files with the words do not).
        let read: Vec<ProjectFile> = candidates
            .into_par_iter()
            .map_init(
                Parsers::new,
                |parsers,
                 CandidateFile {
                     path,
                     text,
                     facts,
                     tree,
                 }| {
                    let lang = Lang::from_path(&path)?;
                    let (facts, tree) = match facts {
                        Facts::NotInView => return None,
                        Facts::Read(facts) => (Arc::unwrap_or_clone(facts), tree),
                        Facts::Unread => {
                            let tree = tree.or_else(|| parsers.parse(lang, &text, None))?;
                            (FileFacts::of_candidate(&tree, &text, || None)?, Some(tree))
                        }
                    };
                    let editable = texts.editable(&path);
                    Some(ProjectFile::new(path, text, lang, facts, tree, true, editable))
                },
            )
            .flatten()
            .collect();
        let mut parsers = Parsers::new();
        let mut frontier: Vec<(PathBuf, String, usize, Reading)> = Vec::new();
        for file in read {
            for u in file.uses.iter().filter(|u| u.kind.is_action_like()) {
                frontier.push((file.path.clone(), u.source.clone(), 0, Reading::Exports));
            }
            project.files.insert(file.path.clone(), file);
        }
        // The modules of those actions, what they re-export, and the imports of the ones without
        // a directive (where server code would give them away).
        while let Some((from, specifier, depth, reading)) = frontier.pop() {
            let key = (from.clone(), specifier.clone());
            if is_server_only(&specifier) || project.resolved.contains_key(&key) {
                continue;
            }
            let Some(target_path) = resolve(&from, &specifier) else {
                continue;
            };
            project.resolved.insert(key, target_path.clone());
            let fresh = !project.files.contains_key(&target_path);
            if fresh && !project.load(&target_path, texts, &mut parsers) {
                continue;
            }
            if !fresh || depth >= SERVER_CODE_DEPTH {
                continue;
            }
            let Some(module) = project.files.get(&target_path) else {
                continue;
            };
            let next = depth + 1;
            if reading == Reading::Exports {
                // Where the types of its functions' parameters come from (a state type).
                let param_types: FxHashSet<&str> = module
                    .view
                    .functions
                    .iter()
                    .flat_map(|f| f.params.iter().filter_map(|p| p.type_text.as_deref()))
                    .collect();
                for decl in &module.view.imports {
                    if decl.named.iter().any(|n| param_types.contains(n.local.as_str())) {
                        frontier.push((
                            target_path.clone(),
                            decl.source.clone(),
                            SERVER_CODE_DEPTH,
                            Reading::Types,
                        ));
                    }
                }
                for other in &module.view.others {
                    if let OtherExport::ReExport { source, .. } | OtherExport::Star(source) = other {
                        frontier.push((target_path.clone(), source.clone(), next, Reading::Exports));
                    }
                }
            }
            if reading == Reading::ServerCode || reading == Reading::Exports && module.view.directive.is_none() {
                for specifier in &module.view.specifiers {
                    frontier.push((target_path.clone(), specifier.clone(), next, Reading::ServerCode));
                }
            }
        }
        // Other scanned files that name a function a rule would change for its uses (a hook's
        // action that takes the form data first, a form action that returns a value): those
        // rules count every use. Reading every scanned file again for any used name cost a
        // corpus of trigger words half its run.
        let names: FxHashSet<String> = project
            .resolved_uses()
            .iter()
            .filter(|u| needs_every_use(u))
            .map(|u| u.function.name.clone())
            .filter(|n| n != "default")
            .collect();
        let names: Vec<String> = names.into_iter().collect();
        if names.is_empty() {
            return project;
        }
        let Ok(finder) = aho_corasick::AhoCorasick::new(&names) else {
            return project;
        };
        let mentioning: Vec<ProjectFile> = scanned
            .par_iter()
            .filter(|path| !project.files.contains_key(*path))
            .map_init(Parsers::new, |parsers, path| {
                let text = texts.text_of(path)?;
                if !finder.is_match(&text) {
                    return None;
                }
                read_file(path.clone(), text, texts.editable(path), parsers)
            })
            .flatten()
            .collect();
        for file in mentioning {
            for u in file.uses.iter().filter(|u| names.contains(&u.imported)) {
                if let Some(target_path) = resolve(&file.path, &u.source) {
                    project
                        .resolved
                        .insert((file.path.clone(), u.source.clone()), target_path);
                }
            }
            project.files.insert(file.path.clone(), file);
        }
        project
    }

    fn load(&mut self, path: &Path, texts: &dyn Texts, parsers: &mut Parsers) -> bool {
        let Some(text) = texts.text_of(path) else {
            return false;
        };
        let editable = texts.editable(path);
        match read_file(path.to_path_buf(), text, editable, parsers) {
            Some(file) => {
                self.files.insert(file.path.clone(), file);
                true
            }
            None => false,
        }
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

/// Why a module is read: for what it exports (an action's module, a barrel), for its imports
/// (server code behind a module without a directive), or for the types it exports.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reading {
    Exports,
    ServerCode,
    /// Only for the types it exports: its own imports are not followed.
    Types,
}

impl ProjectFile {
    fn new(
        path: PathBuf,
        text: String,
        lang: Lang,
        facts: FileFacts,
        tree: Option<Tree>,
        candidate: bool,
        editable: bool,
    ) -> ProjectFile {
        let FileFacts {
            view,
            uses,
            used_locally,
            readable,
        } = facts;
        let held = OnceLock::new();
        if let Some(tree) = tree {
            let _ = held.set(Some(tree));
        }
        ProjectFile {
            path,
            text,
            lang,
            view,
            uses,
            used_locally,
            candidate,
            editable: editable && readable,
            tree: held,
        }
    }
}

/// A file of the view read from its text: parsed, what it exports and how it uses its imports.
fn read_file(path: PathBuf, text: String, editable: bool, parsers: &mut Parsers) -> Option<ProjectFile> {
    let lang = Lang::from_path(&path)?;
    let tree = parsers.parse(lang, &text, None)?;
    let facts = FileFacts::read(&tree, &text, None);
    Some(ProjectFile::new(path, text, lang, facts, Some(tree), false, editable))
}

/// Whether a rule would change the function for this use, and so must know all its uses:
/// action-state-signature (a hook's action whose first parameter after the bound ones is the
/// payload, last) and form-action-return (a form action that returns a value).
fn needs_every_use(u: &ResolvedUse) -> bool {
    let params = &u.function.params;
    match &u.at.kind {
        uses::UseKind::Hook { .. } => params.get(u.at.bound).is_some_and(|p| {
            (p.name == "formData" || p.type_text.as_deref() == Some("FormData")) && params.len() == u.at.bound + 1
        }),
        uses::UseKind::FormAction { .. } => !u.function.value_returns.is_empty() || u.function.expression_body,
        _ => false,
    }
}

/// Whether the code (not a comment or a string) names a state hook, has a form's `action` or
/// `formAction` prop, or hands an imported name to an event prop: the scope model and the uses
/// are built only then (a corpus of trigger words in comments spent most of its project phase
/// on them).
fn uses_actions_in_code(tree: &Tree, text: &str) -> bool {
    let root = tree.root_node();
    let in_code = |word: &str, kinds: &[&str]| {
        text.match_indices(word).any(|(at, _)| {
            root.descendant_for_byte_range(at, at + word.len())
                .is_some_and(|n| kinds.contains(&n.kind()) && n.byte_range() == (at..at + word.len()))
        })
    };
    uses::STATE_HOOKS
        .iter()
        .any(|hook| in_code(hook, &["identifier", "property_identifier"]))
        || ["action", "formAction"]
            .iter()
            .any(|prop| in_code(prop, &["property_identifier"]))
        || crate::transforms::action_event_handler::has_imported_event_handler(text.as_bytes())
}
