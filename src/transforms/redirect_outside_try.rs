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
//! **Not applied.** Catches that already let the error out: followed through the catch (`e
//! instanceof AuthError` is false for it, `isRedirectError(e)` and its kin are exact, other
//! conditions go both ways), every path ends in `throw e`, `unstable_rethrow(e)` or the same call
//! again (`catch { notFound(); }`), with no call on the way (a log would see every redirect as a
//! failure: that catch is rewritten). Calls in nested functions, outside any
//! try, or of a local function named `redirect`. The rethrow style with `--to 14` (Next 14 has no
//! `unstable_rethrow`) or with a destructured catch parameter: a finding instead.
//! `--redirect-style hoist|rethrow` forces one style; where it does not apply, a finding.
//!
//! **NextAuth.** Server-side `signIn()`/`signOut()` of NextAuth v5 throw Next's redirect error
//! too (unless called with a literal `redirect: false`): where the import resolves to a module
//! that exports them from a `NextAuth(...)` call, directly or re-exported, they are targets in
//! the rethrow style only (never moved: they can fail for other reasons the catch must see).

use crate::fix::{Edit, Outcome};
use crate::imports::{
    append_named, import_decls, import_insertion_point, import_statement, insert_statement, specifier,
};
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
    // NextAuth's helpers come from the app's own auth module.
    words: &[
        &["next/navigation", "catch"],
        &["signIn", "catch"],
        &["signOut", "catch"],
    ],
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
    /// NextAuth v5's server-side `signIn`/`signOut`: they throw Next's redirect error too.
    SignIn,
    SignOut,
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
            Kind::SignIn => "signIn",
            Kind::SignOut => "signOut",
        }
    }

    /// NextAuth's helpers, which come from the app's auth module, not `next/navigation`.
    fn from_auth_name(name: &str) -> Option<Kind> {
        match name {
            "signIn" => Some(Kind::SignIn),
            "signOut" => Some(Kind::SignOut),
            _ => None,
        }
    }

    fn is_auth(self) -> bool {
        matches!(self, Kind::SignIn | Kind::SignOut)
    }

    /// The variable (URL) or flag that carries the call past the try.
    fn variable(self) -> &'static str {
        match self {
            Kind::Redirect | Kind::SignIn | Kind::SignOut => "redirectPath",
            Kind::PermanentRedirect => "permanentRedirectPath",
            Kind::NotFound => "shouldNotFound",
            Kind::Forbidden => "shouldForbid",
            Kind::Unauthorized => "shouldUnauthorize",
        }
    }

    /// It throws a redirect (with a URL), which `isRedirectError` recognises.
    fn takes_url(self) -> bool {
        matches!(
            self,
            Kind::Redirect | Kind::PermanentRedirect | Kind::SignIn | Kind::SignOut
        )
    }
}

/// A call of one of the helpers, bound to the `next/navigation` import.
#[derive(Clone, Copy)]
struct Target<'t> {
    call: Node<'t>,
    kind: Kind,
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
        // NextAuth's `signIn`/`signOut`, imported from the module that made them.
        for decl in import_decls(file.tree, file.text)
            .iter()
            .filter(|d| d.source != MODULE && !d.type_only)
        {
            let helpers = decl.named.iter().filter(|s| {
                !s.type_only
                    && Kind::from_auth_name(&s.imported).is_some()
                    && is_auth_import(file, &decl.source, &s.imported)
            });
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
            auth_targets: false,
        };
        // Tries inside one rewritten here wait for the next pass, so edits never overlap. The
        // tries come in source order and the rewritten ones are disjoint: only the last can hold
        // the next.
        let mut rewritten: Vec<std::ops::Range<usize>> = Vec::new();
        for (try_node, targets) in tries {
            let range = try_node.byte_range();
            if rewritten
                .last()
                .is_some_and(|r| r.start <= range.start && range.end <= r.end)
            {
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
    let mut blocks: Vec<Node<'t>> = Vec::new();
    let mut found: Vec<Node<'t>> = matches_around(file.tree, file.text, blocks_query, "try")
        .iter()
        .filter_map(|m| m.captures.first().map(|&(_, node)| node))
        .collect();
    found.sort_by_key(|b| (b.start_byte(), std::cmp::Reverse(b.end_byte())));
    for block in found {
        // A try nested in one already listed is searched with it. In this order, a block that
        // holds it is the last one listed.
        let nested = blocks
            .last()
            .is_some_and(|b| b.start_byte() <= block.start_byte() && block.end_byte() <= b.end_byte());
        if !nested {
            blocks.push(block);
        }
    }
    let query = QUERY.get(file.lang);
    let Some(call_index) = query.capture_index_for_name("call") else {
        return Vec::new();
    };
    let mut calls = Vec::new();
    let mut cursor = QueryCursor::new();
    for block in blocks {
        // From the block itself: a cursor started at the root steps over every statement before it.
        let mut matches = cursor.matches(query, block, file.text.as_bytes());
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
        "identifier" => match import_of(scopes, callee) {
            Some(Imported::Named(name)) => Kind::from_name(&name),
            Some(_) => None,
            None => auth_kind(call, callee, file, scopes),
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

/// NextAuth's `signIn`/`signOut` called here, unless with a literal `redirect: false` (then
/// it returns instead of throwing).
fn auth_kind(call: Node, callee: Node, file: &SourceFile, scopes: &ScopeTree) -> Option<Kind> {
    let binding = scopes.binding_of(callee.byte_range())?;
    let BindingKind::Import(import) = &scopes.bindings[binding].kind else {
        return None;
    };
    let Imported::Named(name) = &import.imported else {
        return None;
    };
    let kind = Kind::from_auth_name(name)?;
    if import.type_only || !is_auth_import(file, &import.source, name) {
        return None;
    }
    let arguments = call.child_by_field_name("arguments")?;
    let mut c = arguments.walk();
    let no_redirect = arguments.named_children(&mut c).any(|argument| {
        let mut c = argument.walk();
        argument.kind() == "object"
            && argument.named_children(&mut c).any(|pair| {
                pair.kind() == "pair"
                    && pair
                        .child_by_field_name("key")
                        .is_some_and(|k| file.node_text(k).trim_matches(['\'', '"']) == "redirect")
                    && pair
                        .child_by_field_name("value")
                        .is_some_and(|v| file.node_text(v) == "false")
            })
    });
    (!no_redirect).then_some(kind)
}

/// Whether `name` imported from `source` is a helper NextAuth made (the import followed to its
/// module by the run's resolver).
fn is_auth_import(file: &SourceFile, source: &str, name: &str) -> bool {
    file.options
        .auth
        .as_ref()
        .is_some_and(|auth| auth.is_next_auth_export(file.path, source, name))
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
    let mut index_of_try: HashMap<usize, usize> = HashMap::new();
    for &call in calls {
        let Some(kind) = target_kind(call, file, scopes) else {
            continue;
        };
        let Some(try_node) = owning_try(call, kind, file, scopes) else {
            continue;
        };
        let target = Target { call, kind };
        match index_of_try.get(&try_node.id()) {
            Some(&i) => tries[i].1.push(target),
            None => {
                index_of_try.insert(try_node.id(), tries.len());
                tries.push((try_node, vec![target]));
            }
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
            && !lets_out(handler, Target { call, kind }, file, scopes)
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

/// Next's own checks for the errors these helpers throw (`next/dist/client/components/…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Guard {
    /// `isRedirectError`: redirect and permanentRedirect.
    Redirect,
    /// `isNotFoundError`.
    NotFound,
    /// `isHTTPAccessFallbackError`: notFound, forbidden and unauthorized.
    HttpAccessFallback,
    /// `isNextRouterError`: all of them.
    NextRouter,
}

impl Guard {
    fn from_name(name: &str) -> Option<Guard> {
        Some(match name {
            "isRedirectError" => Guard::Redirect,
            "isNotFoundError" => Guard::NotFound,
            "isHTTPAccessFallbackError" => Guard::HttpAccessFallback,
            "isNextRouterError" => Guard::NextRouter,
            _ => return None,
        })
    }

    /// Whether the check is true for the error this helper throws (it is false for the others).
    fn recognises(self, kind: Kind) -> bool {
        match self {
            Guard::NextRouter => true,
            Guard::Redirect => kind.takes_url(),
            Guard::NotFound => kind == Kind::NotFound,
            Guard::HttpAccessFallback => !kind.takes_url(),
        }
    }
}

/// What a condition is for the target's error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Truth {
    True,
    False,
    /// Either: both branches are followed.
    Unknown,
}

impl Truth {
    fn not(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }
}

/// Where the paths through a piece of a catch block go, besides letting the error out.
#[derive(Debug, Clone, Copy)]
struct Paths {
    /// Some path reaches the statement after this one.
    goes_on: bool,
    /// Some path leaves the enclosing `switch` by `break`.
    breaks: bool,
    /// Some path handles the error: it returns, throws something else, runs a call, completes
    /// the catch, or does something this analysis does not follow.
    swallows: bool,
}

impl Paths {
    /// Every path lets the error out.
    const LETS_OUT: Paths = Paths {
        goes_on: false,
        breaks: false,
        swallows: false,
    };
    const GOES_ON: Paths = Paths {
        goes_on: true,
        breaks: false,
        swallows: false,
    };
    const BREAKS: Paths = Paths {
        goes_on: false,
        breaks: true,
        swallows: false,
    };
    const SWALLOWS: Paths = Paths {
        goes_on: false,
        breaks: false,
        swallows: true,
    };

    /// The paths of two branches, one of which is taken.
    fn either(self, other: Paths) -> Paths {
        Paths {
            goes_on: self.goes_on || other.goes_on,
            breaks: self.breaks || other.breaks,
            swallows: self.swallows || other.swallows,
        }
    }
}

/// Whether the catch already lets the target's error out: every path the error can take through
/// it ends in `throw e`, `unstable_rethrow(e)` or the target's own call again (`notFound()` in the
/// try and in the catch), and runs no call on the way. A call on the way (a log, an analytics
/// event) would see every redirect as a failure, so such a catch is not safe.
fn lets_out(handler: Node, target: Target, file: &SourceFile, scopes: &ScopeTree) -> bool {
    let Some(body) = handler.child_by_field_name("body") else {
        return false;
    };
    let error = handler
        .child_by_field_name("parameter")
        .filter(|p| p.kind() == "identifier")
        .map(|p| file.node_text(p));
    let flow = ErrorFlow {
        file,
        scopes,
        target,
        handler,
        error,
    };
    let paths = flow.block(&statements(body), error.is_some());
    !paths.goes_on && !paths.breaks && !paths.swallows
}

/// Whether the catch asks Next's own checks (`isRedirectError(e)`, …) about the error.
fn checks_navigation_errors(handler: Node, file: &SourceFile) -> bool {
    let mut cursor = handler.walk();
    let mut stack = vec![handler];
    while let Some(node) = stack.pop() {
        if node.kind() == "call_expression" && callee_name(node, file).and_then(Guard::from_name).is_some() {
            return true;
        }
        stack.extend(node.named_children(&mut cursor));
    }
    false
}

/// The walk of one target's error through one catch block.
struct ErrorFlow<'a, 't> {
    file: &'a SourceFile<'t>,
    scopes: &'a ScopeTree,
    target: Target<'t>,
    handler: Node<'t>,
    /// The name of the catch parameter.
    error: Option<&'t str>,
}

impl<'t> ErrorFlow<'_, 't> {
    /// A statement list: each statement runs on the paths that the one before lets go on.
    /// `holds`: whether the parameter still holds the error when the list starts; it stops
    /// holding it where the list declares the name (the whole list: a shadow) or once a
    /// statement assigns it (by name: only more careful).
    fn block(&self, list: &[Node<'t>], holds: bool) -> Paths {
        let writes_error = |n: Node| self.error.is_some_and(|name| writes(n, name, self.file));
        let shadowed = list.iter().any(|s| {
            matches!(
                s.kind(),
                "lexical_declaration" | "function_declaration" | "generator_function_declaration" | "class_declaration"
            ) && writes_error(*s)
        });
        let mut holds = holds && !shadowed;
        let mut paths = Paths::GOES_ON;
        for &statement in list {
            if !paths.goes_on {
                break;
            }
            let next = self.statement(statement, holds);
            holds = holds && !writes_error(statement);
            if next.swallows {
                return Paths::SWALLOWS;
            }
            paths = Paths {
                goes_on: next.goes_on,
                breaks: paths.breaks || next.breaks,
                swallows: false,
            };
        }
        paths
    }

    fn statement(&self, statement: Node<'t>, holds: bool) -> Paths {
        let lets_out_if = |ends: bool| if ends { Paths::LETS_OUT } else { Paths::SWALLOWS };
        match statement.kind() {
            "throw_statement" => lets_out_if(holds && self.is_error(statement.named_child(0))),
            "return_statement" => lets_out_if(statement.named_child(0).is_some_and(|e| self.is_ending(e, holds))),
            "expression_statement" => match statement.named_child(0) {
                Some(e) if self.is_ending(e, holds) => Paths::LETS_OUT,
                // Assignments without calls are passed over.
                Some(e)
                    if matches!(
                        e.kind(),
                        "assignment_expression" | "augmented_assignment_expression" | "update_expression"
                    ) && !runs_code(e) =>
                {
                    Paths::GOES_ON
                }
                _ => Paths::SWALLOWS,
            },
            "lexical_declaration" | "variable_declaration" if !runs_code(statement) => Paths::GOES_ON,
            "empty_statement" | "function_declaration" | "generator_function_declaration" => Paths::GOES_ON,
            "statement_block" => self.block(&statements(statement), holds),
            "if_statement" => {
                let condition = statement.child_by_field_name("condition");
                let Some(truth) = condition.and_then(|c| self.truth(c, holds)) else {
                    return Paths::SWALLOWS;
                };
                let then = statement.child_by_field_name("consequence");
                let otherwise = statement
                    .child_by_field_name("alternative")
                    .and_then(|clause| statements(clause).first().copied());
                let branch = |b: Option<Node<'t>>| b.map_or(Paths::GOES_ON, |b| self.statement(b, holds));
                match truth {
                    Truth::True => branch(then),
                    Truth::False => branch(otherwise),
                    Truth::Unknown => branch(then).either(branch(otherwise)),
                }
            }
            "switch_statement" => self.switch(statement, holds),
            // Only the `break` of a `switch` is followed; a labelled one may leave the catch.
            "break_statement" if statement.named_child(0).is_none() => Paths::BREAKS,
            // Loops, nested tries, `continue` …: not followed.
            _ => Paths::SWALLOWS,
        }
    }

    /// A `switch` the error reaches: any case may match (their values are not judged), each runs
    /// on into the next until a `break`; without a `default`, none may match.
    fn switch(&self, statement: Node<'t>, holds: bool) -> Paths {
        let value = statement.child_by_field_name("value");
        let Some(body) = statement.child_by_field_name("body") else {
            return Paths::SWALLOWS;
        };
        let cases = statements(body);
        if value.is_none_or(runs_code)
            || cases
                .iter()
                .any(|case| case.child_by_field_name("value").is_some_and(runs_code))
        {
            return Paths::SWALLOWS;
        }
        let has_default = cases.iter().any(|case| case.kind() == "switch_default");
        let mut paths = if has_default { Paths::LETS_OUT } else { Paths::GOES_ON };
        // The cases share one scope: entering at a case runs the statements from there on.
        let mut list: Vec<Node<'t>> = Vec::new();
        let mut starts = Vec::new();
        for case in &cases {
            starts.push(list.len());
            let mut c = case.walk();
            list.extend(
                case.children_by_field_name("body", &mut c)
                    .filter(|n| n.kind() != "comment"),
            );
        }
        for start in starts {
            let entered = self.block(&list[start..], holds);
            if entered.swallows {
                return Paths::SWALLOWS;
            }
            // Running off the last case, or breaking, goes on after the switch.
            paths = paths.either(Paths {
                goes_on: entered.goes_on || entered.breaks,
                breaks: false,
                swallows: false,
            });
        }
        paths
    }

    /// The condition's value for the error, or `None` when it runs a call of its own.
    fn truth(&self, node: Node<'t>, holds: bool) -> Option<Truth> {
        let is_error = |n: Node| holds && self.is_error(Some(n));
        match node.kind() {
            "parenthesized_expression" => self.truth(statements(node).first().copied()?, holds),
            "unary_expression" if node.child_by_field_name("operator").is_some_and(|o| o.kind() == "!") => {
                Some(self.truth(node.child_by_field_name("argument")?, holds)?.not())
            }
            "binary_expression" => {
                let operator = node.child_by_field_name("operator")?.kind();
                let (left, right) = (node.child_by_field_name("left")?, node.child_by_field_name("right")?);
                match operator {
                    "&&" | "||" => {
                        let (l, r) = (self.truth(left, holds)?, self.truth(right, holds)?);
                        let short = if operator == "&&" { Truth::False } else { Truth::True };
                        Some(if l == short || r == short {
                            short
                        } else if l == Truth::Unknown || r == Truth::Unknown {
                            Truth::Unknown
                        } else {
                            l
                        })
                    }
                    // The helpers throw plain `Error`s: `e instanceof AuthError` is false for them.
                    "instanceof" if !runs_code(right) => {
                        let class = self.file.node_text(right);
                        let plain = matches!(class, "Error" | "Object");
                        Some(if is_error(left) && !plain {
                            Truth::False
                        } else {
                            Truth::Unknown
                        })
                    }
                    _ => (!runs_code(node)).then_some(Truth::Unknown),
                }
            }
            "call_expression" => {
                let guard = callee_name(node, self.file).and_then(Guard::from_name)?;
                sole_argument(node)
                    .is_some_and(is_error)
                    .then(|| match guard.recognises(self.target.kind) {
                        true => Truth::True,
                        false => Truth::False,
                    })
            }
            _ => (!runs_code(node)).then_some(Truth::Unknown),
        }
    }

    /// Whether the expression is the catch parameter.
    fn is_error(&self, node: Option<Node>) -> bool {
        node.is_some_and(|n| n.kind() == "identifier" && Some(self.file.node_text(n)) == self.error)
    }

    /// `unstable_rethrow(e)`, or the target's own call again.
    fn is_ending(&self, node: Node<'t>, holds: bool) -> bool {
        node.kind() == "call_expression"
            && ((holds && is_rethrow_call(node, self.file, self.scopes) && self.is_error(sole_argument(node)))
                || self.is_same_call(node))
    }

    /// A call of the target's helper with the same argument text (whitespace and comments
    /// aside), reading no name that the catch binds or assigns.
    fn is_same_call(&self, call: Node<'t>) -> bool {
        let (file, scopes) = (self.file, self.scopes);
        if target_kind(call, file, scopes) != Some(self.target.kind) {
            return false;
        }
        let (Some(args), Some(target_args)) = (
            call.child_by_field_name("arguments"),
            self.target.call.child_by_field_name("arguments"),
        ) else {
            return false;
        };
        if tokens(args, file.text) != tokens(target_args, file.text) {
            return false;
        }
        let handler = self.handler.byte_range();
        let mut cursor = args.walk();
        let mut stack = vec![args];
        while let Some(node) = stack.pop() {
            if node.kind() == "identifier" {
                let declared_in_catch = scopes
                    .reference_at(node.byte_range())
                    .and_then(|r| r.binding)
                    .is_some_and(|b| handler.contains(&scopes.bindings[b].ident.start));
                let body = self.handler.child_by_field_name("body");
                if declared_in_catch || body.is_none_or(|body| writes(body, file.node_text(node), file)) {
                    return false;
                }
            }
            stack.extend(node.named_children(&mut cursor));
        }
        true
    }
}

/// Whether evaluating the node can run code of its own: a call, `new`, `await`, `yield`, a
/// tagged template (nested functions are only created, not run).
fn runs_code(node: Node) -> bool {
    let mut cursor = node.walk();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "call_expression" | "new_expression" | "await_expression" | "yield_expression" => return true,
            kind if is_function_kind(kind) || kind == "class" => continue,
            _ => stack.extend(n.named_children(&mut cursor)),
        }
    }
    false
}

/// Whether anything in `within` assigns or declares the name.
fn writes(within: Node, name: &str, file: &SourceFile) -> bool {
    if assigns(within, name, file) {
        return true;
    }
    let mut cursor = within.walk();
    let mut stack = vec![within];
    while let Some(node) = stack.pop() {
        let declared = match node.kind() {
            "variable_declarator" | "function_declaration" | "class_declaration" | "catch_clause" => node
                .child_by_field_name(if node.kind() == "catch_clause" {
                    "parameter"
                } else {
                    "name"
                })
                .is_some_and(|n| pattern_binds(n, name, file)),
            "formal_parameters" => pattern_binds(node, name, file),
            _ => false,
        };
        if declared {
            return true;
        }
        stack.extend(node.named_children(&mut cursor));
    }
    false
}

/// Whether a binding pattern (`x`, `{ a: x }`, `[x = 1]`, …) binds the name.
fn pattern_binds(pattern: Node, name: &str, file: &SourceFile) -> bool {
    let mut cursor = pattern.walk();
    let mut stack = vec![pattern];
    while let Some(node) = stack.pop() {
        if matches!(node.kind(), "identifier" | "shorthand_property_identifier_pattern") && file.node_text(node) == name
        {
            return true;
        }
        stack.extend(node.named_children(&mut cursor));
    }
    false
}

/// The tokens of a node, comments and trailing commas left out. Strings and regexes are one
/// token, and so is each literal part of a template (its spaces count; those in `${…}` do not).
fn tokens<'a>(node: Node, text: &'a str) -> Vec<&'a str> {
    let mut found = Vec::new();
    push_tokens(node, text, &mut found);
    let mut kept: Vec<&str> = Vec::with_capacity(found.len());
    for (i, token) in found.iter().enumerate() {
        let closes = found.get(i + 1).is_some_and(|next| matches!(*next, ")" | "]" | "}"));
        if !(*token == "," && closes) {
            kept.push(token);
        }
    }
    kept
}

fn push_tokens<'a>(node: Node, text: &'a str, found: &mut Vec<&'a str>) {
    let mut cursor = node.walk();
    match node.kind() {
        "comment" => {}
        "string" | "regex" => found.push(&text[node.byte_range()]),
        "template_string" => {
            let mut at = node.start_byte();
            for child in node.children(&mut cursor) {
                if at < child.start_byte() {
                    found.push(&text[at..child.start_byte()]);
                }
                match child.kind() {
                    "template_substitution" => push_tokens(child, text, found),
                    _ => found.push(&text[child.byte_range()]),
                }
                at = child.end_byte();
            }
            if at < node.end_byte() {
                found.push(&text[at..node.end_byte()]);
            }
        }
        _ if node.child_count() == 0 => found.push(&text[node.byte_range()]),
        _ => {
            for child in node.children(&mut cursor) {
                push_tokens(child, text, found);
            }
        }
    }
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
    /// The try at hand holds NextAuth's signIn()/signOut(), which are never moved.
    auth_targets: bool,
}

impl<'t> Run<'_, 't> {
    fn fix_try(&mut self, try_node: Node<'t>, targets: &[Target<'t>], outcome: &mut Outcome) {
        let Some(handler) = try_node.child_by_field_name("handler") else {
            return;
        };
        self.auth_targets = targets.iter().any(|t| t.kind.is_auth());
        let names = self.names(targets);
        let hoist = self.hoist_plan(try_node, targets);
        let partly_rethrown = checks_navigation_errors(handler, self.file);
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
        if targets.iter().any(|t| t.kind.is_auth()) {
            return Err(
                "NextAuth's signIn() and signOut() are never moved: they can also fail for other reasons, which the catch must still see",
            );
        }
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
            let mut next_statement = Some(next);
            while let Some(n) = next_statement.filter(|n| n.kind() == "comment") {
                next_statement = n.next_sibling();
            }
            if semi.is_empty() && next_statement.is_some_and(|n| continues_a_statement(&file.text[n.start_byte()..])) {
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
            // NextAuth's calls can fail for other reasons: moving them out would let those out.
            let by_hand = if self.auth_targets {
                "rethrow its redirect error in the catch by hand (`if (isRedirectError(error)) throw error;`)"
            } else {
                "move the call after the try/catch by hand"
            };
            outcome.note(
                try_node.start_byte(),
                format!(
                    "{names} swallowed by this try's catch; the fix, {RETHROW}() in the catch, needs Next 15 — {by_hand}, or run with --to 15"
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
        // continue the inserted call (found by fuzzing); a comment before it does not separate
        // them, and does not continue anything itself.
        if let Some(first_statement) = statements(body).first()
            && self.style.semi().is_empty()
            && continues_a_statement(&file.text[first_statement.start_byte()..])
        {
            call.push(';');
        }
        let edit = match first {
            // A line comment after `{` stays there; the call starts the next line.
            Some(first) if same_line(first.start_byte()) && file.node_text(first).starts_with("//") => {
                let indent = match statements(body).first() {
                    Some(next) => indent_at(file.text, next.start_byte()).to_string(),
                    None => format!("{}{}", indent_at(file.text, handler.start_byte()), self.style.indent),
                };
                Edit::insert(first.end_byte(), format!("{nl}{indent}{call}"))
            }
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
                let specifier = specifier(RETHROW, &local);
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
    use crate::fix::apply_edits;
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
            auth: None,
        };
        let (out, _, _) = pass(&body, &rethrow, Target::NEXT_15);
        assert!(out.contains("    unstable_rethrow(e);\n    return 1;"), "{out}");
        let hoist = Options {
            redirect_style: Some(RedirectStyle::Hoist),
            auth: None,
        };
        let two = body.replace("redirect('/a');", "redirect('/a');\n    notFound();");
        let (out, notes, _) = pass(&two, &hoist, Target::NEXT_15);
        assert_eq!(out, two);
        assert!(notes[0].contains("several such calls"), "{notes:?}");
    }

    /// `try { <try_body> } catch <catch> { … }` inside an action, as `action` builds it.
    fn try_catch(try_body: &str, catch: &str) -> String {
        action(&format!(
            "  let url = p;\n  try {{\n    await g();\n{try_body}\n  }} catch {catch}\n  return 0;\n"
        ))
    }

    #[test]
    fn catches_that_let_every_path_of_the_error_out_are_left_alone() {
        let cases = [
            // The issue's two catches: `AuthError` is not what redirect() throws; the same call again.
            (
                "    redirect('/dashboard');",
                "(error) {\n    if (error instanceof AuthError) {\n      return 'Invalid credentials.';\n    }\n    throw error;\n  }",
            ),
            ("    if (!p) notFound();\n    return 1;", "{\n    notFound();\n  }"),
            // Whitespace and comments aside, and through a return.
            (
                "    redirect( `/a/${p}` );",
                "{\n    return redirect(/* again */ `/a/${p}`);\n  }",
            ),
            // Declarations and assignments without calls are passed over.
            (
                "    redirect(url);",
                "(e) {\n    const message = 'failed';\n    let n = 1;\n    n += 1;\n    throw e;\n  }",
            ),
            // Next's checks are exact: `!isRedirectError(e)` is false for a redirect.
            (
                "    redirect(url);",
                "(e) {\n    if (!isRedirectError(e)) {\n      return 1;\n    }\n    throw e;\n  }",
            ),
            (
                "    redirect(url);",
                "(e) {\n    if (isRedirectError(e) || p) throw e;\n    return 1;\n  }",
            ),
            (
                "    notFound();",
                "(e) {\n    if (isNotFoundError(e) && isNextRouterError(e)) unstable_rethrow(e);\n    else return 1;\n  }",
            ),
            // Unknown conditions: both branches are followed, and both let it out.
            (
                "    redirect(url);",
                "(e) {\n    if (p) {\n      throw e;\n    } else unstable_rethrow(e);\n  }",
            ),
            // Any case may match; each runs on to a break or an ending.
            (
                "    redirect(url);",
                "(e) {\n    switch (p) {\n      case 'a':\n      case 'b':\n        throw e;\n      default:\n        unstable_rethrow(e);\n    }\n  }",
            ),
            (
                "    redirect(url);",
                "(e) {\n    switch (p) {\n      case 'a':\n        break;\n    }\n    throw e;\n  }",
            ),
            (
                "    redirect(url);",
                "(e) {\n    if (e instanceof AuthError) {\n      switch (e.type) {\n        case 'x':\n          return 1;\n        default:\n          return 2;\n      }\n    }\n    throw e;\n  }",
            ),
            // A template's `${…}` may be laid out differently (payload's multi-tenant example).
            (
                "    redirect(\n      `/login?next=${encodeURIComponent(\n        `/t/${p}`,\n      )}`,\n    );",
                "{\n    redirect(`/login?next=${encodeURIComponent(`/t/${p}`,)}`)\n  }",
            ),
            // Several targets, each let out.
            (
                "    if (!p) notFound();\n    redirect('/a');",
                "(e) {\n    throw e;\n  }",
            ),
        ];
        for (try_body, catch) in cases {
            let input = try_catch(try_body, catch);
            assert_eq!(fix(&input), input);
        }
    }

    #[test]
    fn catches_that_handle_the_error_on_some_path_are_rewritten() {
        let cases = [
            // The issue's: the log would report every 404 as an error.
            (
                "    if (!p) notFound();",
                "(error) {\n    console.error(error);\n    throw error;\n  }",
            ),
            (
                "    if (p) redirect(url);",
                "(e) {\n    throw new Error('failed');\n  }",
            ),
            // A call in a declaration, in a condition, or before the ending.
            (
                "    if (p) redirect(url);",
                "(e) {\n    const m = format(e);\n    throw e;\n  }",
            ),
            (
                "    if (p) redirect(url);",
                "(e) {\n    if (e.message.includes('x')) throw e;\n    throw e;\n  }",
            ),
            // The parameter no longer holds the error: reassigned, or shadowed.
            (
                "    if (p) redirect(url);",
                "(e) {\n    e = 'failed';\n    throw e;\n  }",
            ),
            (
                "    if (p) redirect(url);",
                "(e) {\n    {\n      const e = 'failed';\n      throw e;\n    }\n  }",
            ),
            // `instanceof Error` is not known to be false: the other branch returns.
            (
                "    if (p) redirect(url);",
                "(e) {\n    if (e instanceof Error) {\n      throw e;\n    } else {\n      return 1;\n    }\n  }",
            ),
            // An early return, and a catch that completes.
            (
                "    if (p) redirect(url);",
                "(e) {\n    if (p) return 1;\n    throw e;\n  }",
            ),
            ("    if (p) redirect(url);", "(e) {\n    if (p) throw e;\n  }"),
            (
                "    if (p) notFound();",
                "(e) {\n    if (isRedirectError(e)) throw e;\n    return 1;\n  }",
            ),
            // Without a parameter only the same call can let it out.
            ("    if (p) redirect('/a');", "{\n    redirect('/b');\n  }"),
            ("    if (p) redirect(`/a ${p}`);", "{\n    redirect(`/a  ${p}`);\n  }"),
            (
                "    if (p) redirect(url);",
                "{\n    url = '/b';\n    redirect(url);\n  }",
            ),
            (
                "    if (!p) notFound();\n    redirect('/a');",
                "{\n    notFound();\n  }",
            ),
            // A switch whose cases may all be skipped, or that runs off its end.
            (
                "    if (p) redirect(url);",
                "(e) {\n    switch (p) {\n      case 'a':\n        throw e;\n    }\n  }",
            ),
            (
                "    if (p) redirect(url);",
                "(e) {\n    switch (p) {\n      case 'a':\n        throw e;\n      default:\n        break;\n    }\n  }",
            ),
            ("    if (p) redirect(url);", "(e) {\n    for (;;) throw e;\n  }"),
        ];
        for (try_body, catch) in cases {
            let input = try_catch(try_body, catch);
            // The rethrow style, or for the lone last call of the try block the hoist style.
            let out = fix(&input);
            assert!(
                out.contains("unstable_rethrow(e") || out.contains("  }\n  redirect('/a');\n"),
                "{catch}\n{out}"
            );
        }
    }

    #[test]
    fn a_redirect_in_a_catch_belongs_to_the_outer_try() {
        let body = "  try {\n    try {\n      await g();\n    } catch {\n      redirect('/a');\n    }\n  } catch (e) {\n    return 1;\n  }\n";
        let out = fix(&action(body));
        assert!(out.contains("  } catch (e) {\n    unstable_rethrow(e);\n"), "{out}");
        assert!(!out.contains("    } catch (err"), "{out}");
    }
}
