//! # form-action-return
//!
//! **What it does.** A function used directly as a form action (`<form action={f}>`,
//! `formAction`, also through `.bind(null, …)`) in a TypeScript file, whose `return` statements
//! return a value: when every use of it in the scanned files is as a form action and it has no
//! return type, its `return VALUE;` become `return;`. A call's side effects are kept: in an async
//! function `return CALL;` and `return await CALL;` become `await CALL; return;` (elsewhere
//! `CALL; return;`); `return redirect(…)` and the other navigation calls of `next/navigation`
//! (they return `never`) stay.
//!
//! **Why.** React 19 types a form action as returning nothing (`void | Promise<void>`), and
//! `next build` fails with TS2322 (`… is not assignable to type 'string | ((formData: FormData)
//! => void | Promise<void>) | undefined'`). A form throws the value away at run time anyway.
//!
//! **Example.**
//! ```text
//! export async function remove(id: string) {      export async function remove(id: string) {
//!   await sql`DELETE …`;                       →    await sql`DELETE …`;
//!   return { message: 'Deleted.' };                 return;
//! ```
//!
//! **Not applied.** With `--to 14`. Where the function is used otherwise too (a call, a prop of a
//! component, `useActionState`), has a return type, is an arrow with an expression body, returns
//! a value whose computing has effects other than one call, or lives in a file this run does not
//! change: a finding at the attribute naming the function, its file and the other uses. Uses in
//! JavaScript files are not judged: JavaScript has no such type error.

use crate::fix::{Edit, line_col};
use crate::project::module::ExportedFn;
use crate::project::uses::UseKind;
use crate::project::{Project, ProjectFile, ResolvedUse};
use crate::style::Style;
use crate::target::Needs;
use crate::transforms::{Meta, ProjectOutcome, ProjectTransform};
use std::collections::BTreeMap;
use std::path::PathBuf;
use tree_sitter::Node;

pub struct FormActionReturn;

static META: Meta = Meta {
    name: "form-action-return",
    summary: "a form action that returns a value (TS2322 with React 19's types) → returns nothing",
    // A form action is written `action={…}` or `formAction={…}`.
    words: &[&["action={"], &["formAction"]],
    needs: "React 19 types (Next 15); not applied with --to 14",
    queries: &[],
};

/// Calls that return `never` (they throw Next's navigation errors): `return redirect(…)` stays.
const NAVIGATION: &[&str] = &["redirect", "permanentRedirect", "notFound", "forbidden", "unauthorized"];

impl ProjectTransform for FormActionReturn {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn run(&self, project: &Project) -> ProjectOutcome {
        let mut outcome = ProjectOutcome::default();
        let all = project.resolved_uses();
        let mut functions: BTreeMap<(PathBuf, String), Vec<ResolvedUse>> = BTreeMap::new();
        for u in &all {
            if matches!(u.at.kind, UseKind::FormAction { .. }) && u.file.is_typescript() {
                let key = (u.module.path.clone(), u.function.name.clone());
                functions.entry(key).or_default().push(*u);
            }
        }
        for ((module_path, name), form_uses) in functions {
            let Some(first) = form_uses.first() else { continue };
            let (module, function) = (first.module, first.function);
            if function.value_returns.is_empty() && !function.expression_body {
                continue;
            }
            if !project.target.allows(Needs::REACT_19) {
                outcome.held_back += 1;
                continue;
            }
            let others: Vec<String> = project
                .uses_of(&all, &module_path, &name)
                .iter()
                .filter(|u| !matches!(u.at.kind, UseKind::FormAction { .. }))
                .map(|u| describe(project, u))
                .chain(
                    module
                        .used_locally
                        .contains(&name)
                        .then(|| format!("{} (its own module)", project.display(&module.path))),
                )
                .collect();
            let edits = if !others.is_empty() {
                Err(format!("it is also used at {}", others.join(", ")))
            } else if function.return_type {
                Err("it declares its return type".to_string())
            } else if function.expression_body {
                Err("it is an arrow function whose body is the value it returns".to_string())
            } else if !module.editable {
                Err(format!(
                    "{} is not among the files this run may change",
                    project.display(&module.path)
                ))
            } else {
                returns_to_nothing(module, function)
            };
            match edits {
                Ok(edits) => {
                    if !edits.is_empty() {
                        outcome.edit(&module.path, edits);
                    }
                }
                Err(why) => {
                    for u in &form_uses {
                        let message = format!(
                            "`{name}` ({}) returns a value, but React 19 types a form action as returning nothing: `next build` fails with TS2322; not fixed: {why} — return nothing, or read the value through useActionState",
                            project.display(&module.path)
                        );
                        outcome.note(&u.file.path, u.at.at.start, message);
                    }
                }
            }
        }
        outcome
    }
}

/// `path:line (what)` of a use, for a message.
fn describe(project: &Project, u: &ResolvedUse) -> String {
    let (line, _) = line_col(&u.file.text, u.at.at.start);
    let what = match &u.at.kind {
        UseKind::Hook { hook, .. } => format!("the action of {hook}"),
        UseKind::Call => "a call".to_string(),
        UseKind::EventProp { prop } => format!("an {prop} prop"),
        UseKind::FormAction { .. } | UseKind::Other => "passed on".to_string(),
    };
    format!("{}:{line} ({what})", project.display(&u.file.path))
}

/// The edits that make every `return VALUE;` of the function return nothing, or why not.
fn returns_to_nothing(module: &ProjectFile, function: &ExportedFn) -> Result<Vec<Edit>, String> {
    let text = module.text.as_str();
    let style = Style::detect(text);
    let Some(tree) = module.tree() else {
        return Err("the module could not be parsed again".into());
    };
    let root = tree.root_node();
    let navigation: Vec<&str> = module
        .view
        .imports
        .iter()
        .filter(|i| i.source == "next/navigation")
        .flat_map(|i| i.named.iter())
        .filter(|s| NAVIGATION.contains(&s.imported.as_str()))
        .map(|s| s.local.as_str())
        .collect();
    let mut edits = Vec::new();
    for range in &function.value_returns {
        let Some(statement) = root
            .descendant_for_byte_range(range.start, range.end)
            .filter(|n| n.kind() == "return_statement")
        else {
            return Err("a return statement could not be read".into());
        };
        let Some(value) = value_of(statement) else { continue };
        let semi = if text[statement.byte_range()].trim_end().ends_with(';') {
            ";"
        } else {
            style.semi()
        };
        let call = call_in(value);
        if let Some(call) = call
            && let Some(callee) = call.child_by_field_name("function")
            && navigation.contains(&&text[callee.byte_range()])
        {
            continue;
        }
        // `if (x) return f();` needs braces around its two statements; in a statement list the
        // `return` goes on a line of its own.
        let in_list = statement.parent().is_some_and(|p| {
            matches!(
                p.kind(),
                "statement_block" | "switch_case" | "switch_default" | "program"
            )
        });
        let replacement = match call {
            Some(call) => {
                let awaited = if function.is_async { "await " } else { "" };
                let kept = format!("{awaited}{}{semi}", &text[call.byte_range()]);
                if in_list {
                    let indent = crate::style::indent_at(text, statement.start_byte());
                    format!("{kept}{}{indent}return{semi}", style.newline)
                } else {
                    format!("{{ {kept} return{semi} }}")
                }
            }
            None if is_pure(value) => format!("return{semi}"),
            None => {
                let (line, _) = line_col(text, value.start_byte());
                return Err(format!(
                    "the value returned at line {line} is computed with effects of its own"
                ));
            }
        };
        edits.push(Edit::replace(statement.byte_range(), replacement));
    }
    Ok(edits)
}

fn value_of(statement: Node) -> Option<Node> {
    let mut c = statement.walk();
    statement.named_children(&mut c).find(|n| n.kind() != "comment")
}

/// The call a returned value is (`f()`, `await f()`), when it is one call whose arguments have no
/// effects of their own beyond being computed.
fn call_in(value: Node) -> Option<Node> {
    let mut node = crate::syntax::unwrap_expression(value);
    if node.kind() == "await_expression" {
        node = crate::syntax::unwrap_expression(node.named_child(0)?);
    }
    (node.kind() == "call_expression").then_some(node)
}

/// A value whose computing has no effect: literals, names, objects and arrays of those (member
/// reads count as pure: a getter with effects in a returned value is not worth keeping).
fn is_pure(node: Node) -> bool {
    if matches!(
        node.kind(),
        "call_expression"
            | "new_expression"
            | "await_expression"
            | "assignment_expression"
            | "augmented_assignment_expression"
            | "update_expression"
            | "yield_expression"
            | "delete"
    ) {
        return false;
    }
    if crate::syntax::is_function(node.kind()) {
        return true;
    }
    let mut c = node.walk();
    node.named_children(&mut c).all(is_pure)
}
