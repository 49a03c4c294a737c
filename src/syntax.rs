//! Node helpers every rule shares, each written once: tokens, string values, directive
//! prologues, and the node kinds that make a function.

use std::ops::Range;
use tree_sitter::{Node, Tree};

/// The named node kinds of a function: each starts a new function scope (`this`, `return`,
/// `arguments` of its own).
pub const FUNCTION_KINDS: &[&str] = &[
    "function_declaration",
    "function_expression",
    "arrow_function",
    "generator_function",
    "generator_function_declaration",
    "method_definition",
];

pub fn is_function(kind: &str) -> bool {
    FUNCTION_KINDS.contains(&kind)
}

pub fn is_class(kind: &str) -> bool {
    matches!(kind, "class" | "class_declaration")
}

/// Whether `node` has an anonymous child token `token` (e.g. the `type` of `import type`).
pub fn has_token(node: Node, token: &str) -> bool {
    let mut c = node.walk();
    node.children(&mut c)
        .any(|child| !child.is_named() && child.kind() == token)
}

/// The text inside a string literal node (without its quotes), or the node's text.
pub fn string_value<'a>(text: &'a str, node: Node) -> &'a str {
    let raw = &text[node.byte_range()];
    if node.kind() == "string" && raw.len() >= 2 {
        &raw[1..raw.len() - 1]
    } else {
        raw
    }
}

/// The directives at the top of the module (`'use client'`, `"use server"`), with their
/// statement ranges, in order.
pub fn directives(tree: &Tree, text: &str) -> Vec<(String, Range<usize>)> {
    let root = tree.root_node();
    let mut c = root.walk();
    body_directives(root.named_children(&mut c), text)
}

/// The directive prologue of a statement list (a module, or a function body's statements).
pub fn body_directives<'t>(statements: impl Iterator<Item = Node<'t>>, text: &str) -> Vec<(String, Range<usize>)> {
    let mut found = Vec::new();
    for statement in statements {
        match statement.kind() {
            "comment" | "hash_bang_line" => continue,
            "expression_statement" => {
                let Some(expr) = statement.named_child(0) else {
                    break;
                };
                if expr.kind() != "string" {
                    break;
                }
                found.push((string_value(text, expr).to_string(), statement.byte_range()));
            }
            _ => break,
        }
    }
    found
}

/// A function's name: its own (`function save`), or the variable it initialises (`const save =
/// async () => …`).
pub fn function_name(function: Node) -> Option<Node> {
    function.child_by_field_name("name").or_else(|| {
        function
            .parent()
            .filter(|p| p.kind() == "variable_declarator")
            .and_then(|p| p.child_by_field_name("name"))
            .filter(|n| n.kind() == "identifier")
    })
}

/// The local names an `export { a, b as c, type T }` clause exports as values (`a`, `b`).
pub fn exported_values(clause: Node) -> Vec<Node> {
    let mut c = clause.walk();
    clause
        .named_children(&mut c)
        .filter(|s| s.kind() == "export_specifier" && !has_token(*s, "type"))
        .filter_map(|s| s.child_by_field_name("name"))
        .collect()
}

/// The expression under parentheses and type assertions (`({…}) as const`, `x satisfies T`).
pub fn unwrap_expression(mut node: Node) -> Node {
    while matches!(
        node.kind(),
        "parenthesized_expression" | "as_expression" | "satisfies_expression" | "non_null_expression"
    ) {
        let Some(inner) = node.named_child(0) else {
            break;
        };
        node = inner;
    }
    node
}

/// The `default` keyword of `export default …` (where a finding about it points).
pub fn default_keyword(statement: Node) -> usize {
    let mut c = statement.walk();
    statement
        .children(&mut c)
        .find(|n| n.kind() == "default")
        .map_or(statement.start_byte(), |n| n.start_byte())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{Lang, Parsers};

    #[test]
    fn function_kinds_are_named_kinds_of_both_grammars() {
        for lang in [Lang::Tsx, Lang::TypeScript] {
            for kind in FUNCTION_KINDS.iter().chain(&["class", "class_declaration"]) {
                assert_ne!(lang.language().id_for_node_kind(kind, true), 0, "{kind}");
            }
        }
    }

    #[test]
    fn reads_tokens_strings_and_directives() {
        let text = "'use client';\n\"use strict\";\nimport type { A } from 'a';\n";
        let tree = Parsers::new().parse(Lang::Tsx, text, None).unwrap();
        let found: Vec<String> = directives(&tree, text).into_iter().map(|(d, _)| d).collect();
        assert_eq!(found, ["use client", "use strict"]);
        let import = tree.root_node().named_child(2).unwrap();
        assert!(has_token(import, "type"));
        let source = import.child_by_field_name("source").unwrap();
        assert_eq!(string_value(text, source), "a");
    }
}
