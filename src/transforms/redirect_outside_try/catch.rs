//! Catch analysis: follows the error a swallowed call throws through the catch block, to tell
//! a catch that already lets it out from one that handles it.

use super::*;

/// Next's own checks for the errors these helpers throw (`next/dist/client/components/…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Guard {
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
    pub(super) fn from_name(name: &str) -> Option<Guard> {
        Some(match name {
            "isRedirectError" => Guard::Redirect,
            "isNotFoundError" => Guard::NotFound,
            "isHTTPAccessFallbackError" => Guard::HttpAccessFallback,
            "isNextRouterError" => Guard::NextRouter,
            _ => return None,
        })
    }

    /// Whether the check is true for the error this helper throws (it is false for the others).
    pub(super) fn recognises(self, kind: Kind) -> bool {
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
pub(super) enum Truth {
    True,
    False,
    /// Either: both branches are followed.
    Unknown,
}

impl Truth {
    pub(super) fn not(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }
}

/// Where the paths through a piece of a catch block go, besides letting the error out.
#[derive(Debug, Clone, Copy)]
pub(super) struct Paths {
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
    pub(super) fn either(self, other: Paths) -> Paths {
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
pub(super) fn lets_out(handler: Node, target: SwallowedCall, file: &SourceFile, scopes: &ScopeTree) -> bool {
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
pub(super) fn checks_navigation_errors(handler: Node, file: &SourceFile) -> bool {
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
pub(super) struct ErrorFlow<'a, 't> {
    file: &'a SourceFile<'t>,
    scopes: &'a ScopeTree,
    target: SwallowedCall<'t>,
    handler: Node<'t>,
    /// The name of the catch parameter.
    error: Option<&'t str>,
}

impl<'t> ErrorFlow<'_, 't> {
    /// A statement list: each statement runs on the paths that the one before lets go on.
    /// `holds`: whether the parameter still holds the error when the list starts; it stops
    /// holding it where the list declares the name (the whole list: a shadow) or once a
    /// statement assigns it (by name: only more careful).
    pub(super) fn block(&self, list: &[Node<'t>], holds: bool) -> Paths {
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

    pub(super) fn statement(&self, statement: Node<'t>, holds: bool) -> Paths {
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
    pub(super) fn switch(&self, statement: Node<'t>, holds: bool) -> Paths {
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
    pub(super) fn truth(&self, node: Node<'t>, holds: bool) -> Option<Truth> {
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
    pub(super) fn is_error(&self, node: Option<Node>) -> bool {
        node.is_some_and(|n| n.kind() == "identifier" && Some(self.file.node_text(n)) == self.error)
    }

    /// `unstable_rethrow(e)`, or the target's own call again.
    pub(super) fn is_ending(&self, node: Node<'t>, holds: bool) -> bool {
        node.kind() == "call_expression"
            && ((holds && is_rethrow_call(node, self.file, self.scopes) && self.is_error(sole_argument(node)))
                || self.is_same_call(node))
    }

    /// A call of the target's helper with the same argument text (whitespace and comments
    /// aside), reading no name that the catch binds or assigns.
    pub(super) fn is_same_call(&self, call: Node<'t>) -> bool {
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
pub(super) fn runs_code(node: Node) -> bool {
    let mut cursor = node.walk();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "call_expression" | "new_expression" | "await_expression" | "yield_expression" => return true,
            kind if is_function(kind) || kind == "class" => continue,
            _ => stack.extend(n.named_children(&mut cursor)),
        }
    }
    false
}

/// Whether anything in `within` assigns or declares the name.
pub(super) fn writes(within: Node, name: &str, file: &SourceFile) -> bool {
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
pub(super) fn pattern_binds(pattern: Node, name: &str, file: &SourceFile) -> bool {
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
pub(super) fn tokens<'a>(node: Node, text: &'a str) -> Vec<&'a str> {
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

pub(super) fn push_tokens<'a>(node: Node, text: &'a str, found: &mut Vec<&'a str>) {
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
pub(super) fn is_rethrow_call(call: Node, file: &SourceFile, scopes: &ScopeTree) -> bool {
    let Some(callee) = call.child_by_field_name("function") else {
        return false;
    };
    callee_name(call, file) == Some(RETHROW)
        || (callee.kind() == "identifier" && import_of(scopes, callee) == Some(Imported::Named(RETHROW.into())))
}

/// `f` of `f(...)` or `ns.f(...)`.
pub(super) fn callee_name<'a>(call: Node, file: &SourceFile<'a>) -> Option<&'a str> {
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
pub(super) fn sole_argument(call: Node) -> Option<Node> {
    let args = call.child_by_field_name("arguments")?;
    let list = statements(args);
    match list.as_slice() {
        [only] if only.kind() != "spread_element" => Some(*only),
        _ => None,
    }
}
