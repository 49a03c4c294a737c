//! # missing-use-server
//!
//! **What it does.** Adds `'use server';` to a module without a directive whose exported async
//! functions a `'use client'` module uses as Server Actions (`<form action={…}>`, `formAction`
//! of a button or input, the action of `useActionState`/`useFormState`, directly or through
//! `.bind(null, …)`), when that module imports server-only code (`next/cache`, `next/headers`,
//! `server-only`, `node:` builtins, `fs`, database clients), directly or through its local
//! imports — and only when every export (types aside) is an async function used as an action.
//!
//! **Why.** Without the directive, the client component bundles the module: the "action" runs
//! in the browser, where its database client and `next/cache` fail. The file alone does not
//! show it; the import has to be followed.
//!
//! **Example.**
//! ```text
//! // app/lib/actions.ts                        // app/lib/actions.ts
//! import { revalidatePath } from 'next/cache'; 'use server';
//! export async function save(formData) {…}  →
//!                                              import { revalidatePath } from 'next/cache';
//! ```
//!
//! **Not applied.** `'use server'` makes every export of a module a public endpoint anyone can
//! POST to: where another export is not async, or is not used as an action, a finding on the
//! module names them (move the actions into a module of their own). A module that imports no
//! server-only code is a plain client module (React 19 runs an async client function as a form
//! action): left alone. A module with a `'use server'` statement out of place is
//! directive-placement's.
//! Each use gets a finding that says where it is used.

use crate::project::module::OtherExport;
use crate::project::uses::UseKind;
use crate::project::{Project, ProjectFile, ResolvedUse};
use crate::transforms::directive_placement::module_insertion;
use crate::transforms::{Meta, Options, ProjectOutcome, ProjectTransform, SourceFile};
use std::collections::BTreeMap;
use std::path::Path;

pub struct MissingUseServer;

static META: Meta = Meta {
    name: "missing-use-server",
    summary: "'use server' for a module of server code that a client component uses as actions",
    words: &[
        &["use client", "action={"],
        &["use client", "formAction"],
        &["use client", "useActionState"],
        &["use client", "useFormState"],
    ],
    needs: "Next 14 or 15",
    queries: &[],
};

impl ProjectTransform for MissingUseServer {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn run(&self, project: &Project) -> ProjectOutcome {
        let mut outcome = ProjectOutcome::default();
        let all = project.resolved_uses();
        let is_action = |u: &ResolvedUse| matches!(u.at.kind, UseKind::FormAction { .. } | UseKind::Hook { .. });
        // Modules without a directive, with the client uses of their async functions as actions.
        let mut modules: BTreeMap<&Path, (&ProjectFile, Vec<ResolvedUse>)> = BTreeMap::new();
        for u in all.iter().filter(|u| is_action(u)) {
            let client = u.file.view.directive.as_deref() == Some("use client");
            let undirected = u.module.view.directive.is_none() && !has_misplaced_directive(u.module);
            if !client || !undirected || !u.function.is_async || u.module.path == u.file.path {
                continue;
            }
            modules
                .entry(&u.module.path)
                .or_insert((u.module, Vec::new()))
                .1
                .push(*u);
        }
        for (_, (module, client_uses)) in modules {
            // Without server-only code it is a client module: React 19 runs its async functions
            // as form actions in the browser, as meant.
            let Some(server_code) = project.imports_server_code(module) else {
                continue;
            };
            let mut in_the_way: Vec<String> = Vec::new();
            for function in &module.view.functions {
                let used = all
                    .iter()
                    .any(|u| u.module.path == module.path && u.function.name == function.name && is_action(u));
                if !function.is_async {
                    in_the_way.push(format!("`{}` is not async", function.name));
                } else if !used {
                    in_the_way.push(format!("`{}` is not used as an action", function.name));
                }
            }
            for other in &module.view.others {
                let name = match other {
                    OtherExport::Value(name) | OtherExport::ReExport { name, .. } => format!("`{name}`"),
                    OtherExport::Star(source) => format!("`export * from '{source}'`"),
                };
                in_the_way.push(format!("{name} is not a function used as an action"));
            }
            for (name, _) in &module.view.from_calls {
                in_the_way.push(format!("`{name}` is not a function used as an action"));
            }
            let shown = project.display(&module.path);
            let tree = module.tree();
            let fixed = in_the_way.is_empty() && module.editable && tree.is_some();
            if let (true, Some(tree)) = (fixed, tree) {
                let options = Options::default();
                let file = SourceFile::new(&module.path, &module.text, tree, module.lang, project.target, &options);
                let edit = module_insertion(&file, crate::directives::Directive::Server, file.style());
                outcome.edit(&module.path, vec![edit]);
            } else {
                let first = client_uses.first().map_or(0, |u| u.function.range.start);
                let why = if in_the_way.is_empty() {
                    "it is not among the files this run may change".to_string()
                } else {
                    format!(
                        "'use server' would make every export a public endpoint anyone can POST to, and {}: move the actions into a module of their own that starts with 'use server'",
                        in_the_way.join(", ")
                    )
                };
                let message = format!(
                    "this module has no 'use server', imports {server_code} and a client component uses its async functions as Server Actions, so they run in the browser; not fixed: {why}"
                );
                outcome.note(&module.path, first, message);
            }
            for u in &client_uses {
                let verb = if fixed {
                    "'use server' was added there"
                } else {
                    "see the finding there"
                };
                let message = format!(
                    "`{}` is used here as a Server Action, but {shown} has no 'use server' (it imports {server_code}), so it would run in the browser; {verb}",
                    u.function.name
                );
                outcome.note(&u.file.path, u.at.at.start, message);
            }
        }
        outcome
    }
}

/// A top-level `'use server'` statement after other code: directive-placement moves it (or, run
/// alone, this rule must not add a second one).
fn has_misplaced_directive(module: &ProjectFile) -> bool {
    let Some(tree) = module.tree() else {
        return false;
    };
    let root = tree.root_node();
    let mut c = root.walk();
    root.named_children(&mut c).any(|statement| {
        statement.kind() == "expression_statement"
            && statement.named_child(0).is_some_and(|e| {
                e.kind() == "string" && crate::syntax::string_value(&module.text, e).trim() == "use server"
            })
    })
}
