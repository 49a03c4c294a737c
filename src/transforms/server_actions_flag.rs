//! # server-actions-flag
//!
//! **What it does.** Cleans the Server Actions keys out of `next.config.{js,mjs,cjs,ts,mts}`:
//! `experimental.serverActions: true|false` is removed; `experimental.serverActionsBodySizeLimit: X`
//! becomes `experimental.serverActions: { bodySizeLimit: X }` (merged into an existing
//! `serverActions` object); for Next 15, `experimental.serverComponentsExternalPackages` moves to
//! the top-level `serverExternalPackages` and `experimental.bundlePagesExternals` to the top-level
//! `bundlePagesRouterDependencies`. An `experimental` object this leaves empty is removed.
//!
//! **Why.** Server Actions are stable since Next 14: the boolean is obsolete (Next warns about it)
//! and the 13.x body size key moved. Next 15 moved the two external-package keys out of
//! `experimental`. Old tutorials still teach all of them.
//!
//! **Example.**
//! ```text
//! module.exports = {                                   module.exports = {
//!   reactStrictMode: true,                               reactStrictMode: true,
//!   experimental: {                               →      serverExternalPackages: ['sharp'],
//!     serverActions: true,                             }
//!     serverComponentsExternalPackages: ['sharp'],
//!   },
//! }
//! ```
//!
//! **Not applied.** The two Next 15 moves with `--to 14` (silently). Where the config object cannot
//! be found statically (`module.exports = createConfig()`), where a key is computed, or where a
//! value cannot be read, a finding says so and nothing there is changed. A top-level key that
//! already exists is not overwritten (a finding). A `...spread` in `experimental` gets a finding;
//! the visible keys are still fixed.
//!
//! Edits are surgical: a removed property takes its own line, the comment lines directly above
//! it and its trailing comment with it; commas stay valid and the trailing-comma habit is kept.

use crate::fix::{Edit, Outcome};
use crate::style::{Style, indent_at};
use crate::target::Needs;
use crate::transforms::{Meta, QuerySet, SourceFile, Transform};
use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;
use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, QueryCursor};

pub struct ServerActionsFlag;

static META: Meta = Meta {
    name: "server-actions-flag",
    summary: "next.config: drop experimental.serverActions, move bodySizeLimit and the Next 15 keys",
    words: &[
        &["serverActions"],
        &["serverComponentsExternalPackages"],
        &["bundlePagesExternals"],
    ],
    needs: "Next 14 or 15; the moves to serverExternalPackages / bundlePagesRouterDependencies need Next 15",
    queries: &[&QUERY],
};

static QUERY: QuerySet = QuerySet::new(include_str!("../../transforms/server-actions-flag.scm"));

/// The config file names this transform reads.
const FILE_NAMES: &[&str] = &[
    "next.config.js",
    "next.config.mjs",
    "next.config.cjs",
    "next.config.ts",
    "next.config.mts",
];

/// `serverActions` also covers `serverActionsBodySizeLimit`.
const WORDS: &[&str] = &[
    "serverActions",
    "serverComponentsExternalPackages",
    "bundlePagesExternals",
];
const KEYS: &str =
    "serverActions, serverActionsBodySizeLimit, serverComponentsExternalPackages or bundlePagesExternals";

const SERVER_ACTIONS: &str = "serverActions";
const BODY_SIZE_LIMIT: &str = "serverActionsBodySizeLimit";
/// The Next 15 moves: key in `experimental` → top-level key.
const MOVES: &[(&str, &str)] = &[
    ("serverComponentsExternalPackages", "serverExternalPackages"),
    ("bundlePagesExternals", "bundlePagesRouterDependencies"),
];

/// How deep the search for the config object follows identifiers, calls and functions.
const MAX_DEPTH: usize = 16;

impl Transform for ServerActionsFlag {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn applies_to(&self, path: &Path) -> bool {
        path.file_name()
            .and_then(|name| name.to_str())
            .is_some_and(|name| FILE_NAMES.contains(&name))
    }

    fn run(&self, file: &SourceFile) -> Outcome {
        let mut outcome = Outcome::default();
        if !WORDS.iter().any(|word| file.text.contains(word)) {
            return outcome;
        }
        let exports = export_statements(file);
        if exports.is_empty() {
            outcome.note(
                0,
                format!(
                    "this config has no `module.exports =` or `export default` to follow; check its {KEYS} by hand"
                ),
            );
            return outcome;
        }
        let mut finder = Finder {
            text: file.text,
            configs: Vec::new(),
            followed: std::collections::HashSet::new(),
        };
        for (statement, value) in exports {
            let mut unreadable = Vec::new();
            finder.resolve(value, None, &mut unreadable, 0);
            if let Some(node) = unreadable.first() {
                outcome.note(
                    statement.start_byte(),
                    format!(
                        "the config object could not be found statically (`{}` is not something this tool can follow); check its experimental {KEYS} by hand",
                        snippet(file.text, *node)
                    ),
                );
            }
        }
        let mut edit = Editor {
            file,
            style: file.style(),
            outcome,
            edits: Vec::new(),
            moved: false,
        };
        let mut seen = HashSet::new();
        for config in std::mem::take(&mut finder.configs) {
            if seen.insert(config.object.start_byte()) {
                edit.config(&config);
            }
        }
        let mut outcome = edit.outcome;
        outcome.edits = edit.edits;
        // Without the flag Server Actions need Next 14 (13.4/13.5 require it); the moves need 15.
        outcome.needs = if edit.moved {
            Needs::NEXT_15
        } else if outcome.edits.is_empty() {
            Needs::NOTHING
        } else {
            Needs::NEXT_14
        };
        outcome
    }
}

/// `(statement, exported value)` of every top-level `module.exports =` / `export default`.
fn export_statements<'t>(file: &SourceFile<'t>) -> Vec<(Node<'t>, Node<'t>)> {
    let query = QUERY.get(file.lang);
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
struct Config<'t> {
    object: Node<'t>,
    /// The variable and the block it is declared in.
    binding: Option<(String, Node<'t>)>,
}

struct Finder<'t> {
    text: &'t str,
    configs: Vec<Config<'t>>,
    /// Nodes already followed: each is followed once, or functions returning one another
    /// branch out exponentially (found by fuzzing: a 97-line config took 20 s).
    followed: std::collections::HashSet<usize>,
}

impl<'t> Finder<'t> {
    /// Follows `node` to the object literals it evaluates to. What cannot be followed lands in
    /// `unreadable`.
    fn resolve(
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
fn find_declaration<'t>(text: &str, name: &str, at: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
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

fn declared_in<'t>(text: &str, name: &str, statement: Node<'t>) -> Option<Node<'t>> {
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
fn collect_returns<'t>(node: Node<'t>, out: &mut Vec<Node<'t>>) {
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        if child.kind() == "return_statement" {
            out.push(child);
        } else if !is_function(child.kind()) {
            collect_returns(child, out);
        }
    }
}

fn is_function(kind: &str) -> bool {
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

fn is_literal(kind: &str) -> bool {
    matches!(
        kind,
        "string" | "template_string" | "number" | "array" | "true" | "false" | "null" | "undefined"
    )
}

fn first_named(node: Node) -> Option<Node> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).find(|n| n.kind() != "comment")
}

/// A short one-line excerpt of a node for messages.
fn snippet(text: &str, node: Node) -> String {
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
fn key_name<'a>(text: &'a str, key: Node) -> Option<&'a str> {
    match key.kind() {
        "property_identifier" | "identifier" | "number" | "shorthand_property_identifier" => {
            Some(&text[key.byte_range()])
        }
        "string" => Some(crate::scope::string_value(text, key)),
        _ => None,
    }
}

/// The properties, spreads and methods of an object literal (its comments left out).
fn object_items(object: Node) -> Vec<Node> {
    let mut cursor = object.walk();
    object
        .named_children(&mut cursor)
        .filter(|n| n.kind() != "comment")
        .collect()
}

/// The `,` after a property, if any.
fn comma_after(item: Node) -> Option<Node> {
    let mut next = item.next_sibling();
    while let Some(node) = next {
        match node.kind() {
            "comment" => next = node.next_sibling(),
            "," => return Some(node),
            _ => return None,
        }
    }
    None
}

/// The name of an item that is a plain `key: value` pair.
fn pair_key<'a>(text: &'a str, item: Node) -> Option<&'a str> {
    match item.kind() {
        "pair" => key_name(text, item.child_by_field_name("key")?),
        "shorthand_property_identifier" => Some(&text[item.byte_range()]),
        _ => None,
    }
}

/// `x.a.b` as `["x", "a", "b"]`, when every part is a plain name.
fn member_path<'a>(text: &'a str, node: Node) -> Option<Vec<&'a str>> {
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
fn assignments<'t>(text: &str, name: &str, block: Node<'t>, out: &mut Vec<Assignment<'t>>) {
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

struct Assignment<'t> {
    statement: Node<'t>,
    left: Node<'t>,
    right: Node<'t>,
    /// The members after the config variable: `["experimental", "serverActions"]`.
    path: Vec<String>,
}

/// A property to append to an object.
struct NewProp {
    key: String,
    value: String,
    /// The indentation of the line the value came from, to re-indent its later lines.
    from_indent: String,
    leading: Vec<String>,
    trailing: Option<String>,
}

/// Where an `experimental` object sits.
enum Holder<'t> {
    /// A property of the config object, by item index.
    Property(usize),
    /// `x.experimental = {...};`
    Statement(Node<'t>),
}

struct Editor<'f, 't> {
    file: &'f SourceFile<'t>,
    style: Style,
    outcome: Outcome,
    edits: Vec<Edit>,
    /// Whether a Next 15 move was made.
    moved: bool,
}

impl<'t> Editor<'_, 't> {
    fn text(&self) -> &'t str {
        self.file.text
    }

    fn note(&mut self, node: Node, message: String) {
        self.outcome.note(node.start_byte(), message);
    }

    /// Everything for one config object: its `experimental` objects and the assignments to it.
    fn config(&mut self, config: &Config<'t>) {
        let text = self.text();
        let items = object_items(config.object);
        let mut statements = Vec::new();
        if let Some((name, block)) = &config.binding {
            assignments(text, name, *block, &mut statements);
        }
        // Top-level keys the config has, for the Next 15 moves.
        let mut top_level: HashSet<&str> = items.iter().filter_map(|item| pair_key(text, *item)).collect();
        top_level.extend(
            statements
                .iter()
                .filter(|a| a.path.len() == 1)
                .map(|a| a.path[0].as_str()),
        );

        let mut experimentals: Vec<(Node, Holder)> = Vec::new();
        for (index, item) in items.iter().enumerate() {
            if pair_key(text, *item) != Some("experimental") {
                continue;
            }
            match item.child_by_field_name("value") {
                Some(value) if value.kind() == "object" => experimentals.push((value, Holder::Property(index))),
                _ => self.note(
                    *item,
                    format!(
                        "`experimental` is not an object literal this tool can read (`{}`); check its {KEYS} by hand",
                        snippet(text, *item)
                    ),
                ),
            }
        }
        for assignment in statements.iter().filter(|a| a.path == ["experimental"]) {
            if assignment.right.kind() == "object" {
                experimentals.push((assignment.right, Holder::Statement(assignment.statement)));
            }
        }
        // Whether `serverActions` is set as an object anywhere, for the bodySizeLimit assignment.
        let object_elsewhere = experimentals.iter().any(|(e, _)| {
            object_items(*e).iter().any(|item| {
                pair_key(text, *item) == Some(SERVER_ACTIONS)
                    && item.child_by_field_name("value").is_some_and(|v| v.kind() == "object")
            })
        }) || statements
            .iter()
            .any(|a| a.path == ["experimental", SERVER_ACTIONS] && a.right.kind() == "object");

        let mut remove_from_config = Vec::new();
        let mut append_to_config = Vec::new();
        for (experimental, holder) in experimentals {
            let emptied = self.experimental(experimental, &top_level, &mut append_to_config);
            if !emptied {
                continue;
            }
            match holder {
                Holder::Property(index) => remove_from_config.push(index),
                Holder::Statement(statement) => {
                    let range = removal_range(text, statement, statement.end_byte());
                    self.edits.push(Edit::delete(range));
                }
            }
        }
        for assignment in &statements {
            self.member_assignment(assignment, &top_level, object_elsewhere);
        }
        if !remove_from_config.is_empty() || !append_to_config.is_empty() {
            let edits = edit_object(
                text,
                config.object,
                &items,
                &remove_from_config,
                &append_to_config,
                &self.style,
            );
            self.edits.extend(edits);
        }
    }

    /// Fixes one `experimental` object. New top-level properties go to `to_config`. Returns
    /// whether it is left empty (its holder is then removed instead, and its own edits dropped).
    fn experimental(&mut self, object: Node<'t>, top_level: &HashSet<&str>, to_config: &mut Vec<NewProp>) -> bool {
        let text = self.text();
        let items = object_items(object);
        let allow_moves = self.file.target.allows(Needs::NEXT_15);
        let mut remove = Vec::new();
        let mut edits = Vec::new();
        let mut moved = Vec::new();
        let mut actions_object: Option<Node> = None;
        let mut actions_unreadable = false;
        let mut body_size: Option<(usize, Node)> = None;
        for (index, item) in items.iter().enumerate() {
            match item.kind() {
                "spread_element" => {
                    self.note(
                        *item,
                        format!("`{}` in `experimental` may carry {KEYS}, which this transform would change; check it by hand", snippet(text, *item)),
                    );
                    continue;
                }
                "shorthand_property_identifier" => {
                    let name = &text[item.byte_range()];
                    if name == SERVER_ACTIONS || name == BODY_SIZE_LIMIT || MOVES.iter().any(|(old, _)| *old == name) {
                        self.note(*item, format!("`{name}` in `experimental` takes its value from a variable this tool does not follow; update it by hand"));
                        actions_unreadable |= name == SERVER_ACTIONS;
                    }
                    continue;
                }
                "pair" => {}
                _ => continue,
            }
            let (Some(key), Some(value)) = (item.child_by_field_name("key"), item.child_by_field_name("value")) else {
                continue;
            };
            let Some(name) = key_name(text, key) else {
                self.note(
                    key,
                    format!("`experimental` has a computed key `{}` this tool cannot read; if it is {KEYS}, update it by hand", snippet(text, key)),
                );
                continue;
            };
            match name {
                SERVER_ACTIONS => match value.kind() {
                    "true" | "false" => {
                        remove.push(index);
                        if value.kind() == "false" {
                            self.note(*item, "`serverActions: false` was removed: Server Actions are always on since Next 14 and cannot be turned off any more; remove the Server Actions themselves if the app must not have them".to_string());
                        }
                    }
                    "object" => actions_object = actions_object.or(Some(value)),
                    _ => {
                        actions_unreadable = true;
                        self.note(*item, format!("`serverActions` is set to something this tool cannot read (`{}`); if it is a boolean, remove it: Server Actions are always on since Next 14", snippet(text, value)));
                    }
                },
                BODY_SIZE_LIMIT => body_size = body_size.or(Some((index, *item))),
                _ => {
                    let Some((_, new)) = MOVES.iter().find(|(old, _)| *old == name) else {
                        continue;
                    };
                    if !allow_moves {
                        self.outcome.held_back += 1;
                        continue;
                    }
                    if top_level.contains(new) {
                        self.note(*item, format!("`{name}` was not moved: the config already has a top-level `{new}`; merge the two by hand and remove this key (Next 15 ignores it)"));
                        continue;
                    }
                    remove.push(index);
                    moved.push(new_prop(text, *item, new, value));
                }
            }
        }

        // serverActionsBodySizeLimit → serverActions.bodySizeLimit
        if let Some((index, item)) = body_size
            && let Some(value) = item.child_by_field_name("value")
            && let Some(key) = item.child_by_field_name("key")
        {
            match actions_object {
                Some(actions) => {
                    let actions_items = object_items(actions);
                    let existing = actions_items
                        .iter()
                        .find(|i| pair_key(text, **i) == Some("bodySizeLimit"));
                    remove.push(index);
                    match existing.and_then(|e| e.child_by_field_name("value")) {
                        Some(kept) => self.note(
                            item,
                            format!(
                                "`{BODY_SIZE_LIMIT}: {}` was removed; the existing `serverActions.bodySizeLimit` (`{}`) was kept — change it if the old value was the one you meant",
                                snippet(text, value),
                                snippet(text, kept)
                            ),
                        ),
                        None => {
                            let prop = new_prop(text, item, "bodySizeLimit", value);
                            edits.extend(edit_object(text, actions, &actions_items, &[], &[prop], &self.style));
                        }
                    }
                }
                None if actions_unreadable => {
                    self.note(item, format!("`{BODY_SIZE_LIMIT}` was not moved into `serverActions`, whose value this tool cannot read; move it there as `bodySizeLimit` by hand"));
                }
                None => {
                    // Takes the old key's place (a boolean serverActions beside it is removed above).
                    edits.push(Edit::replace(key.byte_range(), SERVER_ACTIONS));
                    edits.push(Edit::insert(value.start_byte(), "{ bodySizeLimit: "));
                    edits.push(Edit::insert(value.end_byte(), " }"));
                }
            }
        }

        remove.sort_unstable();
        remove.dedup();
        if !moved.is_empty() {
            self.moved = true;
        }
        to_config.extend(moved);
        if !items.is_empty() && remove.len() == items.len() {
            return true;
        }
        if !remove.is_empty() {
            edits.extend(edit_object(text, object, &items, &remove, &[], &self.style));
        }
        self.edits.extend(edits);
        false
    }

    /// `x.experimental.serverActions = true;` and the other member assignments.
    fn member_assignment(&mut self, assignment: &Assignment<'t>, top_level: &HashSet<&str>, object_elsewhere: bool) {
        let text = self.text();
        let [first, key] = assignment.path.as_slice() else {
            return;
        };
        if first != "experimental" {
            return;
        }
        let right = assignment.right;
        match key.as_str() {
            SERVER_ACTIONS => match right.kind() {
                "true" | "false" => {
                    let statement = assignment.statement;
                    self.edits
                        .push(Edit::delete(removal_range(text, statement, statement.end_byte())));
                    if right.kind() == "false" {
                        self.note(statement, "`serverActions = false` was removed: Server Actions are always on since Next 14 and cannot be turned off any more; remove the Server Actions themselves if the app must not have them".to_string());
                    }
                }
                "object" => {}
                _ => self.note(assignment.statement, format!("`serverActions` is set to something this tool cannot read (`{}`); if it is a boolean, remove it: Server Actions are always on since Next 14", snippet(text, right))),
            },
            BODY_SIZE_LIMIT => {
                if object_elsewhere {
                    self.note(assignment.statement, format!("`{BODY_SIZE_LIMIT}` was not rewritten: this file also sets `experimental.serverActions` as an object; move the value into it as `bodySizeLimit` by hand"));
                    return;
                }
                let Some(property) = assignment.left.child_by_field_name("property") else {
                    return;
                };
                self.edits.push(Edit::replace(property.byte_range(), SERVER_ACTIONS));
                self.edits.push(Edit::insert(right.start_byte(), "{ bodySizeLimit: "));
                self.edits.push(Edit::insert(right.end_byte(), " }"));
            }
            _ => {
                let Some((_, new)) = MOVES.iter().find(|(old, _)| old == key) else {
                    return;
                };
                if !self.file.target.allows(Needs::NEXT_15) {
                    self.outcome.held_back += 1;
                    return;
                }
                if top_level.contains(new) {
                    self.note(assignment.statement, format!("`{key}` was not moved: the config already has a top-level `{new}`; merge the two by hand and remove this assignment (Next 15 ignores it)"));
                    return;
                }
                // x.experimental.serverComponentsExternalPackages → x.serverExternalPackages
                let Some(experimental) = assignment
                    .left
                    .child_by_field_name("object")
                    .and_then(|o| o.child_by_field_name("property"))
                else {
                    return;
                };
                self.edits
                    .push(Edit::replace(experimental.start_byte()..assignment.left.end_byte(), *new));
                self.moved = true;
            }
        }
    }
}

/// The property `item` under a new key, with the comments that leave with it.
fn new_prop(text: &str, item: Node, key: &str, value: Node) -> NewProp {
    let (leading, trailing) = attached_comments(text, item);
    NewProp {
        key: key.to_string(),
        value: text[value.byte_range()].to_string(),
        from_indent: indent_at(text, item.start_byte()).to_string(),
        leading: leading.iter().map(|c| text[c.byte_range()].to_string()).collect(),
        trailing: trailing.map(|c| text[c.byte_range()].to_string()),
    }
}

/// The comments a whole-line removal of `item` takes: own-line comments directly above it and a
/// comment after it on its last line. None when the item does not have its own lines.
fn attached_comments<'t>(text: &str, item: Node<'t>) -> (Vec<Node<'t>>, Option<Node<'t>>) {
    let end = comma_after(item).map_or(item.end_byte(), |c| c.end_byte());
    if line_start_with_comments(text, item).is_none() || line_end_after(text, end).is_none() {
        return (Vec::new(), None);
    }
    let mut leading = Vec::new();
    let mut start = item.start_byte();
    let mut previous = item.prev_sibling();
    while let Some(comment) = previous.filter(|p| p.kind() == "comment" && comment_is_attached(text, *p, start)) {
        leading.insert(0, comment);
        start = comment.start_byte();
        previous = comment.prev_sibling();
    }
    let trailing = item
        .next_sibling()
        .filter(|n| n.kind() == ",")
        .map_or(item.next_sibling(), |comma| comma.next_sibling())
        .filter(|n| n.kind() == "comment" && !text[end..n.start_byte()].contains('\n'));
    (leading, trailing)
}

/// Whether `comment` sits on lines of its own directly above `start` (no blank line between).
fn comment_is_attached(text: &str, comment: Node, start: usize) -> bool {
    let gap = &text[comment.end_byte()..start];
    own_line(text, comment.start_byte()) && gap.trim().is_empty() && gap.matches('\n').count() <= 1
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// Whether only whitespace precedes `at` on its line.
fn own_line(text: &str, at: usize) -> bool {
    text[line_start(text, at)..at].trim().is_empty()
}

/// The start of the line of `node`, moved up over the comment lines directly above it, when
/// `node` starts its line.
fn line_start_with_comments(text: &str, node: Node) -> Option<usize> {
    if !own_line(text, node.start_byte()) {
        return None;
    }
    let mut start = node.start_byte();
    let mut previous = node.prev_sibling();
    while let Some(comment) = previous.filter(|p| p.kind() == "comment" && comment_is_attached(text, *p, start)) {
        start = comment.start_byte();
        previous = comment.prev_sibling();
    }
    Some(line_start(text, start))
}

/// The start of the next line, when nothing but spaces and a comment follow `at` on its line.
fn line_end_after(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = skip_spaces(text, at);
    if text[i..].starts_with("//") {
        i += text[i..].find('\n').unwrap_or(text.len() - i);
    } else if text[i..].starts_with("/*") {
        let close = text[i..].find("*/")? + i + 2;
        if text[i..close].contains('\n') {
            return None;
        }
        i = skip_spaces(text, close);
    }
    match bytes.get(i) {
        None => Some(i),
        Some(b'\n') => Some(i + 1),
        Some(b'\r') if bytes.get(i + 1) == Some(&b'\n') => Some(i + 2),
        _ => None,
    }
}

fn skip_spaces(text: &str, at: usize) -> usize {
    at + text[at..].len() - text[at..].trim_start_matches([' ', '\t']).len()
}

/// What removing `node` (ending at `end`, its comma included) deletes: its whole lines with their
/// comments when it has lines of its own, else just itself.
fn removal_range(text: &str, node: Node, end: usize) -> Range<usize> {
    match (line_start_with_comments(text, node), line_end_after(text, end)) {
        (Some(start), Some(end)) => collapse_blank_lines(text, start..end),
        _ => node.start_byte()..skip_spaces(text, end),
    }
}

/// Whole lines to remove, plus the blank line after them when a blank line also comes before:
/// removing a paragraph leaves one blank line, not two.
fn collapse_blank_lines(text: &str, lines: Range<usize>) -> Range<usize> {
    let blank_before = lines.start > 0 && text[line_start(text, lines.start - 1)..lines.start].trim().is_empty();
    if !blank_before || lines.end >= text.len() {
        return lines;
    }
    match line_end_after(text, lines.end) {
        Some(end) if text[lines.end..end].trim().is_empty() => lines.start..end,
        _ => lines,
    }
}

/// Re-indents the lines after the first of `value` from `from` to `to`.
fn reindent(value: &str, from: &str, to: &str) -> String {
    let mut lines = value.split('\n');
    let mut out = lines.next().unwrap_or("").to_string();
    for line in lines {
        out.push('\n');
        match line.strip_prefix(from) {
            Some(rest) => {
                out.push_str(to);
                out.push_str(rest);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// Edits that remove the items at `remove` (sorted indices into `items`) from `object` and
/// append `append` as its last properties, keeping commas valid and the trailing-comma habit.
fn edit_object(
    text: &str,
    object: Node,
    items: &[Node],
    remove: &[usize],
    append: &[NewProp],
    style: &Style,
) -> Vec<Edit> {
    let n = items.len();
    let trailing = items.last().is_some_and(|item| comma_after(*item).is_some());
    let removed = |i: usize| remove.contains(&i);
    let mut edits = Vec::new();
    let mut final_run_by_lines = false;
    let mut i = 0;
    while i < n {
        if !removed(i) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j + 1 < n && removed(j + 1) {
            j += 1;
        }
        let (first, last) = (items[i], items[j]);
        let last_end = comma_after(last).map_or(last.end_byte(), |c| c.end_byte());
        match (line_start_with_comments(text, first), line_end_after(text, last_end)) {
            (Some(start), Some(end)) => {
                edits.push(Edit::delete(collapse_blank_lines(text, start..end)));
                final_run_by_lines |= j == n - 1;
            }
            _ => {
                let range = match comma_after(last) {
                    Some(comma) => first.start_byte()..skip_spaces(text, comma.end_byte()),
                    None if i > 0 => items[i - 1].end_byte()..last.end_byte(),
                    None => first.start_byte()..last.end_byte(),
                };
                edits.push(Edit::delete(range));
            }
        }
        i = j + 1;
    }
    let last_kept = (0..n).rev().find(|&k| !removed(k));
    if append.is_empty() {
        // A final property removed by lines leaves the comma of the one before it.
        if final_run_by_lines
            && !trailing
            && let Some(comma) = last_kept.and_then(|k| comma_after(items[k]))
        {
            edits.push(Edit::delete(comma.byte_range()));
        }
        return edits;
    }
    let close = object.end_byte().saturating_sub(1);
    let nl = style.newline;
    let lines = |indent: &str, edits: &mut Vec<Edit>, at: usize| {
        let mut added = String::new();
        for (index, prop) in append.iter().enumerate() {
            for comment in &prop.leading {
                added.push_str(&format!("{nl}{indent}{}", reindent(comment, &prop.from_indent, indent)));
            }
            let comma = if index + 1 < append.len() || trailing { "," } else { "" };
            let value = reindent(&prop.value, &prop.from_indent, indent);
            added.push_str(&format!("{nl}{indent}{}: {value}{comma}", prop.key));
            if let Some(comment) = &prop.trailing {
                added.push_str(&format!(" {comment}"));
            }
        }
        edits.push(Edit::insert(at, added));
    };
    let inline_text = |prefix: &str| {
        let joined: Vec<String> = append.iter().map(|p| format!("{}: {}", p.key, p.value)).collect();
        format!("{prefix}{}{}", joined.join(", "), if trailing { "," } else { "" })
    };
    match last_kept {
        Some(k) => {
            let last = items[k];
            let has_comma = if k == n - 1 {
                trailing
            } else {
                trailing || final_run_by_lines
            };
            let after = match comma_after(last) {
                Some(comma) if has_comma => comma.end_byte(),
                _ => last.end_byte(),
            };
            match text[after..close.max(after)].find('\n') {
                Some(offset) => {
                    let mut at = after + offset;
                    if at > after && text.as_bytes()[at - 1] == b'\r' {
                        at -= 1;
                    }
                    if !has_comma {
                        edits.push(Edit::insert(last.end_byte(), ","));
                    }
                    let indent = indent_at(text, last.start_byte()).to_string();
                    lines(&indent, &mut edits, at);
                }
                None => {
                    let prefix = if has_comma { " " } else { ", " };
                    edits.push(Edit::insert(after, inline_text(prefix)));
                }
            }
        }
        None => {
            let multiline = text[object.byte_range()].contains('\n');
            match items.first() {
                Some(first) if multiline => {
                    let indent = indent_at(text, first.start_byte()).to_string();
                    lines(&indent, &mut edits, object.start_byte() + 1);
                }
                Some(first) => edits.push(Edit::insert(first.start_byte(), inline_text(""))),
                None if multiline => {
                    let indent = format!("{}{}", indent_at(text, object.start_byte()), style.indent);
                    lines(&indent, &mut edits, object.start_byte() + 1);
                }
                None => edits.push(Edit::replace(object.byte_range(), format!("{{{} }}", inline_text(" ")))),
            }
        }
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply_edits;
    use crate::parse::{Lang, Parsers};
    use crate::target::Target;
    use crate::transforms::{FileContext, Options};

    /// The text after one run on `next.config.js`, and the notes' messages.
    fn fix_with(text: &str, target: Target) -> (String, Vec<String>) {
        let path = Path::new("next.config.js");
        let tree = Parsers::new().parse(Lang::Tsx, text, None).unwrap();
        let options = Options::default();
        let context = FileContext {
            path,
            target,
            options: &options,
        };
        let outcome = ServerActionsFlag.run(&context.with(text, &tree, Lang::Tsx));
        let output = apply_edits(text, &outcome.edits).unwrap();
        (output, outcome.notes.into_iter().map(|n| n.message).collect())
    }

    fn fix(text: &str) -> (String, Vec<String>) {
        fix_with(text, Target::NEXT_15)
    }

    #[test]
    fn looks_only_at_next_config_files() {
        for name in [
            "next.config.js",
            "apps/a/next.config.mjs",
            "next.config.cjs",
            "next.config.ts",
            "next.config.mts",
        ] {
            assert!(ServerActionsFlag.applies_to(Path::new(name)), "{name}");
        }
        for name in [
            "next.config.tsx",
            "lib/config.js",
            "my.next.config.js",
            "next.config.js.bak",
        ] {
            assert!(!ServerActionsFlag.applies_to(Path::new(name)), "{name}");
        }
    }

    #[test]
    fn a_file_without_the_words_gets_nothing() {
        let (out, notes) = fix("module.exports = createConfig()\n");
        assert_eq!(out, "module.exports = createConfig()\n");
        assert!(notes.is_empty());
    }

    #[test]
    fn removes_properties_inline_keeping_commas_valid() {
        let cases = [
            (
                "module.exports = { experimental: { a: 1, serverActions: true, b: 2 } }\n",
                "module.exports = { experimental: { a: 1, b: 2 } }\n",
            ),
            (
                "module.exports = { experimental: { a: 1, serverActions: true } }\n",
                "module.exports = { experimental: { a: 1 } }\n",
            ),
            (
                "module.exports = { experimental: { a: 1, serverActions: true, } }\n",
                "module.exports = { experimental: { a: 1, } }\n",
            ),
            (
                "module.exports = { a: 1, experimental: { serverActions: true } }\n",
                "module.exports = { a: 1 }\n",
            ),
            (
                "module.exports = { experimental: { serverActions: true }, a: 1 }\n",
                "module.exports = { a: 1 }\n",
            ),
            (
                "module.exports = { experimental: { serverActions: {} } }\n",
                "module.exports = { experimental: { serverActions: {} } }\n",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(fix(input).0, expected, "{input}");
        }
    }

    #[test]
    fn removes_whole_lines_with_their_comments() {
        let input = "module.exports = {\n  a: 1,\n  experimental: {\n    b: 2,\n\n    // on\n    /* really */\n    serverActions: true, // 13.4\n  },\n}\n";
        let expected = "module.exports = {\n  a: 1,\n  experimental: {\n    b: 2,\n\n  },\n}\n";
        assert_eq!(fix(input).0, expected);
        // The last property without a trailing comma: the one before loses its comma.
        let input = "module.exports = {\n  experimental: {\n    b: 2,\n    serverActions: true\n  }\n}\n";
        let expected = "module.exports = {\n  experimental: {\n    b: 2\n  }\n}\n";
        assert_eq!(fix(input).0, expected);
    }

    #[test]
    fn merges_the_body_size_limit_into_an_empty_or_inline_object() {
        let (out, _) = fix("module.exports = { experimental: { serverActions: {}, serverActionsBodySizeLimit: 1 } }\n");
        assert_eq!(
            out,
            "module.exports = { experimental: { serverActions: { bodySizeLimit: 1 } } }\n"
        );
        let (out, _) = fix(
            "module.exports = { experimental: { serverActions: { allowedOrigins: [] }, serverActionsBodySizeLimit: 1 } }\n",
        );
        assert_eq!(
            out,
            "module.exports = { experimental: { serverActions: { allowedOrigins: [], bodySizeLimit: 1 } } }\n"
        );
    }

    #[test]
    fn next_15_moves_wait_for_the_target() {
        let input = "export default { experimental: { serverComponentsExternalPackages: ['a'] } }\n";
        assert_eq!(fix_with(input, Target::NEXT_14), (input.to_string(), Vec::new()));
        assert_eq!(fix(input).0, "export default { serverExternalPackages: ['a'] }\n");
    }

    #[test]
    fn what_it_cannot_see_is_a_finding_without_an_edit() {
        let cases = [
            ("// serverActions: true\nconst x = 1\n", "no `module.exports =`"),
            (
                "module.exports = load('serverActions')\n",
                "could not be found statically (`load('serverActions')`",
            ),
            (
                "module.exports = { experimental: { serverActions: isProd } }\n",
                "cannot read (`isProd`)",
            ),
            (
                "module.exports = { experimental: base } // serverActions\n",
                "`experimental` is not an object literal",
            ),
            (
                "module.exports = { experimental: { serverActions } }\n",
                "takes its value from a variable",
            ),
        ];
        for (input, message) in cases {
            let (out, notes) = fix(input);
            assert_eq!(out, input);
            assert!(notes.len() == 1 && notes[0].contains(message), "{input}: {notes:?}");
        }
    }

    #[test]
    fn a_body_size_assignment_beside_an_object_is_left_alone() {
        let input = "const c = { experimental: { serverActions: { allowedOrigins: [] } } }\nc.experimental.serverActionsBodySizeLimit = '2mb'\nmodule.exports = c\n";
        let (out, notes) = fix(input);
        assert_eq!(out, input);
        assert!(notes[0].contains("also sets `experimental.serverActions` as an object"));
    }

    #[test]
    fn reindents_moved_values() {
        assert_eq!(reindent("[\n      'a',\n    ]", "    ", "  "), "[\n    'a',\n  ]");
        assert_eq!(reindent("[\n\t'a',\n]", "    ", "  "), "[\n\t'a',\n]");
    }
}
