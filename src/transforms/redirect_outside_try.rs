//! # redirect-outside-try
//!
//! **What it does.** Stops a `try`/`catch` from swallowing `redirect()`, `permanentRedirect()`,
//! `notFound()`, `forbidden()` and `unauthorized()` from `next/navigation`, in one of two styles:
//!
//! - *hoist* (Next 14 and 15), for a lone call that is the last statement of the try block: the
//!   call moves after the try statement. When the catch can never complete normally the call
//!   itself moves (or its argument is kept in `let redirectPath: string;` when it depends on the
//!   try); when it can, the call is guarded by a variable or flag (`if (redirectPath)
//!   redirect(redirectPath);`, `if (shouldNotFound) notFound();`).
//! - *rethrow* (Next 15), for every other call: `unstable_rethrow(err);` becomes the first
//!   statement of the catch, which keeps control flow and type narrowing exactly as they were.
//!
//! **Why.** These helpers work by throwing. A catch that handles every error catches the
//! redirect: the action "runs" but nobody is redirected (or sees `Error: NEXT_REDIRECT`), and a
//! page calling `notFound()` answers 200. The rules keep TypeScript's view of the function: the
//! hoisted call only goes unguarded where the catch never completes, so the end of the function
//! stays unreachable and inferred return types (`Promise<State>` for `useActionState`) do not
//! change.
//!
//! **Example.**
//! ```text
//! try {                                       try {
//!   await db.post.create({ data });             await db.post.create({ data });
//!   redirect('/posts');                   →   } catch (err) {
//! } catch (err) {                               return { error: 'Failed' };
//!   return { error: 'Failed' };               }
//! }                                           redirect('/posts');
//! ```
//!
//! **Not applied.** Catches that already re-throw (`unstable_rethrow(e)`, `throw e`, `if
//! (isRedirectError(e)) throw e` as their first statement). Calls in nested functions, outside any
//! try, or of a local function named `redirect`. The rethrow style with `--to 14` (Next 14 has no
//! `unstable_rethrow`) or with a destructured catch parameter: a finding instead.
//! `--redirect-style hoist|rethrow` forces one style; where it does not apply, a finding.

use crate::fix::{Edit, Outcome};
use crate::imports::{append_named, import_decls, import_insertion_point, import_statement, insert_statement};
use crate::scope::{BindingKind, Imported, ScopeId, ScopeTree, is_function_kind};
use crate::style::{Style, indent_at, line_range};
use crate::target::Needs;
use crate::transforms::{Meta, QuerySet, RedirectStyle, SourceFile, Transform, matches_around};
use std::collections::HashMap;
use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, QueryCursor};

pub struct RedirectOutsideTry;

static META: Meta = Meta {
    name: "redirect-outside-try",
    summary: "redirect()/notFound() swallowed by try/catch → call after the try, or unstable_rethrow",
    // A try that can swallow a call has a catch: "catch" is rarer than "try" (entry, retry, country).
    words: &[&["next/navigation", "catch"]],
    needs: "hoist: Next 14 or 15; rethrow: Next 15 (a finding with --to 14)",
    queries: &[&QUERY, &TRY_BLOCKS],
};

static QUERY: QuerySet = QuerySet::new(include_str!("../../transforms/redirect-outside-try.scm"));
static TRY_BLOCKS: QuerySet = QuerySet::new(include_str!("../../transforms/redirect-outside-try-tries.scm"));

const MODULE: &str = "next/navigation";
const RETHROW: &str = "unstable_rethrow";

/// One of the helpers that work by throwing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Redirect,
    PermanentRedirect,
    NotFound,
    Forbidden,
    Unauthorized,
}

impl Kind {
    fn from_name(name: &str) -> Option<Kind> {
        Some(match name {
            "redirect" => Kind::Redirect,
            "permanentRedirect" => Kind::PermanentRedirect,
            "notFound" => Kind::NotFound,
            "forbidden" => Kind::Forbidden,
            "unauthorized" => Kind::Unauthorized,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Redirect => "redirect",
            Kind::PermanentRedirect => "permanentRedirect",
            Kind::NotFound => "notFound",
            Kind::Forbidden => "forbidden",
            Kind::Unauthorized => "unauthorized",
        }
    }

    /// The variable (URL) or flag that carries the call past the try.
    fn variable(self) -> &'static str {
        match self {
            Kind::Redirect => "redirectPath",
            Kind::PermanentRedirect => "permanentRedirectPath",
            Kind::NotFound => "shouldNotFound",
            Kind::Forbidden => "shouldForbid",
            Kind::Unauthorized => "shouldUnauthorize",
        }
    }

    fn takes_url(self) -> bool {
        matches!(self, Kind::Redirect | Kind::PermanentRedirect)
    }

    /// Whether a catch's `if (<check>(e)) throw e` lets this helper's error through.
    fn passed_by(self, check: &str) -> bool {
        match check {
            "isNextRouterError" => true,
            "isRedirectError" => self.takes_url(),
            "isNotFoundError" => self == Kind::NotFound,
            "isHTTPAccessFallbackError" => !self.takes_url(),
            _ => false,
        }
    }
}

/// A call of one of the helpers, bound to the `next/navigation` import.
#[derive(Clone, Copy)]
struct Target<'t> {
    call: Node<'t>,
    kind: Kind,
}

/// What a catch clause lets through before handling the error.
#[derive(Default)]
struct Rethrows {
    /// `unstable_rethrow(e)` or `throw e` first: every helper.
    all: bool,
    /// The `isRedirectError`-like checks of leading `if (...) throw e` statements.
    checks: Vec<String>,
}

impl Rethrows {
    fn passes(&self, kind: Kind) -> bool {
        self.all || self.checks.iter().any(|c| kind.passed_by(c))
    }
}

/// How the hoisted call is carried past the try.
enum Carry {
    /// The call itself moves.
    Move,
    /// `let redirectPath: string;` … `redirect(redirectPath);` (the catch never completes).
    Variable,
    /// `let redirectPath: string | null = null;` … `if (redirectPath) redirect(redirectPath);`
    Guard,
}

impl Transform for RedirectOutsideTry {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn run(&self, file: &SourceFile) -> Outcome {
        let mut outcome = Outcome::default();
        // No value import of a helper (or of the namespace): nothing can be a target.
        // The names a helper can be called by here: its local import names, and `ns` of a
        // namespace import. Nothing imported, nothing to do; and calls by other names are
        // dropped before the scope model is built.
        let mut callee_names: Vec<String> = Vec::new();
        for decl in import_decls(file.tree, file.text)
            .iter()
            .filter(|d| d.source == MODULE && !d.type_only)
        {
            callee_names.extend(decl.namespace.iter().map(|(name, _)| name.clone()));
            let helpers = decl
                .named
                .iter()
                .filter(|s| !s.type_only && Kind::from_name(&s.imported).is_some());
            callee_names.extend(helpers.map(|s| s.local.clone()));
        }
        if callee_names.is_empty() {
            return outcome;
        }
        let calls = candidate_calls(file, &callee_names);
        if calls.is_empty() {
            return outcome;
        }
        let scopes = file.scopes();
        let tries = owning_tries(file, &scopes, &calls);
        if tries.is_empty() {
            return outcome;
        }
        let mut run = Run {
            file,
            scopes: &scopes,
            style: file.style(),
            taken: HashMap::new(),
            rethrow_callee: None,
        };
        // Tries inside one rewritten here wait for the next pass, so edits never overlap.
        let mut rewritten: Vec<std::ops::Range<usize>> = Vec::new();
        for (try_node, targets) in tries {
            let range = try_node.byte_range();
            if rewritten.iter().any(|r| r.start <= range.start && range.end <= r.end) {
                continue;
            }
            let before = outcome.edits.len();
            run.fix_try(try_node, &targets, &mut outcome);
            if outcome.edits.len() > before {
                rewritten.push(range);
            }
        }
        outcome
    }
}

/// Candidate calls from the query, `f(...)` and `ns.helper(...)`, inside the blocks of tries
/// that have a catch (the only places a call can be swallowed), in source order.
fn candidate_calls<'t>(file: &SourceFile<'t>, callee_names: &[String]) -> Vec<Node<'t>> {
    let blocks_query = TRY_BLOCKS.get(file.lang);
    let mut blocks: Vec<std::ops::Range<usize>> = Vec::new();
    let mut found: Vec<std::ops::Range<usize>> = matches_around(file.tree, file.text, blocks_query, "try")
        .iter()
        .filter_map(|m| m.captures.first().map(|(_, node)| node.byte_range()))
        .collect();
    found.sort_by_key(|b| (b.start, std::cmp::Reverse(b.end)));
    for block in found {
        // A try nested in one already listed is searched with it.
        if !blocks.iter().any(|b| b.start <= block.start && block.end <= b.end) {
            blocks.push(block);
        }
    }
    let query = QUERY.get(file.lang);
    let Some(call_index) = query.capture_index_for_name("call") else {
        return Vec::new();
    };
    let mut calls = Vec::new();
    for block in blocks {
        let mut cursor = QueryCursor::new();
        cursor.set_byte_range(block);
        let mut matches = cursor.matches(query, file.tree.root_node(), file.text.as_bytes());
        while let Some(m) = matches.next() {
            calls.extend(m.captures().iter().filter(|c| c.index == call_index).map(|c| c.node));
        }
    }
    // `go(...)` and `nav.redirect(...)`: the identifier that must be bound to the import.
    let bound_name = |call: &Node<'t>| {
        let callee = call.child_by_field_name("function")?;
        let ident = if callee.kind() == "member_expression" {
            callee.child_by_field_name("object")?
        } else {
            callee
        };
        Some(&file.text[ident.byte_range()])
    };
    calls.retain(|call| bound_name(call).is_some_and(|name| callee_names.iter().any(|n| n == name)));
    calls.sort_by_key(|n| n.start_byte());
    calls.dedup_by_key(|n| n.id());
    calls
}

/// The helper a call invokes, when its callee is bound to the `next/navigation` import.
fn target_kind(call: Node, file: &SourceFile, scopes: &ScopeTree) -> Option<Kind> {
    let callee = call.child_by_field_name("function")?;
    match callee.kind() {
        "identifier" => match import_of(scopes, callee)? {
            Imported::Named(name) => Kind::from_name(&name),
            _ => None,
        },
        "member_expression" => {
            let object = callee.child_by_field_name("object")?;
            let property = callee.child_by_field_name("property")?;
            if object.kind() != "identifier" || import_of(scopes, object)? != Imported::Namespace {
                return None;
            }
            Kind::from_name(file.node_text(property))
        }
        _ => None,
    }
}

/// What a `next/navigation` value import binds the identifier to.
fn import_of(scopes: &ScopeTree, ident: Node) -> Option<Imported> {
    let binding = scopes.binding_of(ident.byte_range())?;
    match &scopes.bindings[binding].kind {
        BindingKind::Import(import) if import.source == MODULE && !import.type_only => Some(import.imported.clone()),
        _ => None,
    }
}

/// Groups the targets by the try whose catch would swallow them: the nearest enclosing try
/// (the call in its block, not in a nested function) with a catch that does not re-throw them.
fn owning_tries<'t>(file: &SourceFile<'t>, scopes: &ScopeTree, calls: &[Node<'t>]) -> Vec<(Node<'t>, Vec<Target<'t>>)> {
    let mut tries: Vec<(Node<'t>, Vec<Target<'t>>)> = Vec::new();
    for &call in calls {
        let Some(kind) = target_kind(call, file, scopes) else {
            continue;
        };
        let Some(try_node) = owning_try(call, kind, file, scopes) else {
            continue;
        };
        let target = Target { call, kind };
        match tries.iter_mut().find(|(t, _)| t.id() == try_node.id()) {
            Some((_, targets)) => targets.push(target),
            None => tries.push((try_node, vec![target])),
        }
    }
    tries.sort_by_key(|(t, _)| t.start_byte());
    tries
}

fn owning_try<'t>(call: Node<'t>, kind: Kind, file: &SourceFile, scopes: &ScopeTree) -> Option<Node<'t>> {
    let mut child = call;
    let mut parent = call.parent();
    while let Some(node) = parent {
        if is_function_kind(node.kind()) || node.kind() == "class_static_block" {
            return None;
        }
        if node.kind() == "try_statement"
            && node.child_by_field_name("body").is_some_and(|b| b.id() == child.id())
            && let Some(handler) = node.child_by_field_name("handler")
            && !rethrows(handler, file, scopes).passes(kind)
        {
            return Some(node);
        }
        child = node;
        parent = node.parent();
    }
    None
}

/// The statements of a block, comments left out.
fn statements<'t>(block: Node<'t>) -> Vec<Node<'t>> {
    let mut c = block.walk();
    block.named_children(&mut c).filter(|n| n.kind() != "comment").collect()
}

/// What the catch re-throws before anything else.
fn rethrows(handler: Node, file: &SourceFile, scopes: &ScopeTree) -> Rethrows {
    let mut found = Rethrows::default();
    let Some(param) = handler
        .child_by_field_name("parameter")
        .filter(|p| p.kind() == "identifier")
    else {
        return found;
    };
    let Some(body) = handler.child_by_field_name("body") else {
        return found;
    };
    let param = file.node_text(param);
    let is_param = |node: Option<Node>| node.is_some_and(|n| n.kind() == "identifier" && file.node_text(n) == param);
    for statement in statements(body) {
        match statement.kind() {
            "throw_statement" if is_param(statement.named_child(0)) => found.all = true,
            "expression_statement" => {
                let call = statement.named_child(0).filter(|c| c.kind() == "call_expression");
                let is_rethrow =
                    call.is_some_and(|call| is_rethrow_call(call, file, scopes) && is_param(sole_argument(call)));
                found.all = is_rethrow;
            }
            "if_statement" => {
                let checks = rethrow_checks(statement, param, file);
                if checks.is_empty() {
                    break;
                }
                found.checks.extend(checks);
                continue;
            }
            _ => {}
        }
        break;
    }
    found
}

/// `if (isRedirectError(e) || isNotFoundError(e)) throw e;`: the check names, or none.
fn rethrow_checks(statement: Node, param: &str, file: &SourceFile) -> Vec<String> {
    let throws_param = |node: Node| {
        let throw = match node.kind() {
            "statement_block" => statements(node).first().copied(),
            _ => Some(node),
        };
        throw.is_some_and(|t| {
            t.kind() == "throw_statement"
                && t.named_child(0)
                    .is_some_and(|e| e.kind() == "identifier" && file.node_text(e) == param)
        })
    };
    let Some(consequence) = statement.child_by_field_name("consequence") else {
        return Vec::new();
    };
    if statement.child_by_field_name("alternative").is_some() || !throws_param(consequence) {
        return Vec::new();
    }
    let mut checks = Vec::new();
    let mut todo: Vec<Node> = statement.child_by_field_name("condition").into_iter().collect();
    while let Some(node) = todo.pop() {
        match node.kind() {
            "parenthesized_expression" => todo.extend(node.named_child(0)),
            "binary_expression" if node.child_by_field_name("operator").is_some_and(|o| o.kind() == "||") => {
                todo.extend(node.child_by_field_name("left"));
                todo.extend(node.child_by_field_name("right"));
            }
            "call_expression" => {
                let arg_is_param =
                    sole_argument(node).is_some_and(|a| a.kind() == "identifier" && file.node_text(a) == param);
                match callee_name(node, file) {
                    Some(name) if arg_is_param && name.starts_with("is") => checks.push(name.to_string()),
                    _ => return Vec::new(),
                }
            }
            _ => return Vec::new(),
        }
    }
    checks
}

/// `unstable_rethrow(...)`, `alias(...)` of `unstable_rethrow as alias`, or `ns.unstable_rethrow(...)`.
fn is_rethrow_call(call: Node, file: &SourceFile, scopes: &ScopeTree) -> bool {
    let Some(callee) = call.child_by_field_name("function") else {
        return false;
    };
    callee_name(call, file) == Some(RETHROW)
        || (callee.kind() == "identifier" && import_of(scopes, callee) == Some(Imported::Named(RETHROW.into())))
}

/// `f` of `f(...)` or `ns.f(...)`.
fn callee_name<'a>(call: Node, file: &SourceFile<'a>) -> Option<&'a str> {
    let callee = call.child_by_field_name("function")?;
    match callee.kind() {
        "identifier" => Some(&file.text[callee.byte_range()]),
        "member_expression" => callee
            .child_by_field_name("property")
            .map(|p| &file.text[p.byte_range()]),
        _ => None,
    }
}

/// The only argument of a call, when it has exactly one (and it is no spread).
fn sole_argument(call: Node) -> Option<Node> {
    let args = call.child_by_field_name("arguments")?;
    let list = statements(args);
    match list.as_slice() {
        [only] if only.kind() != "spread_element" => Some(*only),
        _ => None,
    }
}

/// Whether a statement can never complete normally: it ends in `return`, `throw`, a call of
/// one of the helpers, or an `if`/`else` whose branches all never complete.
fn never_completes(statement: Node, file: &SourceFile, scopes: &ScopeTree) -> bool {
    match statement.kind() {
        "return_statement" | "throw_statement" => true,
        "statement_block" => statements(statement)
            .last()
            .is_some_and(|last| never_completes(*last, file, scopes)),
        "if_statement" => {
            let branch = |field: &str| statement.child_by_field_name(field);
            let alternative = branch("alternative").and_then(|else_clause| else_clause.named_child(0));
            branch("consequence").is_some_and(|c| never_completes(c, file, scopes))
                && alternative.is_some_and(|a| never_completes(a, file, scopes))
        }
        "expression_statement" => statement
            .named_child(0)
            .filter(|e| e.kind() == "call_expression")
            .is_some_and(|call| target_kind(call, file, scopes).is_some()),
        _ => false,
    }
}

/// Whether an argument can be evaluated after the try instead of inside it with the same
/// value: literals, parameters and bindings declared outside the try that it does not assign,
/// combined by operators, without calls, `await`, `new`, assignments, `++`/`--` or `delete`.
fn is_stable(node: Node, try_node: Node, file: &SourceFile, scopes: &ScopeTree) -> bool {
    let stable = |n: Node| is_stable(n, try_node, file, scopes);
    match node.kind() {
        "string" | "number" | "true" | "false" | "null" | "undefined" => true,
        "template_string" => {
            let mut c = node.walk();
            let parts: Vec<Node> = node.named_children(&mut c).collect();
            parts.into_iter().all(|part| match part.kind() {
                "template_substitution" => part.named_child(0).is_some_and(stable),
                _ => true,
            })
        }
        "identifier" => {
            let Some(binding) = scopes.binding_of(node.byte_range()) else {
                return false;
            };
            let binding = &scopes.bindings[binding];
            let declared = &binding.ident;
            let inside = try_node.start_byte() <= declared.start && declared.end <= try_node.end_byte();
            // A `finally` runs between the call's old place and its new one: what it calls could
            // assign any binding that can be assigned.
            let assignable = matches!(
                binding.kind,
                BindingKind::Let | BindingKind::Var | BindingKind::Param | BindingKind::CatchParam
            );
            let finally = try_node.child_by_field_name("finalizer").is_some();
            let may_change = inside || (finally && assignable);
            !may_change && !assigns(try_node, file.node_text(node), file)
        }
        "binary_expression" | "ternary_expression" | "parenthesized_expression" => {
            let mut c = node.walk();
            let parts: Vec<Node> = node.named_children(&mut c).collect();
            parts.into_iter().all(stable)
        }
        "unary_expression" => {
            node.child_by_field_name("operator")
                .is_some_and(|o| o.kind() != "delete")
                && node.child_by_field_name("argument").is_some_and(stable)
        }
        "as_expression" | "satisfies_expression" | "non_null_expression" => node.named_child(0).is_some_and(stable),
        _ => false,
    }
}

/// Whether anything in `within` assigns to a name `name` (by name: shadowing only makes it
/// more careful).
fn assigns(within: Node, name: &str, file: &SourceFile) -> bool {
    let mut cursor = within.walk();
    let mut stack = vec![within];
    while let Some(node) = stack.pop() {
        if matches!(node.kind(), "identifier" | "shorthand_property_identifier_pattern")
            && file.node_text(node) == name
            && is_assigned(node)
        {
            return true;
        }
        stack.extend(node.named_children(&mut cursor));
    }
    false
}

/// Whether the identifier is written: `x = `, `x += `, `x++`, `[x] = `, `({ x } = `, `for (x of`.
fn is_assigned(ident: Node) -> bool {
    let mut node = ident;
    while let Some(parent) = node.parent() {
        let is_left = parent.child_by_field_name("left").is_some_and(|l| l.id() == node.id());
        match parent.kind() {
            "assignment_expression" | "augmented_assignment_expression" | "for_in_statement" => return is_left,
            "update_expression" => return true,
            "object_pattern"
            | "array_pattern"
            | "pair_pattern"
            | "assignment_pattern"
            | "object_assignment_pattern"
            | "rest_pattern"
            | "parenthesized_expression" => node = parent,
            _ => return false,
        }
    }
    false
}

/// The state of one run over a file.
struct Run<'a, 't> {
    file: &'a SourceFile<'t>,
    scopes: &'a ScopeTree,
    style: Style,
    /// Names this run declared, per function scope.
    taken: HashMap<ScopeId, Vec<String>>,
    /// The callee of `unstable_rethrow(err)`, once the import is settled.
    rethrow_callee: Option<String>,
}

impl<'t> Run<'_, 't> {
    fn fix_try(&mut self, try_node: Node<'t>, targets: &[Target<'t>], outcome: &mut Outcome) {
        let Some(handler) = try_node.child_by_field_name("handler") else {
            return;
        };
        let names = self.names(targets);
        let hoist = self.hoist_plan(try_node, targets);
        let partly_rethrown = !rethrows(handler, self.file, self.scopes).checks.is_empty();
        let style = match self.file.options.redirect_style {
            Some(style) => style,
            // Next 14 has no unstable_rethrow: the hoist style serves where it applies at all.
            None if hoist.is_ok() && (!partly_rethrown || !self.file.target.allows(Needs::NEXT_15)) => {
                RedirectStyle::Hoist
            }
            None => RedirectStyle::Rethrow,
        };
        match (style, hoist) {
            (RedirectStyle::Hoist, Ok(target)) => self.hoist(try_node, handler, target, outcome),
            (RedirectStyle::Hoist, Err(why)) => outcome.note(
                try_node.start_byte(),
                format!(
                    "{names} swallowed by this try's catch, and --redirect-style hoist cannot move it: {why}; move it after the try/catch by hand, or use --redirect-style rethrow (Next 15)"
                ),
            ),
            (RedirectStyle::Rethrow, _) => self.rethrow(try_node, handler, &names, outcome),
        }
    }

    /// `redirect() is`, `redirect() calls are` or `redirect() and notFound() are`, for messages.
    fn names(&self, targets: &[Target]) -> String {
        let mut names: Vec<String> = Vec::new();
        for target in targets {
            let name = format!("`{}()`", target.kind.name());
            if !names.contains(&name) {
                names.push(name);
            }
        }
        match (targets.len(), names.len()) {
            (1, _) => format!("{} is", names.join("")),
            (_, 1) => format!("{} calls are", names.join("")),
            _ => format!("{} are", names.join(" and ")),
        }
    }

    /// The target the hoist style can move, or why there is none.
    fn hoist_plan(&self, try_node: Node<'t>, targets: &[Target<'t>]) -> Result<Target<'t>, &'static str> {
        let [target] = targets else {
            return Err("it holds several such calls");
        };
        let body = try_node.child_by_field_name("body").ok_or("the try has no block")?;
        let last = statements(body).last().copied().ok_or("the try block is empty")?;
        let is_last = matches!(last.kind(), "expression_statement" | "return_statement")
            && last.named_child(0).is_some_and(|e| e.id() == target.call.id());
        if !is_last {
            return Err("the call is not the last statement of the try block");
        }
        let args = target
            .call
            .child_by_field_name("arguments")
            .ok_or("the call has no argument list")?;
        let args = statements(args);
        if args.len() > 1 || args.iter().any(|a| a.kind() == "spread_element") {
            return Err("the call has more than one argument");
        }
        let in_list = try_node.parent().is_some_and(|p| {
            matches!(
                p.kind(),
                "statement_block" | "program" | "switch_case" | "switch_default"
            )
        });
        if !in_list {
            return Err("the try statement is not in a block");
        }
        Ok(*target)
    }

    /// A name free in the function around `at`, not taken by an earlier rewrite in it.
    fn fresh(&mut self, base: &str, at: usize) -> String {
        let function = self.scopes.function_scope(self.scopes.scope_at(at));
        let taken = self.taken.entry(function).or_default();
        let name = self.scopes.fresh_name(base, function, taken);
        taken.push(name.clone());
        name
    }

    fn hoist(&mut self, try_node: Node<'t>, handler: Node<'t>, target: Target<'t>, outcome: &mut Outcome) {
        let file = self.file;
        let (Some(statement), Some(callee), Some(args)) = (
            target.call.parent(),
            target.call.child_by_field_name("function"),
            target.call.child_by_field_name("arguments"),
        ) else {
            return;
        };
        let argument = statements(args).first().copied();
        let never = handler
            .child_by_field_name("body")
            .is_some_and(|b| never_completes(b, file, self.scopes));
        let carry = match argument {
            _ if !never => Carry::Guard,
            None => Carry::Move,
            Some(arg) if is_stable(arg, try_node, file, self.scopes) => Carry::Move,
            Some(_) => Carry::Variable,
        };
        let (nl, semi) = (self.style.newline, self.style.semi());
        let indent = indent_at(file.text, try_node.start_byte()).to_string();
        let callee = file.node_text(callee);
        let after = match carry {
            Carry::Move => {
                outcome.edits.push(Edit::delete(line_range(
                    file.text,
                    statement.start_byte(),
                    statement.end_byte(),
                )));
                format!("{}{semi}", file.node_text(target.call))
            }
            Carry::Variable | Carry::Guard => {
                let name = self.fresh(target.kind.variable(), try_node.start_byte());
                let ts = file.is_typescript();
                let declaration = match carry {
                    Carry::Variable if ts => format!("let {name}: string{semi}"),
                    Carry::Variable => format!("let {name}{semi}"),
                    _ if !target.kind.takes_url() => format!("let {name} = false{semi}"),
                    _ if ts => format!("let {name}: string | null = null{semi}"),
                    _ => format!("let {name} = null{semi}"),
                };
                let value = match argument {
                    Some(arg) if target.kind.takes_url() => file.node_text(arg),
                    _ if target.kind.takes_url() => "undefined",
                    _ => "true",
                };
                outcome.edits.push(Edit::insert(
                    try_node.start_byte(),
                    format!("{declaration}{nl}{indent}"),
                ));
                outcome
                    .edits
                    .push(Edit::replace(statement.byte_range(), format!("{name} = {value}{semi}")));
                match (carry, target.kind.takes_url()) {
                    (Carry::Variable, _) => format!("{callee}({name}){semi}"),
                    (_, true) => format!("if ({name}) {callee}({name}){semi}"),
                    (_, false) => format!("if ({name}) {callee}(){semi}"),
                }
            }
        };
        // What follows the try statement must still start a statement of its own: on the same
        // line it moves to the next one, and without semicolons a `(`, `[` or template start
        // would continue the inserted call instead (found by fuzzing).
        let mut inserted = format!("{nl}{indent}{after}");
        let mut replaced = try_node.end_byte()..try_node.end_byte();
        if let Some(next) = try_node.next_sibling() {
            let gap = &file.text[try_node.end_byte()..next.start_byte()];
            if semi.is_empty() && continues_a_statement(&file.text[next.start_byte()..]) {
                inserted.push(';');
            }
            if !gap.contains('\n') && next.kind() != "}" && gap.trim().is_empty() {
                inserted.push_str(nl);
                inserted.push_str(&indent);
                replaced.end = next.start_byte();
            }
        }
        outcome.edits.push(Edit::replace(replaced, inserted));
    }

    fn rethrow(&mut self, try_node: Node<'t>, handler: Node<'t>, names: &str, outcome: &mut Outcome) {
        let file = self.file;
        if !file.target.allows(Needs::NEXT_15) {
            outcome.held_back += 1;
            outcome.note(
                try_node.start_byte(),
                format!(
                    "{names} swallowed by this try's catch; the fix, {RETHROW}() in the catch, needs Next 15 — move the call after the try/catch by hand, or run with --to 15"
                ),
            );
            return;
        }
        let param = handler.child_by_field_name("parameter");
        if param.is_some_and(|p| p.kind() != "identifier") {
            outcome.note(
                handler.start_byte(),
                format!(
                    "{names} swallowed by this catch, and its destructured parameter cannot be passed to {RETHROW}; name it (`catch (err)`) and call `{RETHROW}(err);` first in the catch"
                ),
            );
            return;
        }
        let (Some(body), Some(keyword)) = (handler.child_by_field_name("body"), handler.child(0)) else {
            return;
        };
        // The callee must mean unstable_rethrow inside this catch too: a catch parameter or a
        // local of that name would take the call, and every run would add another (found by
        // fuzzing). Its import edits are kept only when it does.
        let mut import_edits = Outcome::default();
        let callee = self.rethrow_callee(&mut import_edits);
        let root = callee.split('.').next().unwrap_or(&callee);
        if self.scopes.lookup_at(root, body.start_byte() + 1) != self.scopes.lookup(root, 0) {
            if !import_edits.edits.is_empty() {
                self.rethrow_callee = None;
            }
            outcome.note(
                handler.start_byte(),
                format!(
                    "{names} swallowed by this catch, where `{root}` names something else, so `{RETHROW}(…)` was not added — rename that binding and run again"
                ),
            );
            return;
        }
        outcome.edits.extend(import_edits.edits);
        let param = match param {
            Some(p) => file.node_text(p).to_string(),
            None => {
                let name = self.fresh("err", try_node.start_byte());
                outcome
                    .edits
                    .push(Edit::insert(keyword.end_byte(), format!(" ({name})")));
                name
            }
        };
        let mut call = format!("{callee}({param}){}", self.style.semi());
        // On the line of a following statement, the semicolon is needed in every style.
        let call_before = format!("{callee}({param}); ");
        let nl = self.style.newline;
        let open = body.start_byte() + 1;
        let mut c = body.walk();
        let first = body.named_children(&mut c).next();
        let same_line = |offset: usize| !file.text[open..offset].contains('\n');
        // Without semicolons, a first statement starting with `(`, `[` or a template would
        // continue the inserted call (found by fuzzing).
        if let Some(first) = first
            && self.style.semi().is_empty()
            && continues_a_statement(&file.text[first.start_byte()..])
        {
            call.push(';');
        }
        let edit = match first {
            Some(first) if same_line(first.start_byte()) => Edit::insert(first.start_byte(), call_before),
            Some(first) => Edit::insert(open, format!("{nl}{}{call}", indent_at(file.text, first.start_byte()))),
            None => {
                let outer = indent_at(file.text, handler.start_byte());
                let inner = format!("{outer}{}", self.style.indent);
                if same_line(body.end_byte() - 1) {
                    Edit::replace(body.byte_range(), format!("{{{nl}{inner}{call}{nl}{outer}}}"))
                } else {
                    Edit::insert(open, format!("{nl}{inner}{call}"))
                }
            }
        };
        outcome.edits.push(edit);
        outcome.needs = outcome.needs.max(Needs::NEXT_15);
    }

    /// `unstable_rethrow` (imported once: an existing import, appended to the named import from
    /// 'next/navigation', or reached through its namespace import).
    fn rethrow_callee(&mut self, outcome: &mut Outcome) -> String {
        if let Some(callee) = &self.rethrow_callee {
            return callee.clone();
        }
        let (file, scopes) = (self.file, self.scopes);
        let existing = scopes
            .imports_from(MODULE)
            // Only under a name that still means it at the top level (a duplicate import of
            // that name, found by fuzzing, would make every run add another call).
            .find(|(id, b, i)| {
                !i.type_only && i.imported == Imported::Named(RETHROW.into()) && scopes.lookup(&b.name, 0) == Some(*id)
            })
            .map(|(_, b, _)| b.name.clone());
        let callee = match existing {
            Some(local) => local,
            None => {
                let decls = import_decls(file.tree, file.text);
                let local = scopes.fresh_name(RETHROW, 0, &[]);
                let specifier = if local == RETHROW {
                    local.clone()
                } else {
                    format!("{RETHROW} as {local}")
                };
                let appended = decls
                    .iter()
                    .filter(|d| d.source == MODULE && d.braces.is_some())
                    .find_map(|d| append_named(file.text, d, &specifier, &self.style));
                let namespace = decls
                    .iter()
                    .filter(|d| d.source == MODULE && !d.type_only)
                    .find_map(|d| d.namespace.as_ref().map(|(name, _)| name.clone()));
                match (appended, namespace) {
                    (Some(edit), _) => {
                        outcome.edits.push(edit);
                        local
                    }
                    (None, Some(namespace)) => format!("{namespace}.{RETHROW}"),
                    (None, None) => {
                        let statement = import_statement(&[specifier], MODULE, &self.style);
                        let at = import_insertion_point(file.tree, file.text);
                        outcome
                            .edits
                            .push(insert_statement(file.text, at, &statement, &self.style));
                        local
                    }
                }
            }
        };
        self.rethrow_callee = Some(callee.clone());
        callee
    }
}

/// Whether a statement starting with `text` would continue the expression before it when no
/// semicolon separates them (the automatic-semicolon hazards).
fn continues_a_statement(text: &str) -> bool {
    text.starts_with(['(', '[', '`', '+', '-', '/', '<'])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply::apply_edits;
    use crate::parse::{Lang, Parsers};
    use crate::target::Target;
    use crate::transforms::Options;
    use std::path::Path;

    /// One pass: the new text, the notes and the needs.
    fn pass(text: &str, options: &Options, target: Target) -> (String, Vec<String>, Needs) {
        let path = Path::new("app/actions.ts");
        let lang = Lang::TypeScript;
        let tree = Parsers::new().parse(lang, text, None).unwrap();
        assert!(!tree.root_node().has_error(), "{text}");
        let file = SourceFile {
            path,
            text,
            tree: &tree,
            lang,
            target,
            options,
        };
        let outcome = RedirectOutsideTry.run(&file);
        let notes = outcome.notes.iter().map(|n| n.message.clone()).collect();
        (apply_edits(text, &outcome.edits).unwrap(), notes, outcome.needs)
    }

    /// Passes to a fixpoint, as the engine runs them.
    fn fix(text: &str) -> String {
        let mut text = text.to_string();
        for _ in 0..5 {
            let (next, _, _) = pass(&text, &Options::default(), Target::NEXT_15);
            if next == text {
                return text;
            }
            text = next;
        }
        panic!("no fixpoint:\n{text}");
    }

    fn action(body: &str) -> String {
        format!(
            "import {{ redirect, notFound }} from 'next/navigation';\n\nexport async function f(p: string) {{\n{body}}}\n"
        )
    }

    #[test]
    fn an_argument_the_try_assigns_is_kept_in_a_variable() {
        let out = fix(&action(
            "  let url = '/a';\n  try {\n    url = await g();\n    redirect(url);\n  } catch {\n    return 1;\n  }\n",
        ));
        assert!(out.contains("  let redirectPath: string;\n  try {"), "{out}");
        assert!(out.contains("    redirectPath = url;\n"), "{out}");
        assert!(out.contains("  }\n  redirect(redirectPath);\n"), "{out}");
    }

    #[test]
    fn a_finally_keeps_assignable_bindings_in_place() {
        let body = "  const c = '/c';\n  try {\n    await g();\n    redirect(p + c);\n  } catch {\n    return 1;\n  } finally {\n    done();\n  }\n";
        let out = fix(&action(body));
        assert!(
            out.contains("redirectPath = p + c;"),
            "a parameter may change in the finally:\n{out}"
        );
        let out = fix(&action(&body.replace("p + c", "c + '/x'")));
        assert!(out.contains("  }\n  redirect(c + '/x');\n}"), "a const may not:\n{out}");
    }

    #[test]
    fn calls_and_member_reads_are_not_moved() {
        for arg in ["g()", "p.length + ''", "`/${await g()}`", "(p = 'x')"] {
            let out = fix(&action(&format!(
                "  try {{\n    await g();\n    redirect({arg});\n  }} catch {{\n    return 1;\n  }}\n"
            )));
            assert!(out.contains(&format!("redirectPath = {arg};")), "{arg}:\n{out}");
        }
    }

    #[test]
    fn a_catch_ending_in_if_else_that_both_leave_never_completes() {
        let never = "  try {\n    await g();\n    notFound();\n  } catch (e) {\n    if (e) {\n      return 1;\n    } else throw e;\n  }\n";
        assert!(fix(&action(never)).contains("  }\n  notFound();\n}"));
        let may = never.replace("    } else throw e;\n", "    }\n");
        let out = fix(&action(&may));
        assert!(
            out.contains("  let shouldNotFound = false;\n") && out.contains("  if (shouldNotFound) notFound();\n"),
            "{out}"
        );
    }

    #[test]
    fn access_fallback_checks_cover_not_found_only() {
        let body = "  try {\n    if (!p) notFound();\n    await g();\n  } catch (e) {\n    if (isHTTPAccessFallbackError(e)) throw e;\n    return 1;\n  }\n";
        assert_eq!(fix(&action(body)), action(body));
        let redirected = body.replace("notFound()", "redirect('/')");
        assert!(fix(&action(&redirected)).contains("  } catch (e) {\n    unstable_rethrow(e);\n    if (isHTTP"));
    }

    #[test]
    fn unstable_rethrow_is_imported_once_and_aliased_when_taken() {
        let body = "  try {\n    if (p) redirect('/a');\n  } catch (e) {\n    return 1;\n  }\n  try {\n    if (p) notFound();\n  } catch (e) {\n    return 2;\n  }\n";
        let out = fix(&action(body));
        assert_eq!(out.matches("unstable_rethrow").count(), 3, "{out}");
        assert!(out.starts_with("import { redirect, notFound, unstable_rethrow } from 'next/navigation';"));
        let taken = format!("const unstable_rethrow = 1;\n{}", action(body));
        let out = fix(&taken);
        assert!(
            out.contains("import { redirect, notFound, unstable_rethrow as unstable_rethrow2 }"),
            "{out}"
        );
        assert_eq!(out.matches("unstable_rethrow2(e);").count(), 2, "{out}");
    }

    #[test]
    fn partly_rethrowing_catches_get_the_rethrow_style_or_on_next_14_the_hoist() {
        let body = action(
            "  try {\n    await g();\n    notFound();\n  } catch (e) {\n    if (isRedirectError(e)) throw e;\n    return 1;\n  }\n",
        );
        let (out, _, _) = pass(&body, &Options::default(), Target::NEXT_15);
        assert!(out.contains("  } catch (e) {\n    unstable_rethrow(e);\n"), "{out}");
        let (out, notes, needs) = pass(&body, &Options::default(), Target::NEXT_14);
        assert!(out.contains("  }\n  notFound();\n}"), "{out}");
        assert!(notes.is_empty() && needs.is_nothing());
    }

    #[test]
    fn a_try_outside_a_block_gets_the_rethrow_style() {
        let out = fix(&action(
            "  if (p) try {\n    await g();\n    redirect('/a');\n  } catch (e) {\n    return 1;\n  }\n",
        ));
        assert!(out.contains("  } catch (e) {\n    unstable_rethrow(e);\n"), "{out}");
    }

    #[test]
    fn rethrow_needs_next_15_and_a_named_parameter() {
        let body = action("  try {\n    if (p) redirect('/a');\n  } catch (e) {\n    return 1;\n  }\n");
        let (out, notes, needs) = pass(&body, &Options::default(), Target::NEXT_15);
        assert_ne!(out, body);
        assert!(notes.is_empty());
        assert_eq!(needs, Needs::NEXT_15);
        let (out, notes, _) = pass(&body, &Options::default(), Target::NEXT_14);
        assert_eq!(out, body);
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("needs Next 15"), "{notes:?}");
        let destructured = body.replace("catch (e)", "catch ({ message }: any)");
        let (out, notes, _) = pass(&destructured, &Options::default(), Target::NEXT_15);
        assert_eq!(out, destructured);
        assert!(notes[0].contains("destructured"), "{notes:?}");
    }

    #[test]
    fn forced_styles() {
        let body = action("  try {\n    await g();\n    redirect('/a');\n  } catch (e) {\n    return 1;\n  }\n");
        let rethrow = Options {
            redirect_style: Some(RedirectStyle::Rethrow),
        };
        let (out, _, _) = pass(&body, &rethrow, Target::NEXT_15);
        assert!(out.contains("    unstable_rethrow(e);\n    return 1;"), "{out}");
        let hoist = Options {
            redirect_style: Some(RedirectStyle::Hoist),
        };
        let two = body.replace("redirect('/a');", "redirect('/a');\n    notFound();");
        let (out, notes, _) = pass(&two, &hoist, Target::NEXT_15);
        assert_eq!(out, two);
        assert!(notes[0].contains("several such calls"), "{notes:?}");
    }

    #[test]
    fn a_redirect_in_a_catch_belongs_to_the_outer_try() {
        let body = "  try {\n    try {\n      await g();\n    } catch {\n      redirect('/a');\n    }\n  } catch (e) {\n    return 1;\n  }\n";
        let out = fix(&action(body));
        assert!(out.contains("  } catch (e) {\n    unstable_rethrow(e);\n"), "{out}");
        assert!(!out.contains("    } catch (err"), "{out}");
    }
}
