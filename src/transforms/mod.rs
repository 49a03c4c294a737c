//! The registry of transforms. Each transform is one file here plus its query under
//! `transforms/` at the top of the repository; this list is the order they run in and what
//! `--list` prints.

use crate::fix::{Note, Outcome};
use crate::parse::{Lang, Parsers};
use crate::scope::ScopeTree;
use crate::style::Style;
use crate::target::{Needs, Target};
use rustc_hash::FxHashSet;
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
pub mod hoist_inline_actions;
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
        SourceFile {
            path: self.path,
            text,
            tree,
            lang,
            target: self.target,
            options: self.options,
        }
    }
}

/// One parsed file, as a transform sees it.
pub struct SourceFile<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub tree: &'a Tree,
    pub lang: Lang,
    pub target: Target,
    pub options: &'a Options,
}

impl SourceFile<'_> {
    pub fn style(&self) -> Style {
        Style::detect(self.text)
    }

    pub fn scopes(&self) -> ScopeTree {
        ScopeTree::build(self.tree, self.text)
    }

    pub fn is_typescript(&self) -> bool {
        crate::parse::is_typescript(self.path)
    }

    pub fn node_text(&self, node: tree_sitter::Node) -> &str {
        &self.text[node.byte_range()]
    }
}

/// A transform of one file at a time.
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

/// A file handed to a folder transform: its text after the file transforms ran.
pub struct FolderFile<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub lang: Lang,
    /// Its tree, when the file phase parsed it (it did, unless no file transform looked at it).
    pub tree: Option<&'a Tree>,
}

/// What a folder transform sees: the candidate files of one folder, in path order, and the
/// sibling modules it asked for that exist there.
pub struct FolderInput<'a> {
    pub folder: &'a Path,
    pub files: Vec<FolderFile<'a>>,
    pub siblings: Vec<(PathBuf, &'a str)>,
    pub target: Target,
    pub options: &'a Options,
}

/// New texts for the files the change touches (created files included), applied or refused
/// as one, and notes per file (offsets into the texts the transform was given).
#[derive(Debug, Default)]
pub struct FolderOutcome {
    pub files: Vec<FolderOutput>,
    pub notes: Vec<(PathBuf, Note)>,
    pub needs: Needs,
}

/// One new text of a folder change, with the tree the transform parsed it into when it did
/// (the engine then checks that tree instead of parsing the text again).
#[derive(Debug)]
pub struct FolderOutput {
    pub path: PathBuf,
    pub text: String,
    pub tree: Option<Tree>,
}

/// A transform that changes several files of one folder together (and may create one).
pub trait FolderTransform: Sync + Send {
    fn meta(&self) -> &'static Meta;

    /// Sibling module names the transform reads, relative to the folder (`actions.ts`, ...).
    fn siblings(&self) -> &'static [&'static str];

    fn run(&self, input: &FolderInput, parsers: &mut Parsers) -> FolderOutcome;
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
    ];
    ALL
}

/// Folder transforms, run after every file transform is done.
pub fn folder_transforms() -> &'static [&'static dyn FolderTransform] {
    static ALL: &[&dyn FolderTransform] = &[&hoist_inline_actions::HoistInlineActions];
    ALL
}

/// File transforms that only report: they run in the file phase but are listed after the
/// folder transforms, in the run order the README gives (they change nothing, so where they
/// run makes no difference).
const REPORT_ONLY: &[&str] = &["actions-in-pages"];

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
    for (at, _) in text.match_indices(word) {
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
