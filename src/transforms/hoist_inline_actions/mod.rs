//! # hoist-inline-actions
//!
//! **What it does.** Moves every function whose body starts with `'use server'` out of a
//! `'use client'` module into the sibling actions module of its folder (`actions.ts`, ...,
//! created when none exists), exports it there, and imports it back into the client. The
//! imports the moved code uses go with it; imports the client no longer needs are removed.
//! Values the function reads from the component (props, destructured params, consts) become
//! leading parameters, and the client refers to the action as `name.bind(null, a, b)`.
//!
//! **Why.** A Server Action cannot be defined inside a Client Component: Next refuses to build
//! a `'use client'` module holding an inline `'use server'` function. Moving it into a
//! `'use server'` module beside the component is the fix a careful person makes by hand.
//!
//! **Example.**
//! ```text
//! 'use client';                                          // actions.ts (created)
//! import { revalidatePath } from 'next/cache';            'use server';
//! import type { Post } from './types';                    import { revalidatePath } from 'next/cache';
//! export function PostItem({ post }: { post: Post }) {    import type { Post } from './types';
//!   async function deletePost() {                         export async function deletePost(id: Post['id']) {
//!     'use server';                                         await store.remove(id);
//!     await store.remove(post.id);                          revalidatePath('/posts');
//!     revalidatePath('/posts');                           }
//!   }
//!   return <form action={deletePost}>...</form>;          // the client: <form action={deletePost.bind(null, post.id)}>
//! }                                                       // and import { deletePost } from './actions';
//! ```
//!
//! **Not applied** (a finding says why) when the function captures a function, a state setter,
//! a ref or a module-level binding of the client (bound arguments must be serialisable, and a
//! Server Action cannot see the client's top level); when it uses a type the client declares;
//! to object and class methods; when the actions module exists without `'use server'`; when a
//! TypeScript function would move into a JavaScript actions module. Modules without
//! `'use client'` are never touched: inline actions are legal in Server Components.

mod analyse;
mod client_edits;
mod emit;
mod find;
mod module_imports;
mod types;

use crate::fix::apply_edits;
use crate::fix::{Edit, Note};
use crate::imports::{ImportDecl, directives, import_decls};
use crate::parse::{Lang, Parsers, edit_tree, is_typescript};
use crate::scope::{BindingId, ScopeId, ScopeTree};
use crate::style::Style;
use crate::target::Needs;
use crate::transforms::{FolderFile, FolderInput, FolderOutcome, FolderOutput, FolderTransform, Meta, QuerySet};
use analyse::Plan;
use find::find_inline_actions;
use std::ops::Range;
use std::path::{Path, PathBuf};
use tree_sitter::{Node, Tree};

pub struct HoistInlineActions;

static META: Meta = Meta {
    name: "hoist-inline-actions",
    summary: "inline 'use server' functions in 'use client' modules → exported from ./actions",
    words: &[&["use client", "use server"]],
    needs: "Next 14 or 15",
    queries: &[&QUERY],
};

static QUERY: QuerySet = QuerySet::new(include_str!("../../../transforms/hoist-inline-actions.scm"));

/// The actions modules, in the order they are looked for.
const SIBLINGS: &[&str] = &[
    "actions.ts",
    "actions.tsx",
    "actions.js",
    "actions.jsx",
    "actions/index.ts",
    "actions/index.js",
];

/// The specifier the client imports the actions from.
const ACTIONS_SPECIFIER: &str = "./actions";

impl FolderTransform for HoistInlineActions {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn siblings(&self) -> &'static [&'static str] {
        SIBLINGS
    }

    fn run(&self, input: &FolderInput, parsers: &mut Parsers) -> FolderOutcome {
        let mut outcome = FolderOutcome {
            needs: Needs::NOTHING,
            ..FolderOutcome::default()
        };
        let mut module: Option<Module> = input.siblings.first().map(|(path, text)| Module {
            path: path.clone(),
            text: text.to_string(),
            changed: false,
            tree: None,
        });
        let mut clients: Vec<FolderOutput> = Vec::new();
        for file in &input.files {
            if module.as_ref().is_some_and(|m| m.path == file.path) {
                continue;
            }
            // An action that uses another top-level inline action of the client can only move
            // once that one has (it then imports it from the module): run again on the output,
            // so one run does what two would (found by fuzzing). A refusal is superseded by the
            // next round's judgement; other notes (about what moved) are kept from every round.
            let mut client: Option<(String, Tree)> = None;
            let mut notes: Vec<Note> = Vec::new();
            for round in 0..MAX_CLIENT_ROUNDS {
                // The file phase's tree belongs to the first round's text; later rounds have the
                // tree the previous one re-parsed.
                let (text, tree) = match &client {
                    Some((text, tree)) => (text.as_str(), Some(tree)),
                    None => (file.text, file.tree),
                };
                let current = FolderFile { text, tree, ..*file };
                let result = hoist_client(input.folder, &current, module.as_ref(), parsers);
                let last = result.change.is_none() || round + 1 == MAX_CLIENT_ROUNDS;
                for note in result.notes {
                    if !last && note.message.contains(" was not moved: ") {
                        continue;
                    }
                    let note = Note {
                        offset: offset_before(file.text, text, note.offset),
                        ..note
                    };
                    if !notes.contains(&note) {
                        notes.push(note);
                    }
                }
                let Some((new_text, new_tree, new_module)) = result.change else {
                    break;
                };
                client = Some((new_text, new_tree));
                module = Some(new_module);
            }
            outcome
                .notes
                .extend(notes.into_iter().map(|note| (file.path.to_path_buf(), note)));
            if let Some((text, tree)) = client {
                clients.push(FolderOutput {
                    path: file.path.to_path_buf(),
                    text,
                    tree: Some(tree),
                });
            }
        }
        if let Some(module) = module.filter(|m| m.changed) {
            outcome.files.push(FolderOutput {
                path: module.path,
                text: module.text,
                tree: module.tree,
            });
        }
        outcome.files.extend(clients);
        outcome
    }
}

/// Rounds of hoisting on one client: each can free actions that used the ones moved before, and
/// each that changes something moves at least one action, so a chain of n actions that use one
/// another takes n rounds. A bound all the same, against a loop.
const MAX_CLIENT_ROUNDS: usize = 64;

/// Maps an offset in `new` (an edit of `old`) back to `old`: the same place on an unchanged
/// line, else the start of the lines it replaced.
fn offset_before(old: &str, new: &str, offset: usize) -> usize {
    if old == new {
        return offset;
    }
    let line_starts = |t: &str| -> Vec<usize> {
        std::iter::once(0)
            .chain(t.match_indices('\n').map(|(i, _)| i + 1))
            .collect()
    };
    let (old_starts, new_starts) = (line_starts(old), line_starts(new));
    let line = new_starts.partition_point(|&s| s <= offset).saturating_sub(1);
    let column = offset - new_starts[line];
    for op in similar::TextDiff::from_lines(old, new).ops() {
        let (_, old_range, new_range) = op.as_tag_tuple();
        if !new_range.contains(&line) {
            continue;
        }
        let old_line = match op.tag() {
            similar::DiffTag::Equal => old_range.start + (line - new_range.start),
            _ => return old_starts.get(old_range.start).copied().unwrap_or(old.len()),
        };
        return old_starts
            .get(old_line)
            .map_or(old.len(), |s| (s + column).min(old.len()));
    }
    old.len().min(offset)
}

/// The actions module as the clients before this one left it.
#[derive(Debug, Clone)]
struct Module {
    path: PathBuf,
    text: String,
    changed: bool,
    /// Its tree once parsed: each client re-parses only what the previous one changed.
    tree: Option<Tree>,
}

#[derive(Default)]
struct ClientResult {
    notes: Vec<Note>,
    /// The client's new text and tree, and the actions module after it.
    change: Option<(String, Tree, Module)>,
}

fn hoist_client(folder: &Path, file: &FolderFile, module: Option<&Module>, parsers: &mut Parsers) -> ClientResult {
    let mut result = ClientResult::default();
    let text = file.text;
    let parsed;
    let tree = match file.tree {
        Some(tree) => tree,
        None => {
            let Some(tree) = parsers.parse(file.lang, text, None) else {
                return result;
            };
            parsed = tree;
            &parsed
        }
    };
    if tree.root_node().has_error() || !directives(tree, text).iter().any(|(d, _)| d == "use client") {
        return result;
    }
    let found = find_inline_actions(tree, text, file.lang);
    if found.is_empty() {
        return result;
    }
    let client_ts = is_typescript(file.path);
    let known_tree = module.and_then(|m| m.tree.clone());
    let (module_path, module_text, created) = match module {
        Some(m) => (m.path.clone(), m.text.clone(), false),
        None => {
            let style = Style::detect(text);
            let name = if client_ts { "actions.ts" } else { "actions.js" };
            let directive = format!("{}{}{}", style.string("use server"), style.semi(), style.newline);
            (folder.join(name), directive, true)
        }
    };
    let module_name = module_path
        .strip_prefix(folder)
        .unwrap_or(&module_path)
        .to_string_lossy()
        .replace('\\', "/");
    let module_lang = Lang::from_path(&module_path).unwrap_or(Lang::Tsx);
    let module_ts = is_typescript(&module_path);
    let module_tree = known_tree.or_else(|| parsers.parse(module_lang, &module_text, None));
    let Some(module_tree) = module_tree.filter(|t| !t.root_node().has_error()) else {
        for action in &found {
            result.notes.push(Note::at(
                action.directive.start,
                format!("{module_name} has syntax errors, so this inline Server Action was not moved there — fix {module_name} and run again"),
            ));
        }
        return result;
    };
    if !directives(&module_tree, &module_text)
        .iter()
        .any(|(d, _)| d == "use server")
    {
        for action in &found {
            result.notes.push(Note::at(
                action.directive.start,
                format!("{module_name} exists but has no 'use server' directive at its top, so this inline Server Action was not moved — add the directive to {module_name}, or move the action by hand"),
            ));
        }
        return result;
    }

    let scopes = ScopeTree::build(tree, text);
    let client = Client {
        text,
        tree,
        scopes: &scopes,
        module_ts,
        client_ts,
        module_name: &module_name,
        quote: Style::detect(if created { text } else { &module_text }).quote,
    };
    let mut plans: Vec<Plan> = Vec::new();
    for action in &found {
        match client.analyze(action) {
            Ok((plan, notes)) => {
                result.notes.extend(notes);
                plans.push(plan);
            }
            Err(note) => result.notes.push(note),
        }
    }
    if plans.is_empty() {
        return result;
    }
    let view = ModuleView {
        text: &module_text,
        scopes: ScopeTree::build(&module_tree, &module_text),
        decls: import_decls(&module_tree, &module_text),
        directives_end: directives(&module_tree, &module_text).last().map_or(0, |(_, r)| r.end),
        created,
    };
    let built = client.build(&mut plans, &view);
    let (client_edits, module_edits) = match built {
        Ok(edits) => edits,
        Err(notes) => {
            result.notes.extend(notes);
            return result;
        }
    };
    let refuse = |why: String| {
        plans
            .iter()
            .map(|p| Note::at(p.directive.start, why.clone()))
            .collect::<Vec<_>>()
    };
    let (new_client, new_module) = match (
        apply_edits(text, &client_edits),
        apply_edits(&module_text, &module_edits),
    ) {
        (Ok(c), Ok(m)) => (c, m),
        (Err(error), _) | (_, Err(error)) => {
            result.notes.extend(refuse(format!(
                "the edits to move this inline Server Action conflict ({error}), so nothing was changed — please report this file"
            )));
            return result;
        }
    };
    // Both outputs must parse; incremental re-parses from the trees already made.
    let reparse = |lang: Lang, old: &Tree, old_text: &str, edits: &[Edit], new: &str, parsers: &mut Parsers| {
        let mut edited = old.clone();
        edit_tree(&mut edited, old_text, edits);
        parsers
            .parse(lang, new, Some(&edited))
            .filter(|t| !t.root_node().has_error())
    };
    let new_client_tree = reparse(file.lang, tree, text, &client_edits, &new_client, parsers);
    let new_module_tree = reparse(
        module_lang,
        &module_tree,
        &module_text,
        &module_edits,
        &new_module,
        parsers,
    );
    let (Some(new_client_tree), Some(new_module_tree)) = (new_client_tree, new_module_tree) else {
        result.notes.extend(refuse(
            "moving this inline Server Action would leave code that does not parse, so nothing was changed — please report this file".into(),
        ));
        return result;
    };
    result.change = Some((
        new_client,
        new_client_tree,
        Module {
            path: module_path,
            text: new_module,
            changed: true,
            tree: Some(new_module_tree),
        },
    ));
    result
}

/// The actions module as this client's move reads it.
struct ModuleView<'a> {
    text: &'a str,
    scopes: ScopeTree,
    decls: Vec<ImportDecl>,
    /// The end of its directive prologue (0 without one).
    directives_end: usize,
    /// It does not exist yet: its text is the directive this move writes.
    created: bool,
}

/// The client module and what the analysis needs of it.
struct Client<'a> {
    text: &'a str,
    tree: &'a Tree,
    scopes: &'a ScopeTree,
    module_ts: bool,
    client_ts: bool,
    module_name: &'a str,
    /// The quote of the module the types are written into.
    quote: char,
}

impl<'a> Client<'a> {
    fn node_at(&self, range: Range<usize>) -> Option<Node<'a>> {
        self.tree.root_node().descendant_for_byte_range(range.start, range.end)
    }

    fn slice(&self, range: Range<usize>) -> &'a str {
        &self.text[range]
    }

    /// The function scope a function node opens.
    fn scope_of(&self, function: Node) -> ScopeId {
        self.scopes
            .scopes
            .iter()
            .position(|s| s.range == function.byte_range())
            .unwrap_or(0)
    }

    fn module_level(&self, binding: BindingId) -> bool {
        self.scopes.function_scope(self.scopes.bindings[binding].scope) == 0
    }
}

fn contains(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}
