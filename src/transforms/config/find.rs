//! Finding the config objects of a `next.config.*` file: the exported value followed through
//! identifiers, wrapper calls (`withSentryConfig(config, {...})`), `satisfies`/`as`, ternaries and
//! (phase) functions to the object literals it evaluates to, and the `config.a.b = value`
//! assignments made to a config variable after its declaration. Shared by the rules that edit
//! next.config (server-actions-flag, next-config).

use crate::transforms::{QuerySet, SourceFile};
use rustc_hash::FxHashSet;
use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, QueryCursor};

/// The config file names the config rules read.
pub const FILE_NAMES: &[&str] = &[
    "next.config.js",
    "next.config.mjs",
    "next.config.cjs",
    "next.config.ts",
    "next.config.mts",
];

/// Whether `path` is a next.config file these rules read.
pub fn is_config_file(path: &std::path::Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| FILE_NAMES.contains(&name))
}

/// The statements that export a config, at the top level of a file.
pub static EXPORTS: QuerySet = QuerySet::new(include_str!("../../../transforms/next-config-exports.scm"));

/// How deep the search for the config object follows identifiers, calls and functions.
const MAX_DEPTH: usize = 16;

/// What the search found in one file.
pub struct Lookup<'t> {
    /// The config objects, each once, in the order found.
    pub configs: Vec<Config<'t>>,
    /// Whether the file has no `module.exports =` / `export default` at all.
    pub no_export: bool,
    /// Export statements whose value could not be followed, with the node that stopped it.
    pub unreadable: Vec<(Node<'t>, Node<'t>)>,
}

impl Lookup<'_> {
    /// A finding at each export that could not be followed, naming what stopped the search and
    /// ending with `what_to_do` (each rule names its own keys).
    pub fn note_unreadable(&self, text: &str, what_to_do: &str, outcome: &mut crate::fix::Outcome) {
        for (statement, node) in &self.unreadable {
            outcome.note(
                statement.start_byte(),
                format!(
                    "the config object could not be found statically (`{}` is not something this tool can follow); {what_to_do}",
                    snippet(text, *node)
                ),
            );
        }
    }
}

/// Follows every export of `file` to its config objects.
pub fn find_configs<'t>(file: &SourceFile<'t>) -> Lookup<'t> {
    let exports = export_statements(file);
    let mut finder = Finder {
        text: file.text,
        configs: Vec::new(),
        followed: FxHashSet::default(),
    };
    let mut lookup = Lookup {
        configs: Vec::new(),
        no_export: exports.is_empty(),
        unreadable: Vec::new(),
    };
    for (statement, value) in exports {
        let mut unreadable = Vec::new();
        finder.resolve(value, None, &mut unreadable, 0);
        if let Some(node) = unreadable.first() {
            lookup.unreadable.push((statement, *node));
        }
    }
    let mut seen = FxHashSet::default();
    lookup.configs = finder
        .configs
        .into_iter()
        .filter(|config| seen.insert(config.object.start_byte()))
        .collect();
    lookup
}

/// `(statement, exported value)` of every top-level `module.exports =` / `export default`.
fn export_statements<'t>(file: &SourceFile<'t>) -> Vec<(Node<'t>, Node<'t>)> {
    let query = EXPORTS.get(file.lang);
    let (Some(export), Some(config)) = (
        query.capture_index_for_name("export"),
        query.capture_index_for_name("config"),
    ) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(query, file.tree.root_node(), file.text.as_bytes());
    while let Some(m) = matches.next() {
        let node = |index: u32| m.captures().iter().find(|c| c.index == index).map(|c| c.node);
        if let (Some(statement), Some(value)) = (node(export), node(config)) {
            found.push((statement, value));
        }
    }
    found
}

/// A config object found statically, with the variable it is bound to (for `x.experimental = ...`).
pub struct Config<'t> {
    pub object: Node<'t>,
    /// The variable and the block it is declared in.
    pub binding: Option<(String, Node<'t>)>,
}

pub struct Finder<'t> {
    pub text: &'t str,
    pub configs: Vec<Config<'t>>,
    /// Nodes already followed: each is followed once, or functions returning one another
    /// branch out exponentially (found by fuzzing: a 97-line config took 20 s).
    pub followed: FxHashSet<usize>,
}

impl<'t> Finder<'t> {
    /// Follows `node` to the object literals it evaluates to. What cannot be followed lands in
    /// `unreadable`.
    pub fn resolve(
        &mut self,
        node: Node<'t>,
        binding: Option<(String, Node<'t>)>,
        unreadable: &mut Vec<Node<'t>>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            unreadable.push(node);
            return;
        }
        if !self.followed.insert(node.id()) {
            return;
        }
        match node.kind() {
            "object" => self.configs.push(Config { object: node, binding }),
            "parenthesized_expression"
            | "satisfies_expression"
            | "as_expression"
            | "non_null_expression"
            | "await_expression" => match first_named(node) {
                Some(inner) => self.resolve(inner, binding, unreadable, depth + 1),
                None => unreadable.push(node),
            },
            "assignment_expression" => match node.child_by_field_name("right") {
                Some(right) => self.resolve(right, None, unreadable, depth + 1),
                None => unreadable.push(node),
            },
            "ternary_expression" => {
                for field in ["consequence", "alternative"] {
                    match node.child_by_field_name(field) {
                        Some(branch) => self.resolve(branch, None, unreadable, depth + 1),
                        None => unreadable.push(node),
                    }
                }
            }
            "identifier" => match find_declaration(self.text, &self.text[node.byte_range()], node) {
                Some((value, block)) => {
                    let name = self.text[node.byte_range()].to_string();
                    self.resolve(value, Some((name, block)), unreadable, depth + 1)
                }
                None => unreadable.push(node),
            },
            // A wrapper: withBundleAnalyzer(withMDX({...})), withSentryConfig(nextConfig, {...}).
            "call_expression" => match node.child_by_field_name("arguments").and_then(first_named) {
                // A literal first argument (`load('app')`, `withPlugins([...], config)`) is no config.
                Some(argument) if !is_literal(argument.kind()) && argument.kind() != "spread_element" => {
                    self.resolve(argument, None, unreadable, depth + 1)
                }
                _ => unreadable.push(node),
            },
            "arrow_function" | "function_expression" | "function_declaration" | "function" => {
                let Some(body) = node.child_by_field_name("body") else {
                    unreadable.push(node);
                    return;
                };
                if body.kind() != "statement_block" {
                    self.resolve(body, None, unreadable, depth + 1);
                    return;
                }
                let mut returns = Vec::new();
                collect_returns(body, &mut returns);
                let values: Vec<Node> = returns.iter().filter_map(|r| first_named(*r)).collect();
                if values.is_empty() {
                    unreadable.push(node);
                }
                for value in values {
                    self.resolve(value, None, unreadable, depth + 1);
                }
            }
            _ => unreadable.push(node),
        }
    }
}

/// The value (or function) `name` is declared with, in the block holding `at` or an outer one,
/// and the block it is declared in.
pub fn find_declaration<'t>(text: &str, name: &str, at: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
    let mut current = Some(at);
    while let Some(node) = current {
        if matches!(node.kind(), "statement_block" | "program") {
            let mut cursor = node.walk();
            for statement in node.named_children(&mut cursor) {
                if let Some(value) = declared_in(text, name, statement) {
                    return Some((value, node));
                }
            }
        }
        current = node.parent();
    }
    None
}

pub fn declared_in<'t>(text: &str, name: &str, statement: Node<'t>) -> Option<Node<'t>> {
    let is_name = |n: Option<Node>| n.is_some_and(|n| n.kind() == "identifier" && &text[n.byte_range()] == name);
    match statement.kind() {
        "lexical_declaration" | "variable_declaration" => {
            let mut cursor = statement.walk();
            statement
                .named_children(&mut cursor)
                .filter(|d| d.kind() == "variable_declarator")
                .find(|d| is_name(d.child_by_field_name("name")))
                .and_then(|d| d.child_by_field_name("value"))
        }
        "function_declaration" => is_name(statement.child_by_field_name("name")).then_some(statement),
        "export_statement" => statement
            .child_by_field_name("declaration")
            .and_then(|d| declared_in(text, name, d)),
        _ => None,
    }
}

/// The `return` statements of a function body, not those of functions nested in it.
pub fn collect_returns<'t>(node: Node<'t>, out: &mut Vec<Node<'t>>) {
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        if child.kind() == "return_statement" {
            out.push(child);
        } else if !is_function(child.kind()) {
            collect_returns(child, out);
        }
    }
}

pub fn is_function(kind: &str) -> bool {
    matches!(
        kind,
        "arrow_function"
            | "function_expression"
            | "function_declaration"
            | "generator_function"
            | "generator_function_declaration"
            | "method_definition"
            | "class"
            | "class_declaration"
    )
}

pub fn is_literal(kind: &str) -> bool {
    matches!(
        kind,
        "string" | "template_string" | "number" | "array" | "true" | "false" | "null" | "undefined"
    )
}

pub fn first_named(node: Node) -> Option<Node> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).find(|n| n.kind() != "comment")
}

/// A short one-line excerpt of a node for messages.
pub fn snippet(text: &str, node: Node) -> String {
    let raw = &text[node.byte_range()];
    let line = raw.lines().next().unwrap_or("");
    let short: String = line.chars().take(40).collect();
    if short.len() < raw.len() {
        format!("{}…", short.trim_end())
    } else {
        short
    }
}

/// The name of a property key, when it is not computed.
pub fn key_name<'a>(text: &'a str, key: Node) -> Option<&'a str> {
    match key.kind() {
        "property_identifier" | "identifier" | "number" | "shorthand_property_identifier" => {
            Some(&text[key.byte_range()])
        }
        "string" => Some(crate::syntax::string_value(text, key)),
        _ => None,
    }
}

/// The properties, spreads and methods of an object literal (its comments left out).
pub fn object_items(object: Node) -> Vec<Node> {
    let mut cursor = object.walk();
    object
        .named_children(&mut cursor)
        .filter(|n| n.kind() != "comment")
        .collect()
}

/// The name of an item that is a plain `key: value` pair.
pub fn pair_key<'a>(text: &'a str, item: Node) -> Option<&'a str> {
    match item.kind() {
        "pair" => key_name(text, item.child_by_field_name("key")?),
        "shorthand_property_identifier" => Some(&text[item.byte_range()]),
        _ => None,
    }
}

/// `x.a.b` as `["x", "a", "b"]`, when every part is a plain name.
pub fn member_path<'a>(text: &'a str, node: Node) -> Option<Vec<&'a str>> {
    match node.kind() {
        "identifier" => Some(vec![&text[node.byte_range()]]),
        "member_expression" => {
            let mut path = member_path(text, node.child_by_field_name("object")?)?;
            let property = node.child_by_field_name("property")?;
            if property.kind() != "property_identifier" {
                return None;
            }
            path.push(&text[property.byte_range()]);
            Some(path)
        }
        _ => None,
    }
}

/// `name.<path> = value;` statements in `block` (nested blocks included, nested functions not).
pub fn assignments<'t>(text: &str, name: &str, block: Node<'t>, out: &mut Vec<Assignment<'t>>) {
    let mut cursor = block.walk();
    for child in block.named_children(&mut cursor) {
        if is_function(child.kind()) {
            continue;
        }
        if child.kind() == "expression_statement"
            && let Some(expression) = first_named(child)
            && expression.kind() == "assignment_expression"
            && let (Some(left), Some(right)) = (
                expression.child_by_field_name("left"),
                expression.child_by_field_name("right"),
            )
            && let Some(path) = member_path(text, left)
            && path.len() >= 2
            && path[0] == name
        {
            out.push(Assignment {
                statement: child,
                left,
                right,
                path: path[1..].iter().map(|s| s.to_string()).collect(),
            });
            continue;
        }
        assignments(text, name, child, out);
    }
}

pub struct Assignment<'t> {
    pub statement: Node<'t>,
    pub left: Node<'t>,
    pub right: Node<'t>,
    /// The members after the config variable: `["experimental", "serverActions"]`.
    pub path: Vec<String>,
}
