//! # use-action-state
//!
//! **What it does.** Replaces react-dom's `useFormState` with React 19's `useActionState`
//! from `react`: the specifier leaves the react-dom import and joins the react one, and every
//! reference to the binding is renamed (`ReactDOM.useFormState(...)` included).
//!
//! **Why.** React 19 renamed the hook and moved it to `react`; Next 15 ships React 19, where
//! `useFormState` is deprecated and logs a warning on every render.
//!
//! **Example.**
//! ```text
//! import { useFormState, useFormStatus } from 'react-dom';   import { useFormStatus } from 'react-dom';
//! const [state, action] = useFormState(fn, {});          →   import { useActionState } from 'react';
//!                                                             const [state, action] = useActionState(fn, {});
//! ```
//!
//! **Not applied.** With `--to 14` (React 18 has no `useActionState`). `useFormState` from any
//! other module (react-hook-form has one), local functions of that name, `import type`.
//! Where the name `useActionState` is taken in the file, the import is aliased
//! (`useActionState as useFormState`) instead of renaming references.

use crate::fix::{Edit, Outcome};
use crate::imports::{ImportDecl, append_named, import_statement, insert_statement, remove_named, specifier};
use crate::lines::remove_statement;
use crate::rename::rename_reference;
use crate::scope::{BindingKind, Imported, ScopeTree};
use crate::target::Needs;
use crate::transforms::{Meta, QuerySet, SourceFile, Transform, matches_around};
use std::collections::BTreeMap;
use std::ops::Range;

pub struct UseActionState;

static META: Meta = Meta {
    name: "use-action-state",
    summary: "useFormState (react-dom) → useActionState (react)",
    words: &[&["useFormState"]],
    needs: "React 19 (Next 15); not applied with --to 14",
    queries: &[&QUERY],
};

static QUERY: QuerySet = QuerySet::new(include_str!("../../transforms/use-action-state.scm"));

const OLD: &str = "useFormState";
const NEW: &str = "useActionState";

/// What to change in one react-dom import statement.
#[derive(Default)]
struct DeclChange {
    named: Vec<usize>,
    drop_default: bool,
    drop_namespace: bool,
}

impl Transform for UseActionState {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn run(&self, file: &SourceFile) -> Outcome {
        let mut outcome = Outcome::default();
        let query = QUERY.get(file.lang);
        let mut specifiers: Vec<Range<usize>> = Vec::new();
        let mut members: Vec<(Range<usize>, Range<usize>)> = Vec::new();
        let [specifier_capture, member_capture] = ["specifier", "member"].map(|n| query.capture_index_for_name(n));
        for m in matches_around(file.tree, file.text, query, OLD) {
            if let Some(node) = m.get(specifier_capture)
                && is_react_dom_use_form_state(node, file.text)
            {
                specifiers.push(node.byte_range());
            } else if let Some(member) = m.get(member_capture)
                && let (Some(object), Some(property)) = (
                    member.child_by_field_name("object"),
                    member.child_by_field_name("property"),
                )
                && object.kind() == "identifier"
                && property.kind() == "property_identifier"
                && file.node_text(property) == OLD
            {
                members.push((member.byte_range(), object.byte_range()));
            }
        }
        if specifiers.is_empty() && members.is_empty() {
            return outcome;
        }
        if !file.target.allows(Needs::REACT_19) {
            // Counted for the summary, not made: `--to 14` has no useActionState.
            outcome.held_back = specifiers.len() + members.len();
            return outcome;
        }

        let scopes = file.scopes();
        let decls = file.imports();
        let style = file.style();
        let mut edits: Vec<Edit> = Vec::new();
        let mut changes: BTreeMap<usize, DeclChange> = BTreeMap::new();
        // Specifiers to add to the react import: `useActionState` or `useActionState as x`.
        let mut wanted: Vec<String> = Vec::new();
        let existing = existing_import(scopes);
        let new_name_is_free = existing.is_some() || !scopes.name_is_used(NEW);
        let local_new = existing.clone().unwrap_or_else(|| NEW.to_string());
        // A binding imported twice (`import { useFormState, useFormState }`, found by fuzzing)
        // has its references renamed once.
        let mut renamed: Vec<usize> = Vec::new();

        // 1. Named specifiers of react-dom's useFormState.
        for (d, decl) in decls
            .iter()
            .enumerate()
            .filter(|(_, d)| d.source == "react-dom" && !d.type_only)
        {
            for (s, spec) in decl.named.iter().enumerate() {
                if spec.imported != OLD || spec.type_only || !specifiers.contains(&spec.range) {
                    continue;
                }
                changes.entry(d).or_default().named.push(s);
                if spec.local != OLD {
                    // `useFormState as useFS`: the alias stays, so its uses do too
                    // (`useFormState as useActionState` becomes plain `useActionState`).
                    wanted.push(specifier(NEW, &spec.local));
                    continue;
                }
                let Some(binding) = scopes.lookup(OLD, 0) else {
                    continue;
                };
                if !new_name_is_free {
                    wanted.push(format!("{NEW} as {OLD}"));
                    continue;
                }
                if existing.is_none() {
                    wanted.push(NEW.to_string());
                }
                if renamed.contains(&binding) {
                    continue;
                }
                renamed.push(binding);
                for reference in scopes.references_to(binding) {
                    edits.push(rename_reference(file.tree, reference, &local_new));
                }
            }
        }

        // 2. `ReactDOM.useFormState` through react-dom's default or namespace import.
        let react_object = react_object(scopes);
        let mut rewritten_members: BTreeMap<usize, usize> = BTreeMap::new();
        // The react-dom statement a new react import takes the place of, or follows.
        let mut anchor = changes.keys().next().copied();
        for (member, object) in &members {
            let Some(binding) = scopes.binding_of(object.clone()) else {
                continue;
            };
            let BindingKind::Import(import) = &scopes.bindings[binding].kind else {
                continue;
            };
            if import.source != "react-dom" || import.type_only || import.imported == Imported::Named(OLD.into()) {
                continue;
            }
            if !matches!(import.imported, Imported::Default | Imported::Namespace) {
                continue;
            }
            let replacement = match &react_object {
                Some(react) => format!("{react}.{NEW}"),
                None if new_name_is_free => {
                    if existing.is_none() {
                        wanted.push(NEW.to_string());
                    }
                    local_new.clone()
                }
                None => {
                    outcome.note(member.start, format!("`{NEW}` is already a name in this file, so `{}` was not rewritten; import `{NEW}` from 'react' under another name and use it here", &file.text[member.clone()]));
                    continue;
                }
            };
            edits.push(Edit::replace(member.clone(), replacement));
            let ident = scopes.bindings[binding].ident.clone();
            let statement = decls
                .iter()
                .position(|d| d.range.start <= ident.start && ident.end <= d.range.end);
            anchor = anchor.min(statement).or(anchor).or(statement);
            *rewritten_members.entry(binding).or_default() += 1;
        }
        // A default/namespace import that nothing else uses any more goes.
        for (binding, rewritten) in rewritten_members {
            if scopes.references_to(binding).count() != rewritten {
                continue;
            }
            let ident = scopes.bindings[binding].ident.clone();
            let Some(d) = decls.iter().position(|d| {
                d.default.as_ref().is_some_and(|(_, r)| *r == ident)
                    || d.namespace.as_ref().is_some_and(|(_, r)| *r == ident)
            }) else {
                continue;
            };
            let change = changes.entry(d).or_default();
            if decls[d].namespace.is_some() {
                change.drop_namespace = true;
            } else {
                change.drop_default = true;
            }
        }
        if edits.is_empty() && changes.is_empty() {
            return outcome;
        }

        // 3. The react import: join a named one, or `React, { ... }`, or a new statement.
        // A specifier and a `ReactDOM.useFormState` elsewhere can both ask for one name, not
        // next to each other: each once (found by fuzzing: `dedup` left the second).
        let mut unique: Vec<String> = Vec::new();
        for name in wanted {
            if !unique.contains(&name) {
                unique.push(name);
            }
        }
        let wanted = unique;
        let mut new_statement = None;
        if !wanted.is_empty() {
            let joinable = decls
                .iter()
                .find(|d| d.source == "react" && d.accepts_named() && d.braces.is_some())
                .or_else(|| {
                    decls
                        .iter()
                        .find(|d| d.source == "react" && d.accepts_named() && d.default.is_some())
                });
            match joinable.and_then(|decl| append_named(file.text, decl, &wanted.join(", "), style)) {
                Some(edit) => edits.push(edit),
                None => new_statement = Some(import_statement(&wanted, "react", style)),
            }
        }

        // 4. The react-dom statements, last, because the new import may take one's place.
        for (d, change) in &changes {
            let decl = &decls[*d];
            let takes_place = (Some(*d) == anchor).then(|| new_statement.take()).flatten();
            if empties(decl, change) {
                edits.push(match takes_place {
                    // The statement's own `;` may stand on a later line (`import {…} from 'x'\n;o`):
                    // keep one, or what follows would join the new import (found by fuzzing).
                    Some(statement) if file.text[decl.range.clone()].ends_with(';') => {
                        let body = file.text[decl.range.start..decl.range.end - 1].trim_end();
                        let statement = statement.strip_suffix(';').unwrap_or(&statement);
                        Edit::replace(decl.range.start..decl.range.start + body.len(), statement)
                    }
                    Some(statement) => Edit::replace(decl.range.clone(), statement),
                    None => remove_statement(file.text, decl.range.clone()),
                });
                continue;
            }
            if !change.named.is_empty() {
                edits.extend(remove_named(file.text, decl, &change.named));
            }
            if change.drop_default
                && let (Some((_, default)), Some(braces)) = (&decl.default, &decl.braces)
            {
                edits.push(Edit::delete(default.start..braces.start));
            }
            if let Some(statement) = takes_place {
                edits.push(insert_statement(file.text, (decl.range.end, false), &statement, style));
            }
        }
        if let (Some(statement), Some(d)) = (new_statement, anchor) {
            edits.push(insert_statement(
                file.text,
                (decls[d].range.end, false),
                &statement,
                style,
            ));
        }
        // One fix: the renames and the import changes stand or fall together.
        outcome.fix(format!("Replace `{OLD}` with `{NEW}`"), edits);
        outcome.needs = Needs::REACT_19;
        outcome
    }
}

/// Whether the statement is left with nothing to import.
fn empties(decl: &ImportDecl, change: &DeclChange) -> bool {
    let named_left = decl.named.len() > change.named.len();
    let default_left = decl.default.is_some() && !change.drop_default;
    let namespace_left = decl.namespace.is_some() && !change.drop_namespace;
    !named_left && !default_left && !namespace_left
}

/// The local name of an existing `import { useActionState } from 'react'`.
fn existing_import(scopes: &ScopeTree) -> Option<String> {
    scopes
        .imports_from("react")
        .find(|(_, _, import)| !import.type_only && import.imported == Imported::Named(NEW.into()))
        .map(|(_, binding, _)| binding.name.clone())
}

/// The local name of react's default or namespace import (`React` in `React.useActionState`).
fn react_object(scopes: &ScopeTree) -> Option<String> {
    scopes
        .imports_from("react")
        .find(|(_, _, import)| !import.type_only && matches!(import.imported, Imported::Default | Imported::Namespace))
        .map(|(_, binding, _)| binding.name.clone())
}

/// `useFormState` or `useFormState as x` in `import { ... } from 'react-dom'`.
fn is_react_dom_use_form_state(specifier: tree_sitter::Node, text: &str) -> bool {
    let imported = specifier.child_by_field_name("name");
    if imported.is_none_or(|name| name.kind() != "identifier" || &text[name.byte_range()] != OLD) {
        return false;
    }
    // import_specifier < named_imports < import_clause < import_statement
    let statement = specifier.parent().and_then(|n| n.parent()).and_then(|n| n.parent());
    statement
        .filter(|s| s.kind() == "import_statement")
        .and_then(|s| s.child_by_field_name("source"))
        .is_some_and(|source| crate::syntax::string_value(text, source) == "react-dom")
}
