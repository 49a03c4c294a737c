//! The registry of transforms. Each transform is one file here plus its query under
//! `transforms/` at the top of the repository; this list is the order they run in and what
//! `--list` prints.

use crate::fix::{Change, Edit, Note, Outcome};
use crate::imports::{ImportDecl, import_decls};
use crate::parse::Lang;
use crate::scope::ScopeTree;
use crate::style::Style;
use crate::target::{Needs, Target};
use rustc_hash::FxHashSet;
use std::cell::{OnceCell, RefCell};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tree_sitter::{Query, Tree};

pub mod action_event_handler;
pub mod action_state_initial_type;
pub mod action_state_signature;
pub mod actions_in_pages;
pub mod async_server_exports;
pub mod config;
pub mod directive_placement;
pub mod form_action_return;
pub mod formdata_identity;
pub mod hoist_inline_actions;
pub mod missing_revalidate;
pub mod missing_use_server;
pub mod next_config;
pub mod redirect_outside_try;
pub mod server_actions_flag;
pub mod use_action_state;

/// What every transform declares about itself.
pub struct Meta {
    pub name: &'static str,
    pub summary: &'static str,
    /// Alternatives of word sets: the transform can only match a file holding every word of at
    /// least one set. The prefilter reads these.
    pub words: &'static [&'static [&'static str]],
    /// What its output needs, for `--list` (each style also reports its needs per edit).
    pub needs: &'static str,
    /// Its compiled queries, so the engine can compile them while it walks the tree.
    pub queries: &'static [&'static QuerySet],
}

impl Meta {
    /// Whether `text` holds every word of one of the groups: the prefilter's rule, for a text the
    /// transforms have changed since the prefilter read the file.
    pub fn words_in(&self, text: &str) -> bool {
        self.words.is_empty() || self.words.iter().any(|all_of| all_of.iter().all(|w| text.contains(w)))
    }
}

/// Settings that some transforms read.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub redirect_style: Option<RedirectStyle>,
    /// Tells which imports are NextAuth's `signIn`/`signOut` (redirect-outside-try's targets too).
    pub auth: Option<std::sync::Arc<crate::project::auth::AuthExports>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RedirectStyle {
    Hoist,
    Rethrow,
}

/// The run-wide part of what a transform sees.
pub struct FileContext<'a> {
    pub path: &'a Path,
    pub target: Target,
    pub options: &'a Options,
}

impl<'a> FileContext<'a> {
    pub fn with<'f>(&'f self, text: &'f str, tree: &'f Tree, lang: Lang) -> SourceFile<'f> {
        SourceFile::new(self.path, text, tree, lang, self.target, self.options)
    }

    /// The file of `text`, with what an earlier `SourceFile` of the same text derived.
    pub fn with_derived<'f>(&'f self, text: &'f str, tree: &'f Tree, lang: Lang, derived: Derived) -> SourceFile<'f> {
        self.with(text, tree, lang).reusing(derived)
    }
}

/// One parsed file, as a rule sees it: its text and tree, and what is derived from them (scopes,
/// style, imports, directives), each made once, when a rule first asks.
pub struct SourceFile<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub tree: &'a Tree,
    pub lang: Lang,
    pub target: Target,
    pub options: &'a Options,
    derived: Derived,
}

/// What a [`SourceFile`] derives from its text, each made when a rule first asks; handed on to
/// the next rule while the text stays the same (a scope model costs a quarter of a parse).
#[derive(Debug, Default)]
pub struct Derived {
    scopes: OnceCell<ScopeTree>,
    /// The scope model of the text before the last edits, and those edits: the next model is
    /// made from it when asked for.
    before: RefCell<Option<(ScopeTree, Vec<Edit>)>>,
    style: OnceCell<Style>,
    imports: OnceCell<Vec<ImportDecl>>,
    directives: OnceCell<Vec<(String, Range<usize>)>>,
}

impl Derived {
    /// What stays useful once `edits` change the text: its scope model, to make the next from.
    pub fn after_edits(self, edits: &[Edit]) -> Derived {
        let before = self.scopes.into_inner().map(|scopes| (scopes, edits.to_vec()));
        Derived {
            before: RefCell::new(before),
            ..Derived::default()
        }
    }

    /// The scope model of `text`, when a rule asked for it or the one before the last edits
    /// is at hand to make it from.
    pub fn into_scopes(self, tree: &Tree, text: &str) -> Option<ScopeTree> {
        if let Some(scopes) = self.scopes.into_inner() {
            return Some(scopes);
        }
        let (old, edits) = self.before.into_inner()?;
        Some(ScopeTree::after_edits(&old, &edits, tree, text))
    }
}

impl<'a> SourceFile<'a> {
    pub fn new(
        path: &'a Path,
        text: &'a str,
        tree: &'a Tree,
        lang: Lang,
        target: Target,
        options: &'a Options,
    ) -> SourceFile<'a> {
        SourceFile {
            path,
            text,
            tree,
            lang,
            target,
            options,
            derived: Derived::default(),
        }
    }

    /// The file, with what an earlier `SourceFile` of the same text derived.
    pub fn reusing(self, derived: Derived) -> SourceFile<'a> {
        SourceFile { derived, ..self }
    }

    /// What the rules made the file derive so far, for the next `SourceFile` of the same text.
    pub fn into_derived(self) -> Derived {
        self.derived
    }

    pub fn style(&self) -> &Style {
        self.derived.style.get_or_init(|| Style::detect(self.text))
    }

    pub fn scopes(&self) -> &ScopeTree {
        self.derived.scopes.get_or_init(|| match self.derived.before.take() {
            Some((old, edits)) => ScopeTree::after_edits(&old, &edits, self.tree, self.text),
            None => ScopeTree::build(self.tree, self.text),
        })
    }

    /// The file's import statements, in order.
    pub fn imports(&self) -> &[ImportDecl] {
        self.derived.imports.get_or_init(|| import_decls(self.tree, self.text))
    }

    /// The directive prologue of the module (`'use client'`, ...) and each statement's range.
    pub fn directives(&self) -> &[(String, Range<usize>)] {
        self.derived
            .directives
            .get_or_init(|| crate::syntax::directives(self.tree, self.text))
    }

    /// Whether the module's directive prologue holds `directive` (`use client`).
    pub fn has_directive(&self, directive: &str) -> bool {
        self.directives().iter().any(|(d, _)| d == directive)
    }

    pub fn is_typescript(&self) -> bool {
        crate::parse::is_typescript(self.path)
    }

    pub fn node_text(&self, node: tree_sitter::Node) -> &'a str {
        &self.text[node.byte_range()]
    }
}

/// A rule over one file at a time: reads the parsed file, returns fixes and findings.
pub trait Transform: Sync + Send {
    fn meta(&self) -> &'static Meta;

    /// Whether the transform looks at this file at all (by name), before any word is read.
    fn applies_to(&self, _path: &Path) -> bool {
        true
    }

    /// A closer look at the bytes of a file that holds the transform's words, before it is
    /// parsed: `false` when the transform certainly has nothing to do there.
    fn wants_text(&self, _bytes: &[u8]) -> bool {
        true
    }

    fn run(&self, file: &SourceFile) -> Outcome;
}

/// What a folder rule sees: the candidate files of one folder, parsed, in path order, and the
/// sibling modules it asked for that exist there (parsed too; a sibling's tree may hold errors,
/// for the rule to refuse with a finding). After a round that changed something, it sees the
/// new texts, created files among the siblings.
pub struct FolderContext<'a> {
    pub folder: &'a Path,
    pub files: Vec<SourceFile<'a>>,
    pub siblings: Vec<SourceFile<'a>>,
    pub target: Target,
    pub options: &'a Options,
}

/// What a folder rule made of one folder: changes (each applied or refused whole; one that
/// touches a file an earlier change of the round touched waits for the next round), findings
/// per file (offsets into the texts the rule was given), and refusals: findings that hold only
/// for the texts of this round (an action not moved yet may move once another has), kept from
/// the last round alone.
#[derive(Debug, Default)]
pub struct FolderReport {
    pub changes: Vec<Change>,
    pub notes: Vec<(PathBuf, Note)>,
    pub refusals: Vec<(PathBuf, Note)>,
    pub needs: Needs,
}

/// A rule that changes several files of one folder together (and may create one).
pub trait FolderRule: Sync + Send {
    fn meta(&self) -> &'static Meta;

    /// Sibling module names the rule reads, relative to the folder (`actions.ts`, ...).
    fn siblings(&self) -> &'static [&'static str];

    fn run(&self, folder: &FolderContext) -> FolderReport;
}

/// What a project rule made of the project: edits and notes per path (offsets into the texts
/// of the project view it was given).
#[derive(Debug, Default)]
pub struct ProjectOutcome {
    pub edits: Vec<(PathBuf, Vec<crate::fix::Edit>)>,
    pub notes: Vec<(PathBuf, Note)>,
    pub needs: Needs,
    pub held_back: usize,
}

impl ProjectOutcome {
    pub fn note(&mut self, path: &Path, offset: usize, message: impl Into<String>) {
        self.notes.push((path.to_path_buf(), Note::at(offset, message)));
    }

    /// Adds edits for `path`, beside those it has.
    pub fn edit(&mut self, path: &Path, edits: Vec<crate::fix::Edit>) {
        match self.edits.iter_mut().find(|(p, _)| p == path) {
            Some((_, existing)) => existing.extend(edits),
            None => self.edits.push((path.to_path_buf(), edits)),
        }
    }
}

/// A rule that follows an action across modules: it reads the project view (the files that use
/// actions and the modules their imports resolve to) and may change several files.
pub trait ProjectTransform: Sync + Send {
    fn meta(&self) -> &'static Meta;

    /// A closer look at the bytes of a file that holds the rule's words, before it is parsed:
    /// `false` when the file certainly uses no action the rule looks at.
    fn wants_text(&self, _bytes: &[u8]) -> bool {
        true
    }

    fn run(&self, project: &crate::project::Project) -> ProjectOutcome;
}

/// Project rules, in the order they run: after the file transforms, before the folder ones.
pub fn project_transforms() -> &'static [&'static dyn ProjectTransform] {
    static ALL: &[&dyn ProjectTransform] = &[
        &missing_use_server::MissingUseServer,
        &action_state_signature::ActionStateSignature,
        &action_state_initial_type::ActionStateInitialType,
        &form_action_return::FormActionReturn,
        &action_event_handler::ActionEventHandler,
    ];
    ALL
}

/// File transforms, in the order they run on each file.
pub fn file_transforms() -> &'static [&'static dyn Transform] {
    static ALL: &[&dyn Transform] = &[
        &directive_placement::DirectivePlacement,
        &async_server_exports::AsyncServerExports,
        &server_actions_flag::ServerActionsFlag,
        &next_config::NextConfig,
        &use_action_state::UseActionState,
        &redirect_outside_try::RedirectOutsideTry,
        &actions_in_pages::ActionsInPages,
        &formdata_identity::FormdataIdentity,
        &missing_revalidate::MissingRevalidate,
    ];
    ALL
}

/// Folder rules, run after every file transform is done.
pub fn folder_transforms() -> &'static [&'static dyn FolderRule] {
    static ALL: &[&dyn FolderRule] = &[&hoist_inline_actions::HoistInlineActions];
    ALL
}

/// File transforms that only report: they run in the file phase but are listed after the
/// folder transforms, in the run order the README gives (they change nothing, so where they
/// run makes no difference).
const REPORT_ONLY: &[&str] = &["actions-in-pages", "formdata-identity", "missing-revalidate"];

/// Heuristic rules whose precision, measured on public apps (DOCTOR.md), is under 90 %: they
/// run only when named with `-t`. Each with the measurement `--list` shows.
const OFF_BY_DEFAULT: &[(&str, &str)] = &[
    (
        "formdata-identity",
        "0 % precision measured (0 of 2 findings right on 32 public repositories, DOCTOR.md)",
    ),
    (
        "missing-revalidate",
        "0 % precision measured (0 of 11 findings right on 32 public repositories, DOCTOR.md)",
    ),
];

/// Why a run without `-t` leaves the transform out, when it does.
pub fn off_by_default(name: &str) -> Option<&'static str> {
    OFF_BY_DEFAULT.iter().find(|(n, _)| *n == name).map(|(_, why)| *why)
}

/// Whether a run without `-t` includes the transform.
pub fn on_by_default(name: &str) -> bool {
    off_by_default(name).is_none()
}

/// The rules a run asks for, as the CLI's `-t` and `--skip` (and the language server's
/// `transforms` and `skip` settings) say: the named ones, or without names those on by
/// default, less the skipped ones.
pub struct Selection<'a> {
    pub only: &'a [String],
    pub skip: &'a [String],
}

impl Selection<'_> {
    pub fn includes(&self, name: &str) -> bool {
        let chosen = if self.only.is_empty() {
            on_by_default(name)
        } else {
            self.only.iter().any(|n| n == name)
        };
        chosen && !self.skip.iter().any(|n| n == name)
    }

    pub fn file_transforms(&self) -> Vec<&'static dyn Transform> {
        file_transforms()
            .iter()
            .copied()
            .filter(|t| self.includes(t.meta().name))
            .collect()
    }

    pub fn folder_transforms(&self) -> Vec<&'static dyn FolderRule> {
        folder_transforms()
            .iter()
            .copied()
            .filter(|t| self.includes(t.meta().name))
            .collect()
    }

    pub fn project_transforms(&self) -> Vec<&'static dyn ProjectTransform> {
        project_transforms()
            .iter()
            .copied()
            .filter(|t| self.includes(t.meta().name))
            .collect()
    }
}

/// Every transform's metadata, in run order.
pub fn all_meta() -> Vec<&'static Meta> {
    let files = file_transforms().iter().map(|t| t.meta());
    let (report_only, changing): (Vec<_>, Vec<_>) = files.partition(|m| REPORT_ONLY.contains(&m.name));
    changing
        .into_iter()
        .chain(project_transforms().iter().map(|t| t.meta()))
        .chain(folder_transforms().iter().map(|t| t.meta()))
        .chain(report_only)
        .collect()
}

/// One match of a query: its pattern and its captures (capture index, node).
pub struct Match<'t> {
    pub pattern: usize,
    pub captures: Vec<(u32, tree_sitter::Node<'t>)>,
}

impl<'t> Match<'t> {
    /// The node captured as `index`, if any.
    pub fn get(&self, index: Option<u32>) -> Option<tree_sitter::Node<'t>> {
        self.captures.iter().find(|(i, _)| Some(*i) == index).map(|(_, n)| *n)
    }
}

/// Runs `query` only around the places where `word` occurs in the text, each match once, in
/// the order found. A query cursor limited to a byte range descends only into the nodes that
/// hold it, so a file with three occurrences costs three short descents instead of a visit of
/// every node (queries over whole trees cost more than parsing them). Every pattern the query
/// can match must span an occurrence of `word`, and none may be the `program` node itself.
pub fn matches_around<'t>(tree: &'t Tree, text: &str, query: &Query, word: &str) -> Vec<Match<'t>> {
    use streaming_iterator::StreamingIterator;
    let mut found: Vec<Match<'t>> = Vec::new();
    // A match that spans several occurrences is met once per occurrence; a set of the matches
    // seen keeps that linear (a scan of `found` made it quadratic in the occurrences).
    let mut seen: FxHashSet<(usize, Vec<(u32, usize)>)> = FxHashSet::default();
    let mut cursor = tree_sitter::QueryCursor::new();
    // Each descent starts at the top-level statement that holds the occurrence, found by one
    // sweep over the statements: a descent from the root steps over every statement before the
    // occurrence, which made files of many small components cost the square of their size.
    let mut statements = tree.root_node().walk();
    let mut in_file = statements.goto_first_child();
    // memchr's SIMD search: `str::match_indices` was a fiftieth of a run that edits every file.
    for at in memchr::memmem::find_iter(text.as_bytes(), word.as_bytes()) {
        let end = at + word.len();
        while in_file && statements.node().end_byte() < end {
            in_file = statements.goto_next_sibling();
        }
        if !in_file {
            break;
        }
        let statement = statements.node();
        if statement.start_byte() > at {
            // Between statements (or across two): only `program` could span it.
            continue;
        }
        cursor.set_byte_range(at..end);
        let mut matches = cursor.matches(query, statement, text.as_bytes());
        while let Some(m) = matches.next() {
            let captures: Vec<(u32, tree_sitter::Node<'t>)> = m.captures().iter().map(|c| (c.index, c.node)).collect();
            let key = (m.pattern_index, captures.iter().map(|(i, n)| (*i, n.id())).collect());
            if seen.insert(key) {
                found.push(Match {
                    pattern: m.pattern_index,
                    captures,
                });
            }
        }
    }
    found
}

/// A query compiled once per grammar, the first time a file needs it.
pub struct QuerySet {
    source: &'static str,
    compiled: [OnceLock<Result<Query, String>>; 2],
}

impl QuerySet {
    pub const fn new(source: &'static str) -> QuerySet {
        QuerySet {
            source,
            compiled: [OnceLock::new(), OnceLock::new()],
        }
    }

    /// Compiles the query for `lang` now (the engine does it while it walks).
    pub fn warm(&self, lang: Lang) {
        self.get(lang);
    }

    /// The query for `lang`. The queries are part of the binary and tested against both
    /// grammars, so a failure here is a bug in this program, not in the user's input.
    pub fn get(&self, lang: Lang) -> &Query {
        let compiled = self.compiled[lang.index()]
            .get_or_init(|| Query::new(lang.language(), self.source).map_err(|e| e.to_string()));
        match compiled {
            Ok(query) => query,
            Err(error) => panic!("bundled query does not compile: {error}\n{}", self.source),
        }
    }
}
