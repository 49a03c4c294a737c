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

use crate::fix::{Change, Note, apply_edits};
use crate::imports::ImportDecl;
use crate::parse::is_typescript;
use crate::scope::{BindingId, ScopeId, ScopeTree};
use crate::style::Style;
use crate::target::Needs;
use crate::transforms::{FolderContext, FolderReport, FolderRule, Meta, QuerySet, SourceFile};
use analyse::{Plan, Refusal};
use find::find_inline_actions;
use std::ops::Range;
use std::path::Path;
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

impl FolderRule for HoistInlineActions {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn siblings(&self) -> &'static [&'static str] {
        SIBLINGS
    }

    /// One client's move per call: every move edits (or creates) the actions module, so a second
    /// client's change could not go with it; the applier calls again on the new texts. An action
    /// that uses another inline action of its client moves in the call after that one (it then
    /// imports it from the module), so the clients settle in path order, each to its end.
    fn run(&self, folder: &FolderContext) -> FolderReport {
        let mut report = FolderReport {
            needs: Needs::NOTHING,
            ..FolderReport::default()
        };
        let module = folder.siblings.first();
        for file in &folder.files {
            if module.is_some_and(|m| m.path == file.path) {
                continue;
            }
            let result = hoist_client(folder.folder, file, module);
            let path = file.path.to_path_buf();
            report.notes.extend(result.notes.into_iter().map(|n| (path.clone(), n)));
            report
                .refusals
                .extend(result.refusals.into_iter().map(|n| (path.clone(), n)));
            if let Some(change) = result.change {
                report.changes.push(change);
                break;
            }
        }
        report
    }
}

#[derive(Default)]
struct ClientResult {
    notes: Vec<Note>,
    /// Why actions did not move, judged on this call's texts.
    refusals: Vec<Note>,
    /// The client's edits and the actions module's (or its creation).
    change: Option<Change>,
}

fn hoist_client(folder: &Path, file: &SourceFile, module: Option<&SourceFile>) -> ClientResult {
    let mut result = ClientResult::default();
    let (text, tree) = (file.text, file.tree);
    if tree.root_node().has_error() || !file.has_directive("use client") {
        return result;
    }
    let found = find_inline_actions(tree, text, file.lang);
    if found.is_empty() {
        return result;
    }
    let client_ts = is_typescript(file.path);
    let (module_path, module_text, created) = match module {
        Some(m) => (m.path.to_path_buf(), m.text.to_string(), false),
        None => {
            let style = file.style();
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
    let module_ts = is_typescript(&module_path);
    let view = match module {
        Some(m) => {
            if m.tree.root_node().has_error() {
                for action in &found {
                    result.notes.push(Note::at(
                        action.directive.start,
                        format!("{module_name} has syntax errors, so this inline Server Action was not moved there — fix {module_name} and run again"),
                    ));
                }
                return result;
            }
            if !m.has_directive("use server") {
                for action in &found {
                    result.notes.push(Note::at(
                        action.directive.start,
                        format!("{module_name} exists but has no 'use server' directive at its top, so this inline Server Action was not moved — add the directive to {module_name}, or move the action by hand"),
                    ));
                }
                return result;
            }
            ModuleView {
                text: m.text,
                scopes: m.scopes(),
                decls: m.imports(),
                directives_end: m.directives().last().map_or(0, |(_, r)| r.end),
                created,
            }
        }
        // The directive it will hold, and nothing it declares or imports.
        None => ModuleView {
            text: &module_text,
            scopes: &EMPTY_SCOPES,
            decls: &[],
            directives_end: module_text.trim_end().len(),
            created,
        },
    };

    let client = Client {
        text,
        tree,
        scopes: file.scopes(),
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
            Err(Refusal(note)) => result.refusals.push(note),
        }
    }
    if plans.is_empty() {
        return result;
    }
    let (client_edits, module_edits) = match client.build(&mut plans, &view) {
        Ok(edits) => edits,
        Err(notes) => {
            result.notes.extend(notes);
            return result;
        }
    };
    let mut change = Change::new(format!("move {} inline Server Action(s) to {module_name}", plans.len()));
    let built = change.edit(file.path, client_edits).and_then(|()| {
        if created {
            change.create(&module_path, apply_edits(&module_text, &module_edits)?);
            Ok(())
        } else {
            change.edit(&module_path, module_edits)
        }
    });
    if let Err(error) = built {
        result.notes.extend(plans.iter().map(|p| {
            Note::at(
                p.directive.start,
                format!("the edits to move this inline Server Action conflict ({error}), so nothing was changed — please report this file"),
            )
        }));
        return result;
    }
    result.change = Some(change);
    result
}

/// The scopes of an actions module about to be created: it declares nothing.
static EMPTY_SCOPES: std::sync::LazyLock<ScopeTree> = std::sync::LazyLock::new(ScopeTree::default);

/// The actions module as this client's move reads it.
struct ModuleView<'a> {
    text: &'a str,
    scopes: &'a ScopeTree,
    decls: &'a [ImportDecl],
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
