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

use crate::fix::apply_edits;
use crate::fix::{Edit, Note};
use crate::imports::{ImportDecl, append_named, body_directives, directives, import_decls, remove_named};
use crate::parse::{Lang, Parsers, edit_tree, is_typescript};
use crate::scope::{BindingId, BindingKind, Imported, RefKind, ScopeId, ScopeTree, has_token, string_value};
use crate::style::{Style, indent_at, line_range};
use crate::target::Needs;
use crate::transforms::{
    FolderFile, FolderInput, FolderOutcome, FolderOutput, FolderTransform, Meta, QuerySet, matches_around,
};
use std::collections::{BTreeMap, HashMap, HashSet};
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

static QUERY: QuerySet = QuerySet::new(include_str!("../../transforms/hoist-inline-actions.scm"));

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

/// Hooks whose array result holds a function in second place (`const [x, setX] = useState()`).
const FUNCTION_PAIR_HOOKS: &[&str] = &[
    "useState",
    "useReducer",
    "useTransition",
    "useActionState",
    "useFormState",
    "useOptimistic",
];

/// The nodes a declared name can sit in, between it and its declarator.
const PATTERN_KINDS: &[&str] = &[
    "object_pattern",
    "array_pattern",
    "pair_pattern",
    "object_assignment_pattern",
    "assignment_pattern",
    "rest_pattern",
];

const TS_ONLY_KINDS: &[&str] = &[
    "type_annotation",
    "type_arguments",
    "type_parameters",
    "as_expression",
    "satisfies_expression",
    "non_null_expression",
    "opting_type_annotation",
    "omitting_type_annotation",
    "adding_type_annotation",
    "accessibility_modifier",
];

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

/// How the inline action is bound in the client.
#[derive(Debug, Clone)]
enum Form {
    /// `async function save() {}`; `statement` is the declaration or its `export` statement.
    Declaration { statement: Range<usize>, export: Export },
    /// `const save = async () => {}`; `statement` is the declaration or its `export` statement.
    Const {
        statement: Range<usize>,
        export: Export,
        annotation: Option<Range<usize>>,
    },
    /// Anywhere else: a JSX attribute, a call argument.
    Anonymous,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Export {
    None,
    Named,
    Default,
}

/// One captured value: a binding of an enclosing function, or a member chain on it.
#[derive(Debug, Clone)]
struct Capture {
    root: BindingId,
    segments: Vec<String>,
    /// Where it is first used, for ordering and for the `any` finding.
    first: usize,
    /// The bound expression as the client spells it (`post.id`).
    expression: String,
    param: String,
    /// The parameter's type in the module, when the module is TypeScript.
    ty: Option<String>,
}

/// A use of a captured value inside the function: the range to replace and the capture.
#[derive(Debug, Clone)]
struct CaptureUse {
    range: Range<usize>,
    capture: usize,
    /// The chain is the bare identifier of the capture (nothing to rewrite).
    bare: bool,
}

/// A use of a captured value: its root binding, the property names after it, the range of
/// each level of the chain (level 0 is the identifier), and where it starts.
type Chain = (BindingId, Vec<String>, Vec<Range<usize>>, usize);

/// Everything decided about one inline action that will move.
#[derive(Debug, Clone)]
struct Plan {
    function: Range<usize>,
    directive: Range<usize>,
    form: Form,
    kind: FunctionKind,
    /// Bindings that name the function itself (declaration, const, function-expression name).
    own: Vec<BindingId>,
    old_name: Option<String>,
    base_name: String,
    name: String,
    captures: Vec<Capture>,
    uses: Vec<CaptureUse>,
    /// Import bindings the moved code (or a captured parameter's type) uses.
    imports: Vec<BindingId>,
    /// The client range the move takes away (the statement, or the function itself).
    removed: Range<usize>,
    /// Type node ranges the captured parameter types are built from, per capture.
    capture_types: Vec<Option<TypeText>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FunctionKind {
    Declaration,
    Expression,
    Arrow,
}

/// A type spelled in the client: a node range, and an indexed access path after it.
#[derive(Debug, Clone)]
struct TypeText {
    range: Range<usize>,
    path: Vec<String>,
    optional: bool,
    imports: Vec<BindingId>,
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
    let module_scopes = ScopeTree::build(&module_tree, &module_text);
    let module_decls = import_decls(&module_tree, &module_text);
    let built = client.build(
        &mut plans,
        &module_text,
        &module_tree,
        &module_scopes,
        &module_decls,
        created,
    );
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

/// An inline action found in the client: the function and its `'use server'` directive.
struct Found<'t> {
    function: Node<'t>,
    directive: Range<usize>,
}

/// Functions whose body's directive prologue holds `'use server'`, outermost only, in source order.
fn find_inline_actions<'t>(tree: &'t Tree, text: &str, lang: Lang) -> Vec<Found<'t>> {
    let query = QUERY.get(lang);
    let function_index = query.capture_index_for_name("function");
    let mut found: Vec<Found> = Vec::new();
    // A function whose body holds the directive spans the directive's text.
    let mut matches = Vec::new();
    for quoted in ["'use server'", "\"use server\""] {
        matches.extend(matches_around(tree, text, query, quoted));
    }
    for m in matches {
        let Some(function) = m.get(function_index) else {
            continue;
        };
        // An arrow function's body may be an expression: no directives there.
        let Some(body) = function
            .child_by_field_name("body")
            .filter(|b| b.kind() == "statement_block")
        else {
            continue;
        };
        if found.iter().any(|f| f.function.id() == function.id()) {
            continue;
        }
        let mut c = body.walk();
        let directive = body_directives(body.named_children(&mut c), text)
            .into_iter()
            .find(|(d, _)| d == "use server");
        if let Some((_, directive)) = directive {
            found.push(Found { function, directive });
        }
    }
    found.sort_by_key(|f| f.function.start_byte());
    let mut outermost: Vec<Found> = Vec::new();
    for f in found {
        if outermost
            .last()
            .is_some_and(|o| o.function.end_byte() >= f.function.end_byte())
        {
            continue;
        }
        outermost.push(f);
    }
    outermost
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

    /// Decides whether and how one inline action moves: a plan, or the finding why not.
    fn analyze(&self, found: &Found<'a>) -> Result<(Plan, Vec<Note>), Note> {
        let function = found.function;
        let at = found.directive.start;
        // Findings name the action: `save` was not moved: <why>.
        let subject = self.subject(function);
        let refuse = |why: String| Err(Note::at(at, format!("{subject} was not moved: {why}")));
        let kind = match function.kind() {
            "function_declaration" => FunctionKind::Declaration,
            "function_expression" => FunctionKind::Expression,
            "arrow_function" => FunctionKind::Arrow,
            _ => {
                return refuse(
                    "a class method with 'use server' cannot be hoisted automatically — turn it into a function (`async function name() { 'use server'; ... }`) and run again".into(),
                );
            }
        };
        let parent = function.parent();
        if parent.is_some_and(|p| p.kind() == "pair") {
            return refuse(
                "an object method with 'use server' cannot be hoisted automatically — turn it into a function (`async function name() { 'use server'; ... }`) and run again".into(),
            );
        }
        if has_token(function, "*") {
            return refuse("a generator cannot be a Server Action — make it an async function".into());
        }
        let function_scope = self.scope_of(function);
        let mut own: Vec<BindingId> = Vec::new();
        if let Some(name) = function.child_by_field_name("name")
            && let Some(b) = self.scopes.binding_of(name.byte_range())
        {
            own.push(b);
        }
        let (form, old_name) = match (kind, parent) {
            (FunctionKind::Declaration, Some(p)) => {
                let name = function
                    .child_by_field_name("name")
                    .map(|n| self.slice(n.byte_range()).to_string());
                let (statement, export) = match p.kind() {
                    "export_statement" if has_token(p, "default") => (p.byte_range(), Export::Default),
                    "export_statement" => (p.byte_range(), Export::Named),
                    _ => (function.byte_range(), Export::None),
                };
                if name.is_none() {
                    return refuse("an anonymous default export cannot be hoisted automatically — give the function a name and run again".into());
                }
                (Form::Declaration { statement, export }, name)
            }
            (_, Some(p)) if p.kind() == "variable_declarator" && p.child_by_field_name("value") == Some(function) => {
                let Some(name) = p.child_by_field_name("name").filter(|n| n.kind() == "identifier") else {
                    return refuse("it is bound by a destructuring pattern — bind it to a name and run again".into());
                };
                if let Some(b) = self.scopes.binding_of(name.byte_range()) {
                    own.push(b);
                }
                let Some(declaration) = p.parent() else {
                    return refuse("its declaration could not be read — move it by hand".into());
                };
                let mut c = declaration.walk();
                if declaration
                    .named_children(&mut c)
                    .filter(|n| n.kind() == "variable_declarator")
                    .count()
                    != 1
                {
                    return refuse(
                        "its declaration declares other variables too — give it a `const` of its own and run again"
                            .into(),
                    );
                }
                let (statement, export) = match declaration.parent() {
                    Some(e) if e.kind() == "export_statement" => (e.byte_range(), Export::Named),
                    _ => (declaration.byte_range(), Export::None),
                };
                let annotation = p.child_by_field_name("type").map(|t| t.byte_range());
                (
                    Form::Const {
                        statement,
                        export,
                        annotation,
                    },
                    Some(self.slice(name.byte_range()).to_string()),
                )
            }
            _ => (
                Form::Anonymous,
                function
                    .child_by_field_name("name")
                    .map(|n| self.slice(n.byte_range()).to_string()),
            ),
        };
        let base_name = match (&form, &old_name) {
            (Form::Anonymous, _) => format!("{}Action", lower_camel(&self.component_name(function))),
            (_, Some(name)) => name.clone(),
            (_, None) => "action".to_string(),
        };
        let removed = match &form {
            Form::Declaration { statement, .. } | Form::Const { statement, .. } => statement.clone(),
            Form::Anonymous => function.byte_range(),
        };
        let annotated = matches!(
            &form,
            Form::Const {
                annotation: Some(_),
                ..
            }
        );
        if !self.module_ts && self.client_ts && (annotated || has_kind(function, TS_ONLY_KINDS)) {
            return refuse(format!(
                "it uses TypeScript syntax but {} is JavaScript — move it by hand",
                self.module_name
            ));
        }

        // What the code reads: locals stay, imports go with it, captured values become params.
        let mut ranges = vec![function.byte_range()];
        if let Form::Const {
            annotation: Some(annotation),
            ..
        } = &form
        {
            ranges.push(annotation.clone());
        }
        let mut imports: Vec<BindingId> = Vec::new();
        let mut captures: Vec<Capture> = Vec::new();
        let mut uses: Vec<CaptureUse> = Vec::new();
        let mut seen_chains: Vec<Chain> = Vec::new();
        for reference in self
            .scopes
            .references
            .iter()
            .filter(|r| ranges.iter().any(|range| contains(range, &r.range)))
        {
            let Some(b) = reference.binding else {
                continue;
            };
            let binding = &self.scopes.bindings[b];
            if own.contains(&b) || self.scopes.is_within(binding.scope, function_scope) {
                continue;
            }
            if let BindingKind::Import(_) = binding.kind {
                if !imports.contains(&b) {
                    imports.push(b);
                }
                continue;
            }
            let name = &binding.name;
            let is_type = reference.kind == RefKind::Type || binding.kind == BindingKind::Type;
            if is_type {
                return refuse(format!(
                    "it uses the type `{name}`, which this client module declares — move `{name}` into a module both files can import and run again"
                ));
            }
            if self.module_level(b) {
                return refuse(format!(
                    "it uses `{name}`, declared at the top level of this client module, which {} cannot see — move `{name}` into a module both files can import (or into the action) and run again",
                    self.module_name
                ));
            }
            if let Some(why) = self.not_serialisable(b) {
                return refuse(format!(
                    "it uses `{name}`, {why}, which cannot be bound to a Server Action (bound arguments must be serialisable) — do that work in the client after the action returns"
                ));
            }
            let (segments, levels, called) = self.chain_of(reference.range.clone());
            if called && segments.is_empty() {
                return refuse(format!(
                    "it calls `{name}`, a function, which cannot be bound to a Server Action (bound arguments must be serialisable) — do that work in the client after the action returns"
                ));
            }
            seen_chains.push((b, segments, levels, reference.range.start));
        }

        // Group the chains: a chain covered by a shorter one of the same root uses its parameter.
        let mut keys: Vec<(BindingId, Vec<String>)> = Vec::new();
        for (b, segments, _, _) in &seen_chains {
            if !keys.iter().any(|(kb, ks)| kb == b && ks == segments) {
                keys.push((*b, segments.clone()));
            }
        }
        let cover = |b: BindingId, segments: &[String]| -> (BindingId, Vec<String>) {
            keys.iter()
                .filter(|(kb, ks)| *kb == b && segments.starts_with(ks))
                .min_by_key(|(_, ks)| ks.len())
                .cloned()
                .unwrap_or((b, segments.to_vec()))
        };
        for (b, segments, levels, start) in &seen_chains {
            let (cb, cs) = cover(*b, segments);
            let index = match captures.iter().position(|c| c.root == cb && c.segments == cs) {
                Some(i) => i,
                None => {
                    let expression = self.slice(levels[cs.len()].clone()).to_string();
                    captures.push(Capture {
                        root: cb,
                        segments: cs.clone(),
                        first: *start,
                        expression,
                        param: String::new(),
                        ty: None,
                    });
                    captures.len() - 1
                }
            };
            uses.push(CaptureUse {
                range: levels[cs.len()].clone(),
                capture: index,
                bare: cs.is_empty(),
            });
        }

        // Types of the captured values; a function type cannot be bound.
        let mut notes = Vec::new();
        let mut capture_types = Vec::new();
        for capture in &captures {
            let ty = self.binding_type(capture.root, &capture.segments);
            if let Some((_, kind)) = &ty
                && kind == "function_type"
            {
                let name = &capture.expression;
                return refuse(format!(
                    "it uses `{name}`, a function, which cannot be bound to a Server Action (bound arguments must be serialisable) — do that work in the client after the action returns"
                ));
            }
            let ty = ty.map(|(t, _)| t);
            if self.module_ts && ty.is_none() {
                notes.push(Note::at(
                    capture.first,
                    format!(
                        "the type of `{}` is not spelled out in the source, so its parameter in {} is typed `any` — give it its real type there",
                        capture.expression, self.module_name
                    ),
                ));
            }
            if let Some(t) = &ty {
                for &b in &t.imports {
                    if !imports.contains(&b) {
                        imports.push(b);
                    }
                }
            }
            capture_types.push(ty);
        }
        if !captures.is_empty()
            && let Form::Const {
                annotation: Some(_), ..
            } = &form
        {
            return refuse("it reads values of the component, and the type annotation of its `const` would not allow the parameters that carry them — remove the annotation and run again".into());
        }
        // Every reference to the action must see the captured values under the same names.
        if !captures.is_empty() {
            for &b in &own {
                for reference in self.scopes.references_to(b) {
                    if contains(&removed, &reference.range) {
                        continue;
                    }
                    for capture in &captures {
                        let root = &self.scopes.bindings[capture.root];
                        if self.scopes.lookup(&root.name, reference.scope) != Some(capture.root) {
                            return refuse(format!(
                                "it is used where `{}` means something else, so `.bind(null, ...)` cannot be written there — move it by hand",
                                root.name
                            ));
                        }
                    }
                }
            }
        }
        imports.sort_by_key(|&b| self.scopes.bindings[b].ident.start);
        Ok((
            Plan {
                function: function.byte_range(),
                directive: found.directive.clone(),
                form,
                kind,
                own,
                old_name,
                base_name,
                name: String::new(),
                captures,
                uses,
                imports,
                removed,
                capture_types,
            },
            notes,
        ))
    }

    /// How findings name the action: `save`, or "this inline Server Action".
    fn subject(&self, function: Node) -> String {
        let name = function.child_by_field_name("name").or_else(|| {
            function
                .parent()
                .filter(|p| p.kind() == "variable_declarator")
                .and_then(|p| p.child_by_field_name("name"))
                .filter(|n| n.kind() == "identifier")
        });
        match name {
            Some(name) => format!("the inline Server Action `{}`", self.slice(name.byte_range())),
            None => "this inline Server Action".to_string(),
        }
    }

    /// The name of the component (the nearest named function) around `node`.
    fn component_name(&self, node: Node) -> String {
        let mut current = node.parent();
        while let Some(n) = current {
            if crate::scope::is_function_kind(n.kind()) {
                if let Some(name) = n.child_by_field_name("name") {
                    return self.slice(name.byte_range()).to_string();
                }
                if let Some(p) = n.parent()
                    && p.kind() == "variable_declarator"
                    && let Some(name) = p.child_by_field_name("name").filter(|n| n.kind() == "identifier")
                {
                    return self.slice(name.byte_range()).to_string();
                }
            }
            current = n.parent();
        }
        "server".to_string()
    }

    /// The member chain starting at the identifier `range`: its property names, the range of
    /// each level (level 0 is the identifier), and whether the identifier itself is called.
    /// A method call's method is not part of the chain: `post.title.trim()` captures `post.title`.
    fn chain_of(&self, range: Range<usize>) -> (Vec<String>, Vec<Range<usize>>, bool) {
        let Some(ident) = self.node_at(range.clone()) else {
            return (Vec::new(), vec![range], false);
        };
        let mut node = ident;
        let mut segments = Vec::new();
        let mut levels = vec![ident.byte_range()];
        while let Some(parent) = node.parent() {
            let is_object = parent.kind() == "member_expression"
                && parent.child_by_field_name("object") == Some(node)
                && parent
                    .child_by_field_name("property")
                    .is_some_and(|p| p.kind() == "property_identifier");
            if !is_object {
                break;
            }
            let Some(property) = parent.child_by_field_name("property") else {
                break;
            };
            segments.push(self.slice(property.byte_range()).to_string());
            levels.push(parent.byte_range());
            node = parent;
        }
        let is_callee = |n: Node| {
            n.parent().is_some_and(|p| {
                matches!(p.kind(), "call_expression" | "new_expression")
                    && (p.child_by_field_name("function") == Some(n) || p.child_by_field_name("constructor") == Some(n))
            })
        };
        if !segments.is_empty() && is_callee(node) {
            segments.pop();
            levels.pop();
        }
        let called = segments.is_empty() && is_callee(ident);
        (segments, levels, called)
    }

    /// Why a captured local cannot be a bound argument, if it cannot.
    fn not_serialisable(&self, b: BindingId) -> Option<String> {
        let binding = &self.scopes.bindings[b];
        match binding.kind {
            BindingKind::Function => return Some("a function of the component".into()),
            BindingKind::Class => return Some("a class of the component".into()),
            BindingKind::Const | BindingKind::Let | BindingKind::Var => {}
            _ => return None,
        }
        let ident = self.node_at(binding.ident.clone())?;
        let mut node = ident;
        let mut pair_index = None;
        let declarator = loop {
            let parent = node.parent()?;
            if !PATTERN_KINDS.contains(&parent.kind()) && parent.kind() != "variable_declarator" {
                return None;
            }
            if parent.kind() == "array_pattern" && pair_index.is_none() {
                let mut c = parent.walk();
                pair_index = parent
                    .named_children(&mut c)
                    .filter(|n| n.kind() != "comment")
                    .position(|n| n == node);
            }
            if parent.kind() == "variable_declarator" {
                break parent;
            }
            node = parent;
        };
        let value = declarator.child_by_field_name("value")?;
        match value.kind() {
            "arrow_function" | "function_expression" => return Some("a function of the component".into()),
            "call_expression" => {}
            _ => return None,
        }
        let callee = value.child_by_field_name("function")?;
        let hook = match callee.kind() {
            "identifier" => self.slice(callee.byte_range()),
            "member_expression" => self.slice(callee.child_by_field_name("property")?.byte_range()),
            _ => return None,
        };
        let destructured = declarator
            .child_by_field_name("name")
            .is_some_and(|n| n.kind() == "array_pattern");
        match hook {
            "useRef" | "createRef" => Some(format!("a ref from {hook}")),
            "useCallback" => Some("a function of the component (from useCallback)".into()),
            "useState" | "useReducer" if destructured && pair_index == Some(1) => {
                Some(format!("a state setter from {hook}"))
            }
            _ if destructured && pair_index == Some(1) && FUNCTION_PAIR_HOOKS.contains(&hook) => {
                Some(format!("a function returned by {hook}"))
            }
            _ => None,
        }
    }

    /// The type the source spells for `binding` followed by `segments`, and the kind of the
    /// type node it ends at (to recognise function types).
    fn binding_type(&self, b: BindingId, segments: &[String]) -> Option<(TypeText, String)> {
        if !self.client_ts {
            return None;
        }
        let binding = &self.scopes.bindings[b];
        let ident = self.node_at(binding.ident.clone())?;
        // Walk up the pattern to the parameter or declarator, collecting property names.
        let mut path: Vec<String> = Vec::new();
        let mut node = ident;
        let holder = loop {
            let parent = node.parent()?;
            match parent.kind() {
                "object_pattern" => {
                    if node.kind() == "shorthand_property_identifier_pattern" {
                        path.push(self.slice(node.byte_range()).to_string());
                    }
                }
                "object_assignment_pattern" => {
                    if parent.child_by_field_name("left") == Some(node)
                        && node.kind() == "shorthand_property_identifier_pattern"
                    {
                        path.push(self.slice(node.byte_range()).to_string());
                    }
                }
                "pair_pattern" => {
                    let key = parent.child_by_field_name("key")?;
                    match key.kind() {
                        "property_identifier" => path.push(self.slice(key.byte_range()).to_string()),
                        "string" => path.push(string_value(self.text, key).to_string()),
                        _ => return None,
                    }
                }
                "assignment_pattern" => {}
                "required_parameter" | "optional_parameter" | "variable_declarator" => break parent,
                _ => return None,
            }
            node = parent;
        };
        path.reverse();
        let optional_param = holder.kind() == "optional_parameter" && path.is_empty() && segments.is_empty();
        let annotation = holder.child_by_field_name("type")?;
        let ty = annotation.named_child(0)?;
        path.extend(segments.iter().cloned());
        let (mut text, kind) = self.resolve_type(ty, &path, 0)?;
        text.optional |= optional_param;
        Some((text, kind))
    }

    /// Follows `path` through object types, local interfaces and aliases; an imported type
    /// with a path left becomes an indexed access (`Post['id']`).
    fn resolve_type(&self, ty: Node, path: &[String], depth: usize) -> Option<(TypeText, String)> {
        if depth > 8 {
            return None;
        }
        match ty.kind() {
            "parenthesized_type" => return self.resolve_type(ty.named_child(0)?, path, depth + 1),
            "object_type" | "interface_body" if !path.is_empty() => {
                let mut c = ty.walk();
                let property = ty.named_children(&mut c).find(|p| {
                    p.kind() == "property_signature"
                        && p.child_by_field_name("name")
                            .is_some_and(|n| property_name(self.text, n) == path[0])
                })?;
                let inner = property.child_by_field_name("type")?.named_child(0)?;
                let (mut text, kind) = self.resolve_type(inner, &path[1..], depth + 1)?;
                if path.len() == 1 && has_token(property, "?") {
                    text.optional = true;
                }
                return Some((text, kind));
            }
            "type_identifier" => {
                let b = self.scopes.binding_of(ty.byte_range());
                if let Some(b) = b
                    && self.scopes.bindings[b].kind == BindingKind::Type
                {
                    // A local interface or alias: read its body.
                    let declaration = self.node_at(self.scopes.bindings[b].declaration.clone())?;
                    let body = match declaration.kind() {
                        "interface_declaration" => declaration.child_by_field_name("body")?,
                        "type_alias_declaration" => declaration.child_by_field_name("value")?,
                        _ => return None,
                    };
                    return self.resolve_type(body, path, depth + 1);
                }
            }
            _ => {}
        }
        if !path.is_empty() && !matches!(ty.kind(), "type_identifier" | "generic_type" | "nested_type_identifier") {
            return None;
        }
        // Spelled out here: every name in it must be global or imported.
        let mut imports = Vec::new();
        for reference in self
            .scopes
            .references
            .iter()
            .filter(|r| contains(&ty.byte_range(), &r.range))
        {
            let Some(b) = reference.binding else {
                continue;
            };
            match self.scopes.bindings[b].kind {
                BindingKind::Import(_) => imports.push(b),
                _ => return None,
            }
        }
        if !path.is_empty() && imports.is_empty() {
            // A global generic (`Record<...>`) indexed by a name: not worth guessing.
            return None;
        }
        Some((
            TypeText {
                range: ty.byte_range(),
                path: path.to_vec(),
                optional: false,
                imports,
            },
            ty.kind().to_string(),
        ))
    }

    /// Chooses names, then builds the edits of the client and of the actions module.
    fn build(
        &self,
        plans: &mut [Plan],
        module_text: &str,
        module_tree: &Tree,
        module_scopes: &ScopeTree,
        module_decls: &[ImportDecl],
        created: bool,
    ) -> Result<(Vec<Edit>, Vec<Edit>), Vec<Note>> {
        let style = Style::detect(self.text);
        let module_style = if created {
            style.clone()
        } else {
            Style::detect(module_text)
        };
        let module_top: HashSet<&str> = module_scopes
            .bindings
            .iter()
            .filter(|b| b.scope == 0)
            .map(|b| b.name.as_str())
            .collect();

        // 1. Function names: free in the module and in the client (but for the function itself).
        let mut chosen: Vec<String> = Vec::new();
        for plan in plans.iter_mut() {
            let own = plan.own.clone();
            let client_has = |name: &str| {
                self.scopes
                    .bindings
                    .iter()
                    .enumerate()
                    .any(|(id, b)| b.name == name && !own.contains(&id))
            };
            let name = (1..)
                .map(|n| suffixed(&plan.base_name, n))
                .find(|c| !module_top.contains(c.as_str()) && !client_has(c) && !chosen.contains(c))
                .unwrap_or_default();
            chosen.push(name.clone());
            plan.name = name;
        }

        // 2. Imports: reuse the module's own, or add them (aliased if the name is taken there).
        let mut import_names: HashMap<BindingId, String> = HashMap::new();
        let mut new_specs: Vec<NewSpec> = Vec::new();
        let mut notes = Vec::new();
        let mut all_imports: Vec<BindingId> = plans.iter().flat_map(|p| p.imports.iter().copied()).collect();
        all_imports.sort_by_key(|&b| self.scopes.bindings[b].ident.start);
        all_imports.dedup();
        let mut module_names_added: Vec<String> = Vec::new();
        for b in all_imports {
            let binding = &self.scopes.bindings[b];
            let BindingKind::Import(import) = &binding.kind else {
                continue;
            };
            if is_actions_specifier(&import.source) {
                // Already in the actions module: refer to it by its own name there.
                match &import.imported {
                    Imported::Named(name) if module_top.contains(name.as_str()) => {
                        import_names.insert(b, name.clone());
                    }
                    _ => {
                        for plan in plans.iter().filter(|p| p.imports.contains(&b)) {
                            notes.push(Note::at(plan.directive.start, format!("it uses `{}` from {ACTIONS_SPECIFIER}, which {} does not declare under that name, so nothing was moved — move it by hand", binding.name, self.module_name)));
                        }
                        return Err(notes);
                    }
                }
                continue;
            }
            let existing = module_scopes.bindings.iter().find(|mb| match &mb.kind {
                BindingKind::Import(mi) => {
                    mi.source == import.source && mi.imported == import.imported && (mi.type_only <= import.type_only)
                }
                _ => false,
            });
            if let Some(existing) = existing {
                import_names.insert(b, existing.name.clone());
                continue;
            }
            let taken = |name: &str| {
                module_top.contains(name)
                    || chosen.iter().any(|c| c == name)
                    || module_names_added.iter().any(|c| c == name)
            };
            let local = (1..)
                .map(|n| suffixed(&binding.name, n))
                .find(|c| !taken(c))
                .unwrap_or_default();
            module_names_added.push(local.clone());
            import_names.insert(b, local.clone());
            let Some(decl) = import_decls(self.tree, self.text)
                .into_iter()
                .position(|d| d.range.start <= binding.ident.start && binding.ident.end <= d.range.end)
            else {
                continue;
            };
            new_specs.push(NewSpec {
                decl,
                imported: import.imported.clone(),
                local,
                type_only: import.type_only,
            });
        }

        // 3. Parameter names and types, then the hoisted text of every function.
        let mut functions: Vec<String> = Vec::new();
        for plan in plans.iter_mut() {
            self.name_params(plan, &import_names);
            match self.hoisted_text(plan, &import_names, &module_style) {
                Some(text) => functions.push(text),
                None => {
                    notes.push(Note::at(plan.directive.start, "the edits to move this inline Server Action conflict, so nothing was changed — please report this file"));
                    return Err(notes);
                }
            }
        }

        // 4. The actions module: imports after its imports, functions at the end.
        let mut module_edits = Vec::new();
        let client_decls = import_decls(self.tree, self.text);
        let mut statements: Vec<String> = Vec::new();
        let mut by_decl: BTreeMap<usize, Vec<&NewSpec>> = BTreeMap::new();
        for spec in &new_specs {
            by_decl.entry(spec.decl).or_default().push(spec);
        }
        for (d, specs) in by_decl {
            let client_decl = &client_decls[d];
            let (named, other): (Vec<&NewSpec>, Vec<&NewSpec>) = specs
                .into_iter()
                .partition(|s| matches!(s.imported, Imported::Named(_)));
            let mut unmerged = other;
            if !named.is_empty() {
                let target = module_decls.iter().find(|md| {
                    md.source == client_decl.source
                        && md.namespace.is_none()
                        && (md.braces.is_some() || md.default.is_some())
                        && (!md.type_only || named.iter().all(|s| s.type_only || client_decl.type_only))
                });
                let merged = target.and_then(|md| {
                    let texts: Vec<String> = named.iter().map(|s| specifier_text(s, md.type_only)).collect();
                    if md.type_only {
                        // `import type { A }`: append names as they are (they are all types).
                        append_named_any(module_text, md, &texts.join(", "), &module_style)
                    } else {
                        append_named(module_text, md, &texts.join(", "), &module_style)
                    }
                });
                match merged {
                    Some(edit) => module_edits.push(edit),
                    None => unmerged.extend(named),
                }
            }
            if !unmerged.is_empty() {
                unmerged.sort_by_key(|s| matches!(s.imported, Imported::Named(_)));
                statements.push(import_text(client_decl, &unmerged, &module_style));
            }
        }
        let nl = module_style.newline;
        if !statements.is_empty() {
            let joined = statements.join(nl);
            match module_decls.last() {
                Some(last) => module_edits.push(Edit::insert(last.range.end, format!("{nl}{joined}"))),
                None => {
                    let at = directives(module_tree, module_text).last().map_or(0, |(_, r)| r.end);
                    module_edits.push(Edit::insert(at, format!("{nl}{nl}{joined}")));
                }
            }
        }
        let mut tail = String::new();
        if !module_text.is_empty() && !module_text.ends_with('\n') {
            tail.push_str(nl);
        }
        for function in &functions {
            tail.push_str(nl);
            tail.push_str(function);
            tail.push_str(nl);
        }
        module_edits.push(Edit::insert(module_text.len(), tail));

        // 5. The client: the functions go, references follow them, imports are updated.
        let client_edits = self.client_edits(plans, &client_decls, &style);
        if !notes.is_empty() {
            return Err(notes);
        }
        Ok((client_edits, module_edits))
    }

    /// Names the captured parameters: a bare capture keeps its name, a chain is named after its
    /// last part, suffixed when the function already uses that name.
    fn name_params(&self, plan: &mut Plan, import_names: &HashMap<BindingId, String>) {
        let function_scope = self
            .scopes
            .scopes
            .iter()
            .position(|s| s.range == plan.function)
            .unwrap_or(0);
        let mut taken: HashSet<String> = HashSet::new();
        for r in self
            .scopes
            .references
            .iter()
            .filter(|r| contains(&plan.function, &r.range))
        {
            taken.insert(r.name.clone());
        }
        for b in &self.scopes.bindings {
            if self.scopes.is_within(b.scope, function_scope) && function_scope != 0 {
                taken.insert(b.name.clone());
            }
        }
        taken.extend(import_names.values().cloned());
        taken.insert(plan.name.clone());
        for capture in plan.captures.iter().filter(|c| c.segments.is_empty()) {
            taken.insert(self.scopes.bindings[capture.root].name.clone());
        }
        for capture in plan.captures.iter_mut() {
            if capture.segments.is_empty() {
                capture.param = self.scopes.bindings[capture.root].name.clone();
                continue;
            }
            let base = capture.segments.last().cloned().unwrap_or_default();
            let name = (1..)
                .map(|n| suffixed(&base, n))
                .find(|c| !taken.contains(c))
                .unwrap_or_default();
            taken.insert(name.clone());
            capture.param = name;
        }
        for (capture, ty) in plan.captures.iter_mut().zip(&plan.capture_types) {
            if !self.module_ts {
                continue;
            }
            capture.ty = Some(
                ty.as_ref()
                    .and_then(|t| self.type_text(t, import_names))
                    .unwrap_or_else(|| "any".to_string()),
            );
        }
    }

    fn type_text(&self, t: &TypeText, import_names: &HashMap<BindingId, String>) -> Option<String> {
        let mut text = self.renamed(t.range.clone(), import_names, &[])?;
        for segment in &t.path {
            text.push_str(&format!("[{q}{segment}{q}]", q = self.quote));
        }
        if t.optional {
            text.push_str(" | undefined");
        }
        Some(text)
    }

    /// The client text of `range` with references renamed and extra edits applied.
    fn renamed(&self, range: Range<usize>, names: &HashMap<BindingId, String>, extra: &[Edit]) -> Option<String> {
        let mut edits: Vec<Edit> = Vec::new();
        for r in self.scopes.references.iter().filter(|r| contains(&range, &r.range)) {
            let Some(new) = r.binding.and_then(|b| names.get(&b)) else {
                continue;
            };
            if *new == r.name {
                continue;
            }
            edits.push(match r.kind {
                RefKind::Shorthand => Edit::replace(r.range.clone(), format!("{}: {new}", r.name)),
                _ => Edit::replace(r.range.clone(), new.clone()),
            });
        }
        edits.extend(extra.iter().cloned());
        let shifted: Vec<Edit> = edits
            .into_iter()
            .filter(|e| range.start <= e.start && e.end <= range.end)
            .map(|e| Edit {
                start: e.start - range.start,
                end: e.end - range.start,
                text: e.text,
            })
            .collect();
        apply_edits(&self.text[range], &shifted).ok()
    }

    /// The function as the actions module will hold it.
    fn hoisted_text(
        &self,
        plan: &Plan,
        import_names: &HashMap<BindingId, String>,
        module_style: &Style,
    ) -> Option<String> {
        let function = self.node_at(plan.function.clone())?;
        let mut names = import_names.clone();
        for &b in &plan.own {
            names.insert(b, plan.name.clone());
        }
        let mut edits: Vec<Edit> = Vec::new();
        // The directive goes, with the blank line after it.
        let mut directive = line_range(self.text, plan.directive.start, plan.directive.end);
        if directive.start != plan.directive.start {
            let next_end = self.text[directive.end..].find('\n').map(|i| directive.end + i + 1);
            if let Some(next_end) = next_end
                && self.text[directive.end..next_end].trim().is_empty()
            {
                directive.end = next_end;
            }
        }
        edits.push(Edit::delete(directive.clone()));
        for u in &plan.uses {
            let param = &plan.captures[u.capture].param;
            if u.bare && self.slice(u.range.clone()) == param {
                continue;
            }
            edits.push(Edit::replace(u.range.clone(), param.clone()));
        }
        if !has_token(function, "async") {
            edits.push(Edit::insert(plan.function.start, "async "));
        }
        // The name.
        match (plan.kind, function.child_by_field_name("name")) {
            (FunctionKind::Arrow, _) => {}
            (_, Some(name)) => edits.push(Edit::replace(name.byte_range(), plan.name.clone())),
            (_, None) => {
                let mut c = function.walk();
                let keyword = function.children(&mut c).find(|n| n.kind() == "function");
                let params = function.child_by_field_name("parameters");
                if let (Some(keyword), Some(params)) = (keyword, params) {
                    edits.push(Edit::replace(
                        keyword.end_byte()..params.start_byte(),
                        format!(" {}", plan.name),
                    ));
                }
            }
        }
        // The captured values as leading parameters.
        if !plan.captures.is_empty() {
            let list: Vec<String> = plan
                .captures
                .iter()
                .map(|c| match &c.ty {
                    Some(ty) => format!("{}: {ty}", c.param),
                    None => c.param.clone(),
                })
                .collect();
            let list = list.join(", ");
            if let Some(params) = function.child_by_field_name("parameters") {
                let has_params = params.named_child_count() > 0;
                let text = if has_params { format!("{list}, ") } else { list };
                edits.push(Edit::insert(params.start_byte() + 1, text));
            } else if let Some(param) = function.child_by_field_name("parameter") {
                edits.push(Edit::insert(param.start_byte(), format!("({list}, ")));
                edits.push(Edit::insert(param.end_byte(), ")"));
            }
        }
        // Dedent to the module's top level, leaving multi-line template strings alone.
        let indent = indent_at(self.text, plan.function.start);
        if !indent.is_empty() {
            let templates = multiline_templates(function);
            let mut at = plan.function.start;
            while let Some(i) = self.text[at..plan.function.end].find('\n') {
                let line_start = at + i + 1;
                at = line_start;
                if line_start >= plan.function.end
                    || templates.iter().any(|t| t.start < line_start && line_start < t.end)
                    || edits.iter().any(|e| e.start <= line_start && line_start < e.end)
                {
                    continue;
                }
                if self.text[line_start..].starts_with(indent) {
                    edits.push(Edit::delete(line_start..line_start + indent.len()));
                }
            }
        }
        let body = self.renamed(plan.function.clone(), &names, &edits)?;
        Some(match (&plan.form, plan.kind) {
            (Form::Const { annotation, .. }, FunctionKind::Arrow) => {
                let annotation = match annotation {
                    Some(a) => format!(
                        ": {}",
                        self.renamed(a.clone(), &names, &[])?
                            .trim_start_matches(':')
                            .trim_start()
                    ),
                    None => String::new(),
                };
                format!("export const {}{annotation} = {body}{}", plan.name, module_style.semi())
            }
            (_, FunctionKind::Arrow) => format!("export const {} = {body}{}", plan.name, module_style.semi()),
            _ => format!("export {body}"),
        })
    }

    /// The client's edits: functions removed (or replaced by a re-export or a reference),
    /// references bound, imports the move left unused removed, the actions imported.
    fn client_edits(&self, plans: &[Plan], decls: &[ImportDecl], style: &Style) -> Vec<Edit> {
        let mut edits = Vec::new();
        let mut imported: Vec<String> = Vec::new();
        // Whole statements that go: the functions, then imports nothing uses any more.
        let mut statements: Vec<Range<usize>> = Vec::new();
        let removed: Vec<Range<usize>> = plans.iter().map(|p| p.removed.clone()).collect();
        let inside_removed = |range: &Range<usize>| removed.iter().any(|r| contains(r, range));
        for plan in plans {
            let bound = if plan.captures.is_empty() {
                plan.name.clone()
            } else {
                let args: Vec<&str> = plan.captures.iter().map(|c| c.expression.as_str()).collect();
                format!("{}.bind(null, {})", plan.name, args.join(", "))
            };
            let reexport = |export: Export| {
                let old = plan.old_name.clone().unwrap_or_default();
                let spec = match export {
                    Export::Default => format!("{} as default", plan.name),
                    _ if old != plan.name => format!("{} as {old}", plan.name),
                    _ => plan.name.clone(),
                };
                format!(
                    "export {{ {spec} }} from {}{}",
                    style.string(ACTIONS_SPECIFIER),
                    style.semi()
                )
            };
            match &plan.form {
                Form::Anonymous => edits.push(Edit::replace(plan.function.clone(), bound.clone())),
                Form::Declaration { statement, export } | Form::Const { statement, export, .. } => {
                    if *export == Export::None {
                        statements.push(statement.clone());
                    } else {
                        edits.push(Edit::replace(statement.clone(), reexport(*export)));
                    }
                }
            }
            let mut referred = matches!(plan.form, Form::Anonymous);
            for &b in &plan.own {
                for r in self.scopes.references_to(b) {
                    if inside_removed(&r.range) {
                        continue;
                    }
                    referred = true;
                    edits.push(match r.kind {
                        RefKind::Shorthand => Edit::replace(r.range.clone(), format!("{}: {bound}", r.name)),
                        RefKind::Export if r.name != plan.name => {
                            Edit::replace(r.range.clone(), format!("{} as {}", plan.name, r.name))
                        }
                        _ if bound == r.name => continue,
                        _ => Edit::replace(r.range.clone(), bound.clone()),
                    });
                }
            }
            if referred {
                imported.push(plan.name.clone());
            }
        }

        // Imports that only the moved code used.
        let mut fully_removed: Vec<usize> = Vec::new();
        for (d, decl) in decls.iter().enumerate() {
            let bindings: Vec<BindingId> = self
                .scopes
                .bindings
                .iter()
                .enumerate()
                .filter(|(_, b)| {
                    matches!(b.kind, BindingKind::Import(_))
                        && decl.range.start <= b.ident.start
                        && b.ident.end <= decl.range.end
                })
                .map(|(id, _)| id)
                .collect();
            let unused: Vec<BindingId> = bindings
                .iter()
                .copied()
                .filter(|&b| {
                    let mut refs = self.scopes.references_to(b).peekable();
                    refs.peek().is_some() && refs.all(|r| inside_removed(&r.range))
                })
                .collect();
            if unused.is_empty() {
                continue;
            }
            let ident_of = |b: BindingId| self.scopes.bindings[b].ident.clone();
            if unused.len() == bindings.len() {
                fully_removed.push(d);
                continue;
            }
            let named: Vec<usize> = decl
                .named
                .iter()
                .enumerate()
                .filter(|(_, s)| unused.iter().any(|&b| ident_of(b) == local_range(self.text, s)))
                .map(|(i, _)| i)
                .collect();
            if !named.is_empty() {
                edits.extend(remove_named(self.text, decl, &named));
            }
            if let (Some((_, default)), Some(braces)) = (&decl.default, &decl.braces)
                && unused.iter().any(|&b| ident_of(b) == *default)
                && named.len() < decl.named.len()
            {
                edits.push(Edit::delete(default.start..braces.start));
            }
        }

        // `import { name } from './actions'`, joining an existing one.
        let mut keep_blank_at = None;
        if !imported.is_empty() {
            let join = decls.iter().enumerate().find(|(d, decl)| {
                decl.source == ACTIONS_SPECIFIER && decl.accepts_named() && !fully_removed.contains(d)
            });
            let joined = join.and_then(|(_, decl)| append_named(self.text, decl, &imported.join(", "), style));
            match joined {
                Some(edit) => edits.push(edit),
                None => {
                    let statement = format!(
                        "import {{ {} }} from {}{}",
                        imported.join(", "),
                        style.string(ACTIONS_SPECIFIER),
                        style.semi()
                    );
                    let last = decls
                        .iter()
                        .enumerate()
                        .rev()
                        .find(|(d, _)| !fully_removed.contains(d))
                        .map(|(_, decl)| decl.range.end);
                    // With every import gone, the new one takes the place of the first.
                    let first_removed = fully_removed
                        .first()
                        .map(|&d| line_range(self.text, decls[d].range.start, decls[d].range.end).start);
                    let after_directives = directives(self.tree, self.text).last().map(|(_, r)| r.end);
                    match (last, first_removed, after_directives) {
                        (Some(at), _, _) => edits.push(Edit::insert(at, format!("{}{statement}", style.newline))),
                        (None, Some(at), _) => {
                            keep_blank_at = Some(at);
                            edits.push(Edit::insert(at, format!("{statement}{}", style.newline)));
                        }
                        (None, None, Some(at)) => edits.push(Edit::insert(at, format!("{}{statement}", style.newline))),
                        (None, None, None) => edits.push(Edit::insert(0, format!("{statement}{}", style.newline))),
                    }
                }
            }
        }
        statements.extend(fully_removed.iter().map(|&d| decls[d].range.clone()));
        edits.extend(
            removal_ranges(self.text, statements, keep_blank_at)
                .into_iter()
                .map(Edit::delete),
        );
        edits
    }
}

/// An import specifier to add to the actions module.
#[derive(Debug, Clone)]
struct NewSpec {
    /// The client import statement it comes from (its index among the client's imports).
    decl: usize,
    imported: Imported,
    local: String,
    type_only: bool,
}

fn specifier_text(spec: &NewSpec, statement_is_type: bool) -> String {
    let Imported::Named(imported) = &spec.imported else {
        return spec.local.clone();
    };
    let type_prefix = if spec.type_only && !statement_is_type {
        "type "
    } else {
        ""
    };
    if *imported == spec.local {
        format!("{type_prefix}{imported}")
    } else {
        format!("{type_prefix}{imported} as {}", spec.local)
    }
}

/// A new import statement of the actions module, shaped like the client's statement.
fn import_text(client_decl: &ImportDecl, specs: &[&NewSpec], style: &Style) -> String {
    let type_kw = if client_decl.type_only { "type " } else { "" };
    let mut parts: Vec<String> = Vec::new();
    let mut named: Vec<String> = Vec::new();
    for spec in specs {
        match spec.imported {
            Imported::Default => parts.push(spec.local.clone()),
            Imported::Namespace => parts.push(format!("* as {}", spec.local)),
            Imported::Named(_) => named.push(specifier_text(spec, client_decl.type_only)),
        }
    }
    if !named.is_empty() {
        parts.push(format!("{{ {} }}", named.join(", ")));
    }
    format!(
        "import {type_kw}{} from {}{}",
        parts.join(", "),
        style.string(&client_decl.source),
        style.semi()
    )
}

/// Like `append_named`, for an `import type { ... }` statement (which takes only types).
fn append_named_any(text: &str, decl: &ImportDecl, specifier: &str, style: &Style) -> Option<Edit> {
    let mut value_like = decl.clone();
    value_like.type_only = false;
    append_named(text, &value_like, specifier, style)
}

/// The range of the local name of a named import specifier.
fn local_range(text: &str, spec: &crate::imports::NamedSpecifier) -> Range<usize> {
    let raw = &text[spec.range.clone()];
    match raw.rfind(&spec.local) {
        Some(i) => spec.range.start + i..spec.range.start + i + spec.local.len(),
        None => spec.range.clone(),
    }
}

fn is_actions_specifier(source: &str) -> bool {
    matches!(
        source,
        "./actions" | "./actions/index" | "./actions.ts" | "./actions.js" | "./actions/index.ts" | "./actions/index.js"
    )
}

/// The ranges that remove `statements`: whole lines where they stand alone, runs of touching
/// lines merged, and a run that stood between a blank line (or the start of a block or file)
/// and another blank line takes the blank line after it too (but not the run starting at
/// `keep_blank_at`, where new text goes).
fn removal_ranges(text: &str, statements: Vec<Range<usize>>, keep_blank_at: Option<usize>) -> Vec<Range<usize>> {
    let mut lines: Vec<Range<usize>> = statements
        .into_iter()
        .map(|r| line_range(text, r.start, r.end))
        .collect();
    lines.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in lines {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
        .into_iter()
        .map(|r| {
            let whole_lines = (r.start == 0 || text[..r.start].ends_with('\n')) && text[..r.end].ends_with('\n');
            if whole_lines && Some(r.start) != keep_blank_at {
                with_blank_line(text, r)
            } else {
                r
            }
        })
        .collect()
}

fn with_blank_line(text: &str, mut lines: Range<usize>) -> Range<usize> {
    let next_end = text[lines.end..].find('\n').map(|i| lines.end + i + 1);
    let before = text[..lines.start].trim_end_matches([' ', '\t']);
    let previous_line = before
        .strip_suffix('\n')
        .map(|b| b.strip_suffix('\r').unwrap_or(b))
        .map(|b| &b[b.rfind('\n').map_or(0, |i| i + 1)..]);
    let previous_blank_or_open = previous_line.is_none_or(|l| l.trim().is_empty() || l.trim_end().ends_with('{'));
    if let Some(next_end) = next_end
        && text[lines.end..next_end].trim().is_empty()
        && previous_blank_or_open
    {
        lines.end = next_end;
    }
    lines
}

fn contains(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

fn suffixed(base: &str, n: usize) -> String {
    if n == 1 { base.to_string() } else { format!("{base}{n}") }
}

fn lower_camel(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn property_name(text: &str, node: Node) -> String {
    match node.kind() {
        "string" => string_value(text, node).to_string(),
        _ => text[node.byte_range()].to_string(),
    }
}

/// Whether `node` or anything under it is of one of `kinds`.
fn has_kind(node: Node, kinds: &[&str]) -> bool {
    let mut cursor = node.walk();
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        if kinds.contains(&n.kind()) {
            return true;
        }
        todo.extend(n.children(&mut cursor));
    }
    false
}

/// Template strings under `node` that span several lines (their text must not be re-indented).
fn multiline_templates(node: Node) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut cursor = node.walk();
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        if n.kind() == "template_string" && n.start_position().row != n.end_position().row {
            found.push(n.byte_range());
        }
        todo.extend(n.children(&mut cursor));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(lower_camel("UserForm"), "userForm");
        assert_eq!(suffixed("save", 1), "save");
        assert_eq!(suffixed("save", 3), "save3");
    }

    #[test]
    fn removal_takes_one_blank_line_with_it() {
        let text = "function f() {\n  const a = 1;\n\n  async function g() {}\n\n  return a;\n}\n";
        let start = text.find("async").unwrap();
        let end = text.find("{}\n").unwrap() + 2;
        let statements: Vec<Range<usize>> = std::iter::once(start..end).collect();
        let range = removal_ranges(text, statements, None)[0].clone();
        let mut out = text.to_string();
        out.replace_range(range, "");
        assert_eq!(out, "function f() {\n  const a = 1;\n\n  return a;\n}\n");
    }
}
