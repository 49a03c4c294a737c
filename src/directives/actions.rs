//! The Server Actions of a file, for the doctor rules that read what actions do
//! (formdata-identity, missing-revalidate).

use super::{Directive, Meant, find, function_of_body, in_prologue};
use crate::syntax::{default_keyword, unwrap_expression as unwrap_value};
use crate::transforms::SourceFile;
use tree_sitter::Node;

/// A Server Action of a file: an exported function of a `'use server'` module, or a function
/// whose body starts with `'use server'`. `at` is where a finding about it points (its name,
/// else the `default` keyword or the function itself).
pub struct Action<'t> {
    pub function: Node<'t>,
    pub at: usize,
    pub name: Option<String>,
}

/// The Server Actions of `file`, in source order, each once (the doctor rules that read what
/// actions do). Exports whose value is a call (`export const save = withAuth(async () => …)`)
/// are not counted: what the wrapper passes in cannot be seen. Nor are the exports of a module
/// that imports `'server-only'`.
pub fn server_actions<'t>(file: &SourceFile<'t>) -> Vec<Action<'t>> {
    let mut actions: Vec<Action<'t>> = Vec::new();
    let root = file.tree.root_node();
    let prologue = crate::syntax::directives(file.tree, file.text);
    let has = |d: Directive| prologue.iter().any(|(value, _)| value == d.text());
    // A module that imports 'server-only' cannot reach a client bundle: its exports are a
    // server library that route handlers and other actions call (found on formbricks'
    // `lib/actionClass/service.ts`, see DOCTOR.md).
    let server_only = crate::imports::import_decls(file.tree, file.text)
        .iter()
        .any(|import| import.source == "server-only");
    if has(Directive::Server) && !has(Directive::Client) && !server_only {
        let mut c = root.walk();
        let statements: Vec<Node<'t>> = root.named_children(&mut c).collect();
        for statement in &statements {
            if statement.kind() != "export_statement" || statement.child_by_field_name("source").is_some() {
                continue;
            }
            if let Some(declaration) = statement.child_by_field_name("declaration") {
                exported_declaration(file, declaration, *statement, &mut actions);
            } else if let Some(value) = statement.child_by_field_name("value") {
                let value = unwrap_value(value);
                if is_function_value(value) {
                    actions.push(Action {
                        function: value,
                        at: default_keyword(*statement),
                        name: None,
                    });
                } else if value.kind() == "identifier" {
                    local_function(file, &statements, file.node_text(value), &mut actions);
                }
            } else {
                let mut c = statement.walk();
                let clause = statement.named_children(&mut c).find(|n| n.kind() == "export_clause");
                let Some(clause) = clause else {
                    continue;
                };
                let names = crate::syntax::exported_values(clause);
                for name in names {
                    local_function(file, &statements, file.node_text(name), &mut actions);
                }
            }
        }
    }
    let words: &[&[&str]] = &[&["'use server'"], &["\"use server\""]];
    for found in find(file, words) {
        if found.meant != Meant::Exact(Directive::Server) || !in_prologue(found.statement, file.text) {
            continue;
        }
        let Some(function) = found.statement.parent().and_then(function_of_body) else {
            continue;
        };
        let name = crate::syntax::function_name(function);
        actions.push(Action {
            function,
            at: name.unwrap_or(function).start_byte(),
            name: name.map(|n| file.node_text(n).to_string()),
        });
    }
    let mut seen = Vec::new();
    actions.retain(|a| {
        let new = !seen.contains(&a.function.id());
        seen.push(a.function.id());
        new
    });
    actions.sort_by_key(|a| a.function.start_byte());
    actions
}

fn exported_declaration<'t>(
    file: &SourceFile<'t>,
    declaration: Node<'t>,
    statement: Node<'t>,
    out: &mut Vec<Action<'t>>,
) {
    match declaration.kind() {
        "function_declaration" => {
            let name = declaration.child_by_field_name("name");
            out.push(Action {
                function: declaration,
                at: name.map_or(default_keyword(statement), |n| n.start_byte()),
                name: name.map(|n| file.node_text(n).to_string()),
            });
        }
        "lexical_declaration" | "variable_declaration" => {
            let mut c = declaration.walk();
            for declarator in declaration.named_children(&mut c) {
                function_declarator(file, declarator, out);
            }
        }
        _ => {}
    }
}

/// `name = async (…) => …` / `name = async function …`: an action named `name`.
fn function_declarator<'t>(file: &SourceFile<'t>, declarator: Node<'t>, out: &mut Vec<Action<'t>>) {
    if declarator.kind() != "variable_declarator" {
        return;
    }
    let (Some(name), Some(value)) = (
        declarator.child_by_field_name("name"),
        declarator.child_by_field_name("value"),
    ) else {
        return;
    };
    let value = unwrap_value(value);
    if name.kind() == "identifier" && is_function_value(value) {
        out.push(Action {
            function: value,
            at: name.start_byte(),
            name: Some(file.node_text(name).to_string()),
        });
    }
}

/// The top-level function or `const` function named `name` (exported by `export { name }` or
/// `export default name`).
fn local_function<'t>(file: &SourceFile<'t>, statements: &[Node<'t>], name: &str, out: &mut Vec<Action<'t>>) {
    for statement in statements {
        match statement.kind() {
            "function_declaration" => {
                if let Some(n) = statement.child_by_field_name("name")
                    && file.node_text(n) == name
                {
                    out.push(Action {
                        function: *statement,
                        at: n.start_byte(),
                        name: Some(name.to_string()),
                    });
                    return;
                }
            }
            "lexical_declaration" | "variable_declaration" => {
                let mut c = statement.walk();
                let declarator = statement.named_children(&mut c).find(|d| {
                    d.kind() == "variable_declarator"
                        && d.child_by_field_name("name").is_some_and(|n| file.node_text(n) == name)
                });
                if let Some(declarator) = declarator {
                    function_declarator(file, declarator, out);
                    return;
                }
            }
            _ => {}
        }
    }
}

fn is_function_value(node: Node) -> bool {
    matches!(node.kind(), "arrow_function" | "function_expression" | "function")
}

/// The nodes of `function` in source order, not those of the other actions nested in it (each
/// is an action of its own).
pub fn nodes_of<'t>(function: Node<'t>, actions: &[Action<'t>]) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut stack = vec![function];
    while let Some(node) = stack.pop() {
        if node.id() != function.id() && actions.iter().any(|a| a.function.id() == node.id()) {
            continue;
        }
        out.push(node);
        let mut c = node.walk();
        let children: Vec<Node<'t>> = node.named_children(&mut c).collect();
        stack.extend(children.into_iter().rev());
    }
    out
}
