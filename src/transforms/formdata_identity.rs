//! # formdata-identity
//!
//! **What it does.** In a Server Action (an exported function of a `'use server'` module, or a
//! function whose body starts with `'use server'`), reports a value read from the action's
//! FormData whose key names who the caller is or what they may do: `userId`, `authorId`,
//! `ownerId`, `accountId`, `customerId`, `tenantId`, `orgId`, `organizationId`, `role`, `roles`,
//! `isAdmin`, `permissions`, in camel, snake or kebab case (`tenant_id`, `org-id`). The reads
//! are `formData.get('k')`, `formData.getAll('k')`, a property of `Object.fromEntries(formData)`
//! and a property of a schema's `parse`/`safeParse` of it. A finding only.
//!
//! **Why.** The guide's Fix 6: a form field is whatever the client sends. An action that takes
//! the author or the organisation from a hidden input lets anyone act as anyone.
//!
//! **Example.**
//! ```text
//! 'use server';
//! export async function createPost(formData: FormData) {
//!   const authorId = formData.get('authorId');   ← warning: `authorId` is read from the form …
//! ```
//!
//! **Not applied.** A value the action compares with one from a session or auth call (`auth()`,
//! `getServerSession`, `currentUser`, `getSession`, `getUser`, `verifySession`, a call on
//! `cookies()`) before it uses it. The FormData is the action's parameter typed `FormData` or
//! named `formData`; values that reach the action otherwise (bound arguments, a wrapper's
//! parsed input) are not followed.

use crate::directives::{self, Action, nodes_of};
use crate::fix::Outcome;
use crate::syntax::string_value;
use crate::syntax::unwrap_expression as unwrap_value;
use crate::transforms::{Meta, SourceFile, Transform};
use rustc_hash::{FxHashMap, FxHashSet};
use tree_sitter::Node;

pub struct FormdataIdentity;

static META: Meta = Meta {
    name: "formdata-identity",
    summary: "a Server Action takes a user, owner, organisation or role from its FormData (a finding only)",
    words: &[&["use server", "formData"], &["use server", "FormData"]],
    needs: "nothing (a finding only)",
    queries: &[&directives::STATEMENTS],
};

/// The keys that name identity or authority, as words (each is accepted in camel, snake and
/// kebab case).
const IDENTITY_KEYS: &[&[&str]] = &[
    &["user", "id"],
    &["author", "id"],
    &["owner", "id"],
    &["account", "id"],
    &["customer", "id"],
    &["tenant", "id"],
    &["org", "id"],
    &["organization", "id"],
    &["role"],
    &["roles"],
    &["is", "admin"],
    &["permissions"],
];

/// Calls whose result tells who the caller is.
const SESSION_CALLS: &[&str] = &[
    "auth",
    "getServerSession",
    "currentUser",
    "getSession",
    "getUser",
    "verifySession",
    "cookies",
];

impl Transform for FormdataIdentity {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn run(&self, file: &SourceFile) -> Outcome {
        let mut outcome = Outcome::default();
        let actions = directives::server_actions(file);
        for action in &actions {
            for read in identity_reads(file, action, &actions) {
                outcome.note(
                    read.at,
                    format!(
                        "`{}` is read from the form data: a client can send any value; take it from the session (see the guide's Fix 6)",
                        read.key
                    ),
                );
            }
        }
        outcome
    }
}

/// What a name or an expression holds, as far as the FormData goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Held {
    FormData,
    /// `Object.fromEntries(formData)`, or a schema's parse of it: the fields by name.
    Fields,
    /// A `safeParse` result: its `data` holds the fields.
    SafeResult,
}

/// One identity value read from the form.
struct Read<'t> {
    key: String,
    /// Where the finding points: the key's string or property name.
    at: usize,
    /// The read expression (or the destructuring property).
    node: Node<'t>,
    /// The local names the value is bound to.
    names: Vec<String>,
}

/// The identity reads of one action that no session comparison guards.
fn identity_reads<'t>(file: &SourceFile<'t>, action: &Action<'t>, actions: &[Action<'t>]) -> Vec<Read<'t>> {
    let mut held: FxHashMap<String, Held> = FxHashMap::default();
    for name in formdata_parameters(file, action.function) {
        held.insert(name, Held::FormData);
    }
    if held.is_empty() {
        return Vec::new();
    }
    let nodes = nodes_of(action.function, actions);
    let mut reads = Vec::new();
    for &node in &nodes {
        match node.kind() {
            "variable_declarator" => {
                let (Some(pattern), Some(value)) =
                    (node.child_by_field_name("name"), node.child_by_field_name("value"))
                else {
                    continue;
                };
                if let Some(kind) = classify(file, value, &held) {
                    bind(file, pattern, kind, &mut held, &mut reads);
                }
            }
            "member_expression" | "subscript_expression" => {
                let Some(object) = node.child_by_field_name("object") else {
                    continue;
                };
                if classify(file, object, &held) != Some(Held::Fields) {
                    continue;
                }
                let key = match node.kind() {
                    "member_expression" => node.child_by_field_name("property"),
                    _ => node.child_by_field_name("index").filter(|i| i.kind() == "string"),
                };
                if let Some(key) = key {
                    push_read(file, key, node, &mut reads);
                }
            }
            "call_expression" => {
                let Some(callee) = node
                    .child_by_field_name("function")
                    .filter(|f| f.kind() == "member_expression")
                else {
                    continue;
                };
                let method = callee.child_by_field_name("property").map(|p| file.node_text(p));
                if !matches!(method, Some("get" | "getAll")) {
                    continue;
                }
                let on_form = callee
                    .child_by_field_name("object")
                    .is_some_and(|o| classify(file, o, &held) == Some(Held::FormData));
                let key = first_argument(node).filter(|a| a.kind() == "string");
                if let (true, Some(key)) = (on_form, key) {
                    push_read(file, key, node, &mut reads);
                }
            }
            _ => {}
        }
    }
    if reads.is_empty() {
        return reads;
    }
    let guard = SessionGuard::new(file, &nodes);
    reads.retain(|read| !guard.checks(file, read, &nodes));
    reads
}

/// The action's parameters that hold its FormData: typed `FormData`, or named `formData`.
fn formdata_parameters(file: &SourceFile, function: Node) -> Vec<String> {
    if let Some(single) = function.child_by_field_name("parameter") {
        let name = file.node_text(single);
        return if name == "formData" {
            vec![name.to_string()]
        } else {
            Vec::new()
        };
    }
    let Some(parameters) = function.child_by_field_name("parameters") else {
        return Vec::new();
    };
    let mut c = parameters.walk();
    parameters
        .named_children(&mut c)
        .filter_map(|p| {
            let pattern = if p.kind() == "identifier" {
                Some(p)
            } else {
                p.child_by_field_name("pattern")
            };
            let pattern = pattern.filter(|n| n.kind() == "identifier")?;
            let typed = p
                .child_by_field_name("type")
                .and_then(|t| t.named_child(0))
                .is_some_and(|t| file.node_text(t) == "FormData");
            let name = file.node_text(pattern);
            (typed || name == "formData").then(|| name.to_string())
        })
        .collect()
}

/// What `node` holds: the FormData, its fields, or a safeParse result.
fn classify(file: &SourceFile, node: Node, held: &FxHashMap<String, Held>) -> Option<Held> {
    let node = unwrap(node);
    match node.kind() {
        "identifier" => held.get(file.node_text(node)).copied(),
        "member_expression" => {
            let property = node.child_by_field_name("property")?;
            let object = node.child_by_field_name("object")?;
            (file.node_text(property) == "data" && classify(file, object, held) == Some(Held::SafeResult))
                .then_some(Held::Fields)
        }
        "call_expression" => {
            let callee = node.child_by_field_name("function")?;
            let argument = first_argument(node)?;
            if callee.kind() != "member_expression" {
                return None;
            }
            let method = file.node_text(callee.child_by_field_name("property")?);
            let object = callee.child_by_field_name("object")?;
            match method {
                "fromEntries" if file.node_text(object) == "Object" => {
                    let of_form = classify(file, argument, held) == Some(Held::FormData)
                        || is_entries_of_form(file, argument, held);
                    of_form.then_some(Held::Fields)
                }
                "parse" | "parseAsync" if classify(file, argument, held) == Some(Held::Fields) => Some(Held::Fields),
                "safeParse" | "safeParseAsync" if classify(file, argument, held) == Some(Held::Fields) => {
                    Some(Held::SafeResult)
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// `formData.entries()`.
fn is_entries_of_form(file: &SourceFile, node: Node, held: &FxHashMap<String, Held>) -> bool {
    let node = unwrap(node);
    let Some(callee) = node
        .child_by_field_name("function")
        .filter(|f| node.kind() == "call_expression" && f.kind() == "member_expression")
    else {
        return false;
    };
    callee
        .child_by_field_name("property")
        .is_some_and(|p| file.node_text(p) == "entries")
        && callee
            .child_by_field_name("object")
            .is_some_and(|o| classify(file, o, held) == Some(Held::FormData))
}

/// Binds the names of `pattern` to what its value holds; a destructured field is a read.
fn bind<'t>(
    file: &SourceFile<'t>,
    pattern: Node<'t>,
    kind: Held,
    held: &mut FxHashMap<String, Held>,
    reads: &mut Vec<Read<'t>>,
) {
    if pattern.kind() == "identifier" {
        held.insert(file.node_text(pattern).to_string(), kind);
        return;
    }
    if pattern.kind() != "object_pattern" || kind == Held::FormData {
        return;
    }
    let mut c = pattern.walk();
    for property in pattern.named_children(&mut c) {
        let (key, value) = match property.kind() {
            "shorthand_property_identifier_pattern" => (property, None),
            "object_assignment_pattern" => match property.child_by_field_name("left") {
                Some(left) => (left, None),
                None => continue,
            },
            "pair_pattern" => match property.child_by_field_name("key") {
                Some(key) => (key, property.child_by_field_name("value")),
                None => continue,
            },
            _ => continue,
        };
        match kind {
            Held::Fields => {
                let key_text = key_text(file, key);
                if !is_identity_key(key_text) {
                    continue;
                }
                let local = value.map(unwrap_default).unwrap_or(key);
                let names = if matches!(local.kind(), "identifier" | "shorthand_property_identifier_pattern") {
                    vec![file.node_text(local).to_string()]
                } else {
                    Vec::new()
                };
                reads.push(Read {
                    key: key_text.to_string(),
                    at: key.start_byte(),
                    node: property,
                    names,
                });
            }
            Held::SafeResult if key_text(file, key) == "data" => match value.map(unwrap_default) {
                None => {
                    held.insert("data".to_string(), Held::Fields);
                }
                Some(inner) => bind(file, inner, Held::Fields, held, reads),
            },
            _ => {}
        }
    }
}

/// `{ a = 1 }`'s pattern `a`, `{ a: b = 1 }`'s `b`.
fn unwrap_default(node: Node) -> Node {
    if node.kind() == "assignment_pattern" {
        return node.child_by_field_name("left").unwrap_or(node);
    }
    node
}

fn key_text<'a>(file: &SourceFile<'a>, key: Node) -> &'a str {
    if key.kind() == "string" {
        string_value(file.text, key)
    } else {
        &file.text[key.byte_range()]
    }
}

fn push_read<'t>(file: &SourceFile<'t>, key: Node<'t>, node: Node<'t>, reads: &mut Vec<Read<'t>>) {
    let text = key_text(file, key);
    if !is_identity_key(text) {
        return;
    }
    reads.push(Read {
        key: text.to_string(),
        at: key.start_byte(),
        node,
        names: bound_names(file, node),
    });
}

/// The name a read value is stored under: `const userId = String(formData.get('userId'))`.
fn bound_names(file: &SourceFile, read: Node) -> Vec<String> {
    let mut node = read;
    for _ in 0..8 {
        let Some(parent) = node.parent() else {
            break;
        };
        match parent.kind() {
            "variable_declarator" => {
                return parent
                    .child_by_field_name("name")
                    .filter(|n| n.kind() == "identifier" && parent.child_by_field_name("value") == Some(node))
                    .map(|n| vec![file.node_text(n).to_string()])
                    .unwrap_or_default();
            }
            // Conversions and fallbacks keep the value: `String(…)`, `….toString()`, `… ?? ''`.
            "parenthesized_expression"
            | "as_expression"
            | "satisfies_expression"
            | "non_null_expression"
            | "await_expression"
            | "arguments"
            | "call_expression"
            | "member_expression"
            | "binary_expression" => {
                node = parent;
            }
            _ => break,
        }
    }
    Vec::new()
}

fn first_argument(call: Node) -> Option<Node> {
    let arguments = call.child_by_field_name("arguments")?;
    if arguments.kind() != "arguments" {
        return None;
    }
    let mut c = arguments.walk();
    arguments.named_children(&mut c).find(|n| n.kind() != "comment")
}

fn unwrap(node: Node) -> Node {
    let mut node = unwrap_value(node);
    while node.kind() == "await_expression" {
        let Some(inner) = node.named_child(0) else {
            break;
        };
        node = unwrap_value(inner);
    }
    node
}

/// Whether `key` names identity or authority in camel, snake or kebab case.
fn is_identity_key(key: &str) -> bool {
    IDENTITY_KEYS.iter().any(|words| {
        let camel: String = words
            .iter()
            .enumerate()
            .map(|(i, w)| if i == 0 { w.to_string() } else { capitalised(w) })
            .collect();
        key == camel || key == words.join("_") || key == words.join("-")
    })
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

/// The session side of an action: the names bound to what a session or auth call returned.
struct SessionGuard {
    names: FxHashSet<String>,
}

impl SessionGuard {
    fn new(file: &SourceFile, nodes: &[Node]) -> SessionGuard {
        let mut guard = SessionGuard {
            names: FxHashSet::default(),
        };
        for node in nodes.iter().filter(|n| n.kind() == "variable_declarator") {
            let (Some(pattern), Some(value)) = (node.child_by_field_name("name"), node.child_by_field_name("value"))
            else {
                continue;
            };
            if guard.mentions_session(file, value) {
                let mut stack = vec![pattern];
                while let Some(n) = stack.pop() {
                    if matches!(n.kind(), "identifier" | "shorthand_property_identifier_pattern") {
                        guard.names.insert(file.node_text(n).to_string());
                    }
                    let mut c = n.walk();
                    stack.extend(n.named_children(&mut c));
                }
            }
        }
        guard
    }

    /// Whether `node` holds a session call or a name bound to one's result.
    fn mentions_session(&self, file: &SourceFile, node: Node) -> bool {
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            match n.kind() {
                "identifier" if self.names.contains(file.node_text(n)) => return true,
                "call_expression" => {
                    let callee = n.child_by_field_name("function").map(|f| match f.kind() {
                        "member_expression" => f.child_by_field_name("property").unwrap_or(f),
                        _ => f,
                    });
                    if callee.is_some_and(|c| SESSION_CALLS.contains(&file.node_text(c))) {
                        return true;
                    }
                }
                _ => {}
            }
            let mut c = n.walk();
            stack.extend(n.named_children(&mut c));
        }
        false
    }

    /// Whether the action compares `read` with a session value before it uses it.
    fn checks(&self, file: &SourceFile, read: &Read, nodes: &[Node]) -> bool {
        // An expression read (`formData.get('userId')`, `fields.userId`) may be compared as
        // written; a destructured field only through the names it binds (its text is a bare
        // name that longer names contain).
        let read_text = (!read.node.kind().contains("pattern")).then(|| file.node_text(read.node));
        let mentions_value = |side: Node| {
            read_text.is_some_and(|text| file.node_text(side).contains(text))
                || refs_in(side).any(|r| read.names.iter().any(|n| n == file.node_text(r)))
        };
        let comparisons = nodes.iter().filter(|n| {
            n.kind() == "binary_expression"
                && n.child_by_field_name("operator")
                    .is_some_and(|o| matches!(file.node_text(o), "===" | "!==" | "==" | "!="))
        });
        for comparison in comparisons {
            let (Some(left), Some(right)) = (
                comparison.child_by_field_name("left"),
                comparison.child_by_field_name("right"),
            ) else {
                continue;
            };
            let guarded = (mentions_value(left) && self.mentions_session(file, right))
                || (mentions_value(right) && self.mentions_session(file, left));
            if !guarded {
                continue;
            }
            // Before any use: no reference to the value stands before the comparison.
            let inside = |n: Node| comparison.byte_range().contains(&n.start_byte());
            let first_use = nodes
                .iter()
                .filter(|n| {
                    matches!(n.kind(), "identifier" | "shorthand_property_identifier")
                        && read.names.iter().any(|name| name == file.node_text(**n))
                })
                .filter(|n| n.start_byte() > read.node.end_byte() && !inside(**n))
                .map(|n| n.start_byte())
                .chain((read.names.is_empty() && !inside(read.node)).then(|| read.node.start_byte()))
                .min();
            if first_use.is_none_or(|at| comparison.start_byte() < at) {
                return true;
            }
        }
        false
    }
}

/// The identifiers under `node` (value references, not property names).
fn refs_in(node: Node) -> impl Iterator<Item = Node> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if matches!(n.kind(), "identifier" | "shorthand_property_identifier") {
            out.push(n);
        }
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c));
    }
    out.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_keys_in_three_cases() {
        for key in [
            "userId",
            "user_id",
            "user-id",
            "orgId",
            "org-id",
            "organization_id",
            "isAdmin",
            "is_admin",
            "roles",
            "permissions",
            "tenant_id",
        ] {
            assert!(is_identity_key(key), "{key}");
        }
        for key in [
            "userid",
            "UserId",
            "user",
            "id",
            "email",
            "password",
            "roleName",
            "adminNote",
            "userIds",
        ] {
            assert!(!is_identity_key(key), "{key}");
        }
    }
}
