//! # missing-revalidate
//!
//! **What it does.** Reports a Server Action (an exported function of a `'use server'` module,
//! or a function whose body starts with `'use server'`) that awaits a mutation and calls
//! nothing that revalidates. A mutation is a call whose method is `create`, `createMany`,
//! `update`, `updateMany`, `upsert`, `delete`, `deleteMany`, `insert`, `destroy`, `save` or
//! `remove` on a chain (`db.post.create(…)`, `db.insert(posts).values(…)`), or a tagged template
//! or `execute` whose SQL starts with `INSERT`, `UPDATE` or `DELETE`. Revalidating is a call of
//! `revalidatePath`, `revalidateTag`, or Next 16's `updateTag`/`refresh` from `next/cache`,
//! anywhere in the action or in a function of the same module it calls. A finding only.
//!
//! **Why.** The guide's Fix 2: after a mutation the cached page keeps showing the old data
//! ("the action works but the page does not update") until something revalidates it.
//!
//! **Example.**
//! ```text
//! 'use server';
//! export async function addPost(formData: FormData) {   ← warning: `db.post.create(…)` …
//!   await db.post.create({ data: { title: String(formData.get('title')) } });
//! }
//! ```
//!
//! **Not applied.** `redirect()` does not count as revalidating (the guide revalidates before
//! it). Creating a Stripe checkout or billing-portal session is not a mutation of the app's data,
//! and a cookie set or deleted needs no revalidation (Next renders the page again by itself). Mutations that are not awaited where the action stands (`return db.post.create(…)`,
//! `Promise.all([...])`), calls of functions that mutate, and revalidation done by a function
//! of another module are not seen.

use crate::directives::{self, Action, nodes_of};
use crate::fix::Outcome;
use crate::scope::{BindingKind, Imported, ScopeTree};
use crate::syntax::string_value;
use crate::syntax::unwrap_expression as unwrap_value;
use crate::transforms::{Meta, SourceFile, Transform};
use tree_sitter::Node;

pub struct MissingRevalidate;

static META: Meta = Meta {
    name: "missing-revalidate",
    summary: "a Server Action awaits a mutation and never revalidates (a finding only)",
    words: &[
        &["use server", "create"],
        &["use server", "update"],
        &["use server", "upsert"],
        &["use server", "delete"],
        &["use server", "insert"],
        &["use server", "destroy"],
        &["use server", "save"],
        &["use server", "remove"],
        &["use server", "INSERT"],
        &["use server", "UPDATE"],
        &["use server", "DELETE"],
    ],
    needs: "nothing (a finding only)",
    queries: &[&directives::STATEMENTS],
};

/// The methods whose call on a chain changes stored data (Prisma, Drizzle, Sequelize, TypeORM,
/// Mongoose, Supabase and most ORMs name them so).
const MUTATION_METHODS: &[&str] = &[
    "create",
    "createMany",
    "update",
    "updateMany",
    "upsert",
    "delete",
    "deleteMany",
    "insert",
    "destroy",
    "save",
    "remove",
];

/// Receivers whose `create` makes no data a page of the app shows: Stripe's checkout and
/// billing-portal sessions exist to send the user to Stripe (found on
/// vercel/nextjs-subscription-payments, see DOCTOR.md).
const REDIRECT_SESSIONS: &[&str] = &["checkout.sessions", "billingPortal.sessions"];

/// The statements a SQL mutation starts with.
const SQL_MUTATIONS: &[&str] = &["INSERT", "UPDATE", "DELETE"];

/// What next/cache exports that makes Next render a page again; the first two count by name
/// wherever they come from (a project's own wrapper of them revalidates too).
const REVALIDATING: &[&str] = &["revalidatePath", "revalidateTag", "updateTag", "refresh"];
const REVALIDATING_BY_NAME: &[&str] = &["revalidatePath", "revalidateTag"];

impl Transform for MissingRevalidate {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn run(&self, file: &SourceFile) -> Outcome {
        let mut outcome = Outcome::default();
        let actions = directives::server_actions(file);
        for action in &actions {
            let nodes = nodes_of(action.function, &actions);
            let Some(mutation) = nodes
                .iter()
                .filter(|n| n.kind() == "await_expression")
                .find_map(|n| n.named_child(0).and_then(|awaited| mutation_of(file, &nodes, awaited)))
            else {
                continue;
            };
            // Built once per file and shared by the rules (SourceFile caches it).
            let scopes = file.scopes();
            let mut visited = Vec::new();
            if revalidates(file, scopes, &nodes, &mut visited) {
                continue;
            }
            outcome.note(
                action.at,
                format!(
                    "{} awaits {mutation} and calls no revalidatePath(), revalidateTag(), updateTag() or refresh(): the page that shows this data keeps its cached version until it is revalidated",
                    describe(action)
                ),
            );
        }
        outcome
    }
}

fn describe(action: &Action) -> String {
    action
        .name
        .as_ref()
        .map_or_else(|| "this Server Action".to_string(), |name| format!("`{name}`"))
}

/// The mutation an awaited expression performs, for the message: `` `db.post.update(…)` ``,
/// or `` an SQL UPDATE (`sql` template) ``.
fn mutation_of(file: &SourceFile, nodes: &[Node], awaited: Node) -> Option<String> {
    let mut node = awaited;
    loop {
        node = unwrap_value(node);
        match node.kind() {
            "call_expression" => {
                let callee = node.child_by_field_name("function")?;
                let arguments = node.child_by_field_name("arguments")?;
                if arguments.kind() == "template_string" {
                    return sql_mutation(file, arguments)
                        .map(|keyword| format!("an SQL {keyword} (`{}` template)", short(file, callee)));
                }
                if callee.kind() != "member_expression" {
                    return None;
                }
                let method = file.node_text(callee.child_by_field_name("property")?);
                let not_data = creates_a_redirect_session(file, callee) || on_cookie_store(file, nodes, callee);
                if MUTATION_METHODS.contains(&method) && !not_data {
                    return Some(format!("`{}`", short(file, node)));
                }
                if method == "execute" {
                    let mut c = arguments.walk();
                    let first = arguments.named_children(&mut c).find(|n| n.kind() != "comment");
                    if let Some(keyword) = first.and_then(|sql| sql_of(file, sql)) {
                        return Some(format!("an SQL {keyword} (`{}(…)`)", short(file, callee)));
                    }
                }
                node = callee.child_by_field_name("object")?;
            }
            "member_expression" => node = node.child_by_field_name("object")?,
            _ => return None,
        }
    }
}

/// Whether `callee` (`stripe.checkout.sessions.create`) creates one of [`REDIRECT_SESSIONS`].
fn creates_a_redirect_session(file: &SourceFile, callee: Node) -> bool {
    let Some(object) = callee.child_by_field_name("object") else {
        return false;
    };
    let receiver: String = file.node_text(object).split_whitespace().collect();
    REDIRECT_SESSIONS
        .iter()
        .any(|session| receiver == *session || receiver.ends_with(&format!(".{session}")))
}

/// Whether `callee` (`(await cookies()).delete`, `store.delete` with `store = await cookies()`)
/// changes a cookie: Next renders the current page again after an action sets or deletes one.
fn on_cookie_store(file: &SourceFile, nodes: &[Node], callee: Node) -> bool {
    let is_cookies_call = |node: Node| {
        let mut node = unwrap_value(node);
        while node.kind() == "await_expression" {
            match node.named_child(0) {
                Some(inner) => node = unwrap_value(inner),
                None => return false,
            }
        }
        node.kind() == "call_expression"
            && node
                .child_by_field_name("function")
                .is_some_and(|f| file.node_text(f) == "cookies")
    };
    let Some(receiver) = callee.child_by_field_name("object").map(unwrap_value) else {
        return false;
    };
    if receiver.kind() != "identifier" {
        return is_cookies_call(receiver);
    }
    let name = file.node_text(receiver);
    nodes.iter().any(|n| {
        n.kind() == "variable_declarator"
            && n.child_by_field_name("name").is_some_and(|d| file.node_text(d) == name)
            && n.child_by_field_name("value").is_some_and(is_cookies_call)
    })
}

/// The SQL mutation keyword a string, template or tagged template starts with.
fn sql_of(file: &SourceFile, node: Node) -> Option<&'static str> {
    let node = unwrap_value(node);
    match node.kind() {
        "string" => starts_with_mutation(string_value(file.text, node)),
        "template_string" => sql_mutation(file, node),
        "call_expression" => node
            .child_by_field_name("arguments")
            .filter(|a| a.kind() == "template_string")
            .and_then(|t| sql_mutation(file, t)),
        _ => None,
    }
}

fn sql_mutation(file: &SourceFile, template: Node) -> Option<&'static str> {
    let text = file.node_text(template);
    starts_with_mutation(text.strip_prefix('`').unwrap_or(text))
}

fn starts_with_mutation(sql: &str) -> Option<&'static str> {
    let sql = sql.trim_start();
    SQL_MUTATIONS.iter().copied().find(|keyword| {
        sql.get(..keyword.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(keyword))
            && sql[keyword.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric() && c != '_')
    })
}

/// A call chain written with its arguments elided: `db.insert(…)`, `prisma.user.update(…)`.
fn short(file: &SourceFile, node: Node) -> String {
    let node = unwrap_value(node);
    match node.kind() {
        "call_expression" => match node.child_by_field_name("function") {
            Some(callee) => format!("{}(…)", short(file, callee)),
            None => "…".to_string(),
        },
        "member_expression" => {
            let (Some(object), Some(property)) =
                (node.child_by_field_name("object"), node.child_by_field_name("property"))
            else {
                return "…".to_string();
            };
            let dot = if file.text[object.end_byte()..property.start_byte()].contains("?.") {
                "?."
            } else {
                "."
            };
            format!("{}{dot}{}", short(file, object), file.node_text(property))
        }
        "identifier" | "this" | "property_identifier" => file.node_text(node).to_string(),
        "await_expression" => format!(
            "(await {})",
            node.named_child(0).map_or("…".to_string(), |n| short(file, n))
        ),
        _ => "…".to_string(),
    }
}

/// Whether any of `nodes` calls a revalidating function, directly or through a function of
/// the same module (each followed once).
fn revalidates(file: &SourceFile, scopes: &ScopeTree, nodes: &[Node], visited: &mut Vec<usize>) -> bool {
    for call in nodes.iter().filter(|n| n.kind() == "call_expression") {
        let Some(callee) = call.child_by_field_name("function").map(unwrap_value) else {
            continue;
        };
        match callee.kind() {
            "identifier" => {
                let name = file.node_text(callee);
                if REVALIDATING_BY_NAME.contains(&name) {
                    return true;
                }
                let Some(binding) = scopes.binding_of(callee.byte_range()) else {
                    continue;
                };
                let binding = &scopes.bindings[binding];
                match &binding.kind {
                    BindingKind::Import(import) => {
                        let revalidating = import.source == "next/cache"
                            && matches!(&import.imported, Imported::Named(n) if REVALIDATING.contains(&n.as_str()));
                        if revalidating {
                            return true;
                        }
                    }
                    BindingKind::Function | BindingKind::Const | BindingKind::Let | BindingKind::Var
                        if binding.scope == 0 =>
                    {
                        let Some(function) = local_function(file, binding.declaration.clone()) else {
                            continue;
                        };
                        if visited.contains(&function.id()) {
                            continue;
                        }
                        visited.push(function.id());
                        if revalidates(file, scopes, &nodes_of(function, &[]), visited) {
                            return true;
                        }
                    }
                    _ => {}
                }
            }
            // `cache.revalidatePath(…)` with `import * as cache from 'next/cache'`.
            "member_expression" => {
                let (Some(object), Some(property)) = (
                    callee.child_by_field_name("object"),
                    callee.child_by_field_name("property"),
                ) else {
                    continue;
                };
                let from_next_cache = object.kind() == "identifier"
                    && scopes.is_import_of(object.byte_range(), "next/cache", &Imported::Namespace);
                if from_next_cache && REVALIDATING.contains(&file.node_text(property)) {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// The function a module-level declaration holds: the declaration itself, or the function
/// value of a `const name = …` declarator.
fn local_function<'t>(file: &SourceFile<'t>, declaration: std::ops::Range<usize>) -> Option<Node<'t>> {
    let node = file
        .tree
        .root_node()
        .descendant_for_byte_range(declaration.start, declaration.end)?;
    match node.kind() {
        "function_declaration" => Some(node),
        "variable_declarator" => node
            .child_by_field_name("value")
            .map(unwrap_value)
            .filter(|v| matches!(v.kind(), "arrow_function" | "function_expression" | "function")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_keywords_start_the_statement() {
        assert_eq!(starts_with_mutation("\n  INSERT INTO posts"), Some("INSERT"));
        assert_eq!(starts_with_mutation("update users set"), Some("UPDATE"));
        assert_eq!(starts_with_mutation("DELETE FROM x"), Some("DELETE"));
        assert_eq!(starts_with_mutation("SELECT * FROM x"), None);
        assert_eq!(starts_with_mutation("UPDATED"), None);
        assert_eq!(starts_with_mutation("deleted_at"), None);
    }
}
