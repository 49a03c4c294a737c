//! # action-state-initial-type
//!
//! **What it does.** `useActionState(action, initial)` (or `useFormState`) whose `initial` is an
//! object or array literal, or a `const` set to one without a type annotation, and whose action's
//! state parameter (its first after the bound ones) is annotated with a named type `State`: the
//! call gets its type arguments, `useActionState<State, FormData>(action, initial)`
//! (`useActionState<State>` when the action takes no payload), and the file imports the type
//! from the module that exports it — the action's module, or the module it imports `State`
//! from — joined to an existing import of that module, else as `import type { State } …`; with
//! only a namespace import of the action's module, the call says `actions.State`.
//!
//! **Why.** React 19's types infer the state from the untyped literal; it no longer matches
//! the action's `prevState: State`, and `next build` stops at "No overload matches this call"
//! (TS2769). Annotating the const does not always help (an action whose returns TypeScript infers
//! narrower than `State` still fails); the type arguments compile in every such case.
//!
//! **Example.**
//! ```text
//! const initialState = { message: null, errors: {} };
//! useActionState(createInvoice, initialState)  →  useActionState<State, FormData>(createInvoice, initialState)
//! ```
//!
//! **Not applied.** With `--to 14`. A call that has type arguments; a state parameter typed
//! `unknown` or not typed; an action with a declared return type (TypeScript takes the state
//! from it, and the call compiles). A finding at the hook's callee when the type is not exported anywhere
//! (naming it and its file), is an inline object type (name it), or its name is taken in the file.

use crate::fix::Edit;
use crate::imports::{append_named, import_insertion_point, insert_statement};
use crate::project::uses::UseKind;
use crate::project::{Project, ProjectFile, ResolvedUse};
use crate::scope::{BindingKind, ScopeTree};
use crate::style::Style;
use crate::target::Needs;
use crate::transforms::{Meta, ProjectOutcome, ProjectTransform};
use std::path::Path;

pub struct ActionStateInitialType;

static META: Meta = Meta {
    name: "action-state-initial-type",
    summary: "useActionState(action, untyped literal) (TS2769 with React 19's types) → useActionState<State, FormData>",
    words: &[&["useActionState"], &["useFormState"]],
    needs: "React 19 types (Next 15); not applied with --to 14",
    queries: &[],
};

impl ProjectTransform for ActionStateInitialType {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn run(&self, project: &Project) -> ProjectOutcome {
        let mut outcome = ProjectOutcome::default();
        let mut imported: std::collections::BTreeSet<(std::path::PathBuf, String)> = Default::default();
        for u in project.resolved_uses() {
            let UseKind::Hook {
                callee,
                initial: Some(initial),
                typed: false,
                ..
            } = &u.at.kind
            else {
                continue;
            };
            // A declared return type is what TypeScript takes the state from: the call compiles
            // with any initial value that fits it (next-udemy-blog's `Promise<ActionState>`).
            if !u.file.is_typescript() || u.function.return_type || !untyped_literal(u.file, initial.clone()) {
                continue;
            }
            let Some(state) = u.function.params.get(u.at.bound) else {
                continue;
            };
            let Some(state_type) = state.type_text.as_deref() else {
                continue;
            };
            if state_type == "unknown" || state_type == "any" {
                continue;
            }
            let name = &u.function.name;
            let module = project.display(&u.module.path);
            if state_type.starts_with('{') {
                let message = format!(
                    "React 19's types infer the state from this untyped initial value, and where it does not match the state `{name}` ({module}) takes, `next build` fails (TS2769, \"No overload matches this call\"); not fixed: that state parameter has an inline object type — name it (`export type State = …`) so the call can be given `<State, FormData>`"
                );
                outcome.note(&u.file.path, callee.start, message);
                continue;
            }
            if !is_type_name(state_type) {
                continue;
            }
            if !project.target.allows(Needs::REACT_19) {
                outcome.held_back += 1;
                continue;
            }
            let payload = match u.function.params.get(u.at.bound + 1) {
                None => None,
                Some(p) => match p.type_text.as_deref() {
                    Some(t) if t == "FormData" => Some(t.to_string()),
                    _ => {
                        let message = format!(
                            "React 19's types infer the state from this untyped initial value, and where it does not match the state `{name}` ({module}) takes, `next build` fails (TS2769, \"No overload matches this call\"); not fixed: the payload parameter of `{name}` ({module}) is not typed `FormData` — give the call its type arguments, `<{state_type}, …>`"
                        );
                        outcome.note(&u.file.path, callee.start, message);
                        continue;
                    }
                },
            };
            match type_import(project, &u, state_type) {
                Ok((import, written)) => {
                    let arguments = match &payload {
                        Some(payload) => format!("<{written}, {payload}>"),
                        None => format!("<{written}>"),
                    };
                    let mut edits = vec![Edit::insert(callee.end, arguments)];
                    // One import of a type per file, however many calls need it.
                    if imported.insert((u.file.path.clone(), state_type.to_string())) {
                        edits.extend(import);
                    }
                    if u.file.editable {
                        outcome.edit(&u.file.path, edits);
                    }
                }
                Err(why) => {
                    let message = format!(
                        "React 19's types infer the state from this untyped initial value, and where it does not match the state `{}` ({}) takes, `next build` fails (TS2769, \"No overload matches this call\"); not fixed: {why}",
                        u.function.name,
                        project.display(&u.module.path)
                    );
                    outcome.note(&u.file.path, callee.start, message);
                }
            }
        }
        outcome
    }
}

/// A type's name: `State`, not `State<T>` or `Partial<State>`.
fn is_type_name(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

/// Whether the initial value is an object or array literal, or a `const` set to one without a
/// type annotation.
fn untyped_literal(file: &ProjectFile, initial: std::ops::Range<usize>) -> bool {
    let Some(tree) = file.tree() else {
        return false;
    };
    let root = tree.root_node();
    let Some(node) = root.descendant_for_byte_range(initial.start, initial.end) else {
        return false;
    };
    let is_literal = |kind: &str| matches!(kind, "object" | "array");
    if is_literal(node.kind()) {
        return true;
    }
    if node.kind() != "identifier" {
        return false;
    }
    let scopes = ScopeTree::build(tree, &file.text);
    let Some(binding) = scopes.lookup_at(&file.text[node.byte_range()], node.start_byte()) else {
        return false;
    };
    let binding = &scopes.bindings[binding];
    if binding.kind != BindingKind::Const {
        return false;
    }
    let declarator = root
        .descendant_for_byte_range(binding.declaration.start, binding.declaration.end)
        .filter(|n| n.kind() == "variable_declarator");
    declarator.is_some_and(|d| {
        d.child_by_field_name("type").is_none()
            && d.child_by_field_name("name").is_some_and(|n| n.kind() == "identifier")
            && d.child_by_field_name("value").is_some_and(|v| is_literal(v.kind()))
    })
}

/// The edits that make `type_name` (the action's state type) usable in the file: none when the
/// file imports it already, else an import of it from the module that exports it.
/// With the type as the call writes it (`State`, or `actions.State` through a namespace import).
fn type_import(project: &Project, u: &ResolvedUse, type_name: &str) -> Result<(Vec<Edit>, String), String> {
    let file = u.file;
    let text = file.text.as_str();
    let style = Style::detect(text);
    let imports = &file.view.imports;
    // Where the type comes from: the module the file imports the action from, when it exports
    // the type; else the module the action's module imports it from.
    let via_action_import = project.resolve(&file.path, &u.at.source).is_some_and(|m| {
        m.view.exports_type(type_name) || m.path == u.module.path && u.module.view.exports_type(type_name)
    });
    // Only a namespace import of that module (`import * as actions`): `actions.State`.
    let named_there = imports
        .iter()
        .any(|d| d.source == u.at.source && d.named.iter().any(|s| s.local == type_name));
    if via_action_import && !named_there {
        let namespace = imports
            .iter()
            .find(|d| d.source == u.at.source && !d.type_only)
            .and_then(|d| d.namespace.as_ref());
        if let Some((namespace, _)) = namespace {
            return Ok((Vec::new(), format!("{namespace}.{type_name}")));
        }
    }
    let source = if via_action_import {
        u.at.source.clone()
    } else {
        let from_module = u.module.view.imports.iter().find_map(|decl| {
            let spec = decl.named.iter().find(|s| s.local == type_name)?;
            let exporter = project.resolve(&u.module.path, &decl.source)?;
            exporter
                .view
                .exports_type(&spec.imported)
                .then(|| (decl.source.clone(), exporter, spec.imported.clone()))
        });
        let Some((specifier, exporter, imported)) = from_module else {
            return Err(format!(
                "its state type `{type_name}` is not exported by {} nor by a module it imports it from — export it, then give the call `<{type_name}, …>`",
                project.display(&u.module.path)
            ));
        };
        if imported != type_name {
            return Err(format!(
                "its state type is `{imported}` of {}, imported as `{type_name}`",
                project.display(&exporter.path)
            ));
        }
        if specifier.starts_with('.') {
            relative_specifier(&file.path, &exporter.path).ok_or_else(|| {
                format!(
                    "no import of {} could be written from here",
                    project.display(&exporter.path)
                )
            })?
        } else {
            specifier
        }
    };
    // Already imported under that name (from that module, by the import the call uses).
    let same_module = |decl_source: &str| {
        decl_source == source
            || project.resolve(&file.path, decl_source).map(|m| &m.path)
                == project.resolve(&file.path, &source).map(|m| &m.path)
    };
    for decl in imports {
        if decl.named.iter().any(|s| s.local == type_name) || decl.default.as_ref().is_some_and(|(d, _)| d == type_name)
        {
            if same_module(&decl.source)
                && decl
                    .named
                    .iter()
                    .any(|s| s.local == type_name && s.imported == type_name)
            {
                return Ok((Vec::new(), type_name.to_string()));
            }
            return Err(format!(
                "the name `{type_name}` is taken in this file by another import"
            ));
        }
    }
    let Some(tree) = file.tree() else {
        return Err("the file could not be parsed again".into());
    };
    let scopes = ScopeTree::build(tree, text);
    if scopes.name_is_used(type_name) {
        return Err(format!("the name `{type_name}` is taken in this file"));
    }
    // Joined to an import of that module, else a new `import type`.
    if let Some(decl) = imports
        .iter()
        .find(|d| d.source == source && d.namespace.is_none() && d.braces.is_some())
    {
        let specifier = if decl.type_only {
            type_name.to_string()
        } else {
            format!("type {type_name}")
        };
        if let Some(edit) = append_named(text, decl, &specifier, &style) {
            return Ok((vec![edit], type_name.to_string()));
        }
    }
    let statement = format!(
        "import type {{ {type_name} }} from {}{}",
        style.string(&source),
        style.semi()
    );
    let written = type_name.to_string();
    Ok((
        vec![insert_statement(
            text,
            import_insertion_point(tree, text),
            &statement,
            &style,
        )],
        written,
    ))
}

/// `./x` or `../lib/x` from `from` (a file) to `to` (a file), its extension and `/index` dropped.
pub(crate) fn relative_specifier(from: &Path, to: &Path) -> Option<String> {
    let from_dir = from.parent()?;
    let to_no_ext = to.with_extension("");
    let to_no_ext = if to_no_ext.file_name().is_some_and(|n| n == "index") {
        to_no_ext.parent()?.to_path_buf()
    } else {
        to_no_ext
    };
    let from_parts: Vec<_> = from_dir.components().collect();
    let to_parts: Vec<_> = to_no_ext.components().collect();
    let common = from_parts.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let ups = from_parts.len() - common;
    let mut parts: Vec<String> = vec![];
    if ups == 0 {
        parts.push(".".into());
    }
    parts.extend(std::iter::repeat_n("..".to_string(), ups));
    for part in &to_parts[common..] {
        parts.push(part.as_os_str().to_str()?.to_string());
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_relative_specifiers() {
        let spec = |a: &str, b: &str| relative_specifier(Path::new(a), Path::new(b)).unwrap();
        assert_eq!(
            spec("/p/app/ui/form.tsx", "/p/app/lib/definitions.ts"),
            "../lib/definitions"
        );
        assert_eq!(spec("/p/app/form.tsx", "/p/app/types.ts"), "./types");
        assert_eq!(spec("/p/app/form.tsx", "/p/app/types/index.ts"), "./types");
    }
}
