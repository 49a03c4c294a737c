//! The edits: the hoist style (the call moves after the try) and the rethrow style
//! (`unstable_rethrow(err)` first in the catch), with the import it needs.

use super::*;

/// Whether a statement can never complete normally: it ends in `return`, `throw`, a call of
/// one of the helpers, or an `if`/`else` whose branches all never complete.
pub(super) fn never_completes(statement: Node, file: &SourceFile, scopes: &ScopeTree) -> bool {
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
pub(super) fn is_stable(node: Node, try_node: Node, file: &SourceFile, scopes: &ScopeTree) -> bool {
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
pub(super) fn assigns(within: Node, name: &str, file: &SourceFile) -> bool {
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
pub(super) fn is_assigned(ident: Node) -> bool {
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
pub(super) struct Run<'a, 't> {
    pub(super) file: &'a SourceFile<'t>,
    pub(super) scopes: &'a ScopeTree,
    pub(super) style: Style,
    /// Names this run declared, per function scope.
    pub(super) taken: HashMap<ScopeId, Vec<String>>,
    /// The callee of `unstable_rethrow(err)`, once the import is settled.
    pub(super) rethrow_callee: Option<String>,
    /// The try at hand holds NextAuth's signIn()/signOut(), which are never moved.
    pub(super) auth_targets: bool,
}

impl<'t> Run<'_, 't> {
    pub(super) fn fix_try(
        &mut self,
        try_node: Node<'t>,
        targets: &[SwallowedCall<'t>],
        edits: &mut Vec<Edit>,
        outcome: &mut Outcome,
    ) {
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
            (RedirectStyle::Hoist, Ok(target)) => self.hoist(try_node, handler, target, edits),
            (RedirectStyle::Hoist, Err(why)) => outcome.note(
                try_node.start_byte(),
                format!(
                    "{names} swallowed by this try's catch, and --redirect-style hoist cannot move it: {why}; move it after the try/catch by hand, or use --redirect-style rethrow (Next 15)"
                ),
            ),
            (RedirectStyle::Rethrow, _) => self.rethrow(try_node, handler, &names, edits, outcome),
        }
    }

    /// `redirect() is`, `redirect() calls are` or `redirect() and notFound() are`, for messages.
    pub(super) fn names(&self, targets: &[SwallowedCall]) -> String {
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
    pub(super) fn hoist_plan(
        &self,
        try_node: Node<'t>,
        targets: &[SwallowedCall<'t>],
    ) -> Result<SwallowedCall<'t>, &'static str> {
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
    pub(super) fn fresh(&mut self, base: &str, at: usize) -> String {
        let function = self.scopes.function_scope(self.scopes.scope_at(at));
        let taken = self.taken.entry(function).or_default();
        let name = self.scopes.fresh_name(base, function, taken);
        taken.push(name.clone());
        name
    }

    pub(super) fn hoist(
        &mut self,
        try_node: Node<'t>,
        handler: Node<'t>,
        target: SwallowedCall<'t>,
        edits: &mut Vec<Edit>,
    ) {
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
                edits.push(Edit::delete(line_range(
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
                edits.push(Edit::insert(
                    try_node.start_byte(),
                    format!("{declaration}{nl}{indent}"),
                ));
                edits.push(Edit::replace(statement.byte_range(), format!("{name} = {value}{semi}")));
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
        edits.push(Edit::replace(replaced, inserted));
    }

    pub(super) fn rethrow(
        &mut self,
        try_node: Node<'t>,
        handler: Node<'t>,
        names: &str,
        edits: &mut Vec<Edit>,
        outcome: &mut Outcome,
    ) {
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
        let mut import_edits = Vec::new();
        let callee = self.rethrow_callee(&mut import_edits);
        let root = callee.split('.').next().unwrap_or(&callee);
        if self.scopes.lookup_at(root, body.start_byte() + 1) != self.scopes.lookup(root, 0) {
            if !import_edits.is_empty() {
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
        edits.extend(import_edits);
        let param = match param {
            Some(p) => file.node_text(p).to_string(),
            None => {
                let name = self.fresh("err", try_node.start_byte());
                edits.push(Edit::insert(keyword.end_byte(), format!(" ({name})")));
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
        edits.push(edit);
        outcome.needs = outcome.needs.max(Needs::NEXT_15);
    }

    /// `unstable_rethrow` (imported once: an existing import, appended to the named import from
    /// 'next/navigation', or reached through its namespace import).
    pub(super) fn rethrow_callee(&mut self, edits: &mut Vec<Edit>) -> String {
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
                let decls = file.imports();
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
                        edits.push(edit);
                        local
                    }
                    (None, Some(namespace)) => format!("{namespace}.{RETHROW}"),
                    (None, None) => {
                        let statement = import_statement(&[specifier], MODULE, &self.style);
                        let at = import_insertion_point(file.tree, file.text);
                        edits.push(insert_statement(file.text, at, &statement, &self.style));
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
pub(super) fn continues_a_statement(text: &str) -> bool {
    text.starts_with(['(', '[', '`', '+', '-', '/', '<'])
}
