//! Deciding whether and how one inline action moves: its form, its name, the values it captures.

use super::find::Found;
use super::types::TypeText;
use super::{Client, contains};
use crate::fix::Note;
use crate::scope::{BindingId, BindingKind, RefKind};
use crate::syntax::has_token;
use std::ops::Range;
use tree_sitter::Node;

/// How the inline action is bound in the client.
#[derive(Debug, Clone)]
pub(super) enum Form {
    /// `async function save() {}`; `statement` is the declaration or its `export` statement.
    Declaration { statement: Range<usize>, export: Export },
    /// `const save = async () => {}`; `statement` is the declaration or its `export` statement.
    Const {
        statement: Range<usize>,
        export: Export,
        annotation: Option<Range<usize>>,
    },
    /// Anywhere else: a JSX attribute, a call argument.
    Anonymous,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Export {
    None,
    Named,
    Default,
}

/// One captured value: a binding of an enclosing function, or a member chain on it.
#[derive(Debug, Clone)]
pub(super) struct Capture {
    pub(super) root: BindingId,
    pub(super) segments: Vec<String>,
    /// Where it is first used, for ordering and for the `any` finding.
    pub(super) first: usize,
    /// The bound expression as the client spells it (`post.id`).
    pub(super) expression: String,
    pub(super) param: String,
    /// The parameter's type in the module, when the module is TypeScript.
    pub(super) ty: Option<String>,
}

/// A use of a captured value inside the function: the range to replace and the capture.
#[derive(Debug, Clone)]
pub(super) struct CaptureUse {
    pub(super) range: Range<usize>,
    pub(super) capture: usize,
    /// The chain is the bare identifier of the capture (nothing to rewrite).
    pub(super) bare: bool,
}

/// A use of a captured value: its root binding, the property names after it, the range of
/// each level of the chain (level 0 is the identifier), and where it starts.
type Chain = (BindingId, Vec<String>, Vec<Range<usize>>, usize);

/// Everything decided about one inline action that will move.
#[derive(Debug, Clone)]
pub(super) struct Plan {
    pub(super) function: Range<usize>,
    pub(super) directive: Range<usize>,
    pub(super) form: Form,
    pub(super) kind: FunctionKind,
    /// Bindings that name the function itself (declaration, const, function-expression name).
    pub(super) own: Vec<BindingId>,
    pub(super) old_name: Option<String>,
    pub(super) base_name: String,
    pub(super) name: String,
    pub(super) captures: Vec<Capture>,
    pub(super) uses: Vec<CaptureUse>,
    /// Import bindings the moved code (or a captured parameter's type) uses.
    pub(super) imports: Vec<BindingId>,
    /// The client range the move takes away (the statement, or the function itself).
    pub(super) removed: Range<usize>,
    /// Type node ranges the captured parameter types are built from, per capture.
    pub(super) capture_types: Vec<Option<TypeText>>,
}

/// Why one inline action does not move, judged on the texts of this call: once another action
/// has moved, it may (its finding then no longer holds).
pub(super) struct Refusal(pub(super) Note);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FunctionKind {
    Declaration,
    Expression,
    Arrow,
}

/// Hooks whose array result holds a function in second place (`const [x, setX] = useState()`).
const FUNCTION_PAIR_HOOKS: &[&str] = &[
    "useState",
    "useReducer",
    "useTransition",
    "useActionState",
    "useFormState",
    "useOptimistic",
];

/// The nodes a declared name can sit in, between it and its declarator.
const PATTERN_KINDS: &[&str] = &[
    "object_pattern",
    "array_pattern",
    "pair_pattern",
    "object_assignment_pattern",
    "assignment_pattern",
    "rest_pattern",
];

const TS_ONLY_KINDS: &[&str] = &[
    "type_annotation",
    "type_arguments",
    "type_parameters",
    "as_expression",
    "satisfies_expression",
    "non_null_expression",
    "opting_type_annotation",
    "omitting_type_annotation",
    "adding_type_annotation",
    "accessibility_modifier",
];

impl<'a> Client<'a> {
    /// Decides whether and how one inline action moves: a plan, or the finding why not.
    pub(super) fn analyze(&self, found: &Found<'a>) -> Result<(Plan, Vec<Note>), Refusal> {
        let function = found.function;
        let at = found.directive.start;
        // Findings name the action: `save` was not moved: <why>.
        let subject = self.subject(function);
        let refuse = |why: String| Err(Refusal(Note::at(at, format!("{subject} was not moved: {why}"))));
        let kind = match function.kind() {
            "function_declaration" => FunctionKind::Declaration,
            "function_expression" => FunctionKind::Expression,
            "arrow_function" => FunctionKind::Arrow,
            _ => {
                return refuse(
                    "a class method with 'use server' cannot be hoisted automatically — turn it into a function (`async function name() { 'use server'; ... }`) and run again".into(),
                );
            }
        };
        let parent = function.parent();
        if parent.is_some_and(|p| p.kind() == "pair") {
            return refuse(
                "an object method with 'use server' cannot be hoisted automatically — turn it into a function (`async function name() { 'use server'; ... }`) and run again".into(),
            );
        }
        if has_token(function, "*") {
            return refuse("a generator cannot be a Server Action — make it an async function".into());
        }
        let function_scope = self.scope_of(function);
        let mut own: Vec<BindingId> = Vec::new();
        if let Some(name) = function.child_by_field_name("name")
            && let Some(b) = self.scopes.binding_of(name.byte_range())
        {
            own.push(b);
        }
        let (form, old_name) = match (kind, parent) {
            (FunctionKind::Declaration, Some(p)) => {
                let name = function
                    .child_by_field_name("name")
                    .map(|n| self.slice(n.byte_range()).to_string());
                let (statement, export) = match p.kind() {
                    "export_statement" if has_token(p, "default") => (p.byte_range(), Export::Default),
                    "export_statement" => (p.byte_range(), Export::Named),
                    _ => (function.byte_range(), Export::None),
                };
                if name.is_none() {
                    return refuse("an anonymous default export cannot be hoisted automatically — give the function a name and run again".into());
                }
                (Form::Declaration { statement, export }, name)
            }
            (_, Some(p)) if p.kind() == "variable_declarator" && p.child_by_field_name("value") == Some(function) => {
                let Some(name) = p.child_by_field_name("name").filter(|n| n.kind() == "identifier") else {
                    return refuse("it is bound by a destructuring pattern — bind it to a name and run again".into());
                };
                if let Some(b) = self.scopes.binding_of(name.byte_range()) {
                    own.push(b);
                }
                let Some(declaration) = p.parent() else {
                    return refuse("its declaration could not be read — move it by hand".into());
                };
                let mut c = declaration.walk();
                if declaration
                    .named_children(&mut c)
                    .filter(|n| n.kind() == "variable_declarator")
                    .count()
                    != 1
                {
                    return refuse(
                        "its declaration declares other variables too — give it a `const` of its own and run again"
                            .into(),
                    );
                }
                let (statement, export) = match declaration.parent() {
                    Some(e) if e.kind() == "export_statement" => (e.byte_range(), Export::Named),
                    _ => (declaration.byte_range(), Export::None),
                };
                let annotation = p.child_by_field_name("type").map(|t| t.byte_range());
                (
                    Form::Const {
                        statement,
                        export,
                        annotation,
                    },
                    Some(self.slice(name.byte_range()).to_string()),
                )
            }
            _ => (
                Form::Anonymous,
                function
                    .child_by_field_name("name")
                    .map(|n| self.slice(n.byte_range()).to_string()),
            ),
        };
        let base_name = match (&form, &old_name) {
            (Form::Anonymous, _) => format!("{}Action", lower_camel(&self.component_name(function))),
            (_, Some(name)) => name.clone(),
            (_, None) => "action".to_string(),
        };
        let removed = match &form {
            Form::Declaration { statement, .. } | Form::Const { statement, .. } => statement.clone(),
            Form::Anonymous => function.byte_range(),
        };
        let annotated = matches!(
            &form,
            Form::Const {
                annotation: Some(_),
                ..
            }
        );
        if !self.module_ts && self.client_ts && (annotated || has_kind(function, TS_ONLY_KINDS)) {
            return refuse(format!(
                "it uses TypeScript syntax but {} is JavaScript — move it by hand",
                self.module_name
            ));
        }

        // What the code reads: locals stay, imports go with it, captured values become params.
        let mut ranges = vec![function.byte_range()];
        if let Form::Const {
            annotation: Some(annotation),
            ..
        } = &form
        {
            ranges.push(annotation.clone());
        }
        let mut imports: Vec<BindingId> = Vec::new();
        let mut captures: Vec<Capture> = Vec::new();
        let mut uses: Vec<CaptureUse> = Vec::new();
        let mut seen_chains: Vec<Chain> = Vec::new();
        for reference in self
            .scopes
            .references
            .iter()
            .filter(|r| ranges.iter().any(|range| contains(range, &r.range)))
        {
            let Some(b) = reference.binding else {
                continue;
            };
            let binding = &self.scopes.bindings[b];
            if own.contains(&b) || self.scopes.is_within(binding.scope, function_scope) {
                continue;
            }
            if let BindingKind::Import(_) = binding.kind {
                if !imports.contains(&b) {
                    imports.push(b);
                }
                continue;
            }
            let name = &binding.name;
            let is_type = reference.kind == RefKind::Type || binding.kind == BindingKind::Type;
            if is_type {
                return refuse(format!(
                    "it uses the type `{name}`, which this client module declares — move `{name}` into a module both files can import and run again"
                ));
            }
            if self.module_level(b) {
                return refuse(format!(
                    "it uses `{name}`, declared at the top level of this client module, which {} cannot see — move `{name}` into a module both files can import (or into the action) and run again",
                    self.module_name
                ));
            }
            if let Some(why) = self.not_serialisable(b) {
                return refuse(format!(
                    "it uses `{name}`, {why}, which cannot be bound to a Server Action (bound arguments must be serialisable) — do that work in the client after the action returns"
                ));
            }
            let (segments, levels, called) = self.chain_of(reference.range.clone());
            if called && segments.is_empty() {
                return refuse(format!(
                    "it calls `{name}`, a function, which cannot be bound to a Server Action (bound arguments must be serialisable) — do that work in the client after the action returns"
                ));
            }
            seen_chains.push((b, segments, levels, reference.range.start));
        }

        // Group the chains: a chain covered by a shorter one of the same root uses its parameter.
        let mut keys: Vec<(BindingId, Vec<String>)> = Vec::new();
        for (b, segments, _, _) in &seen_chains {
            if !keys.iter().any(|(kb, ks)| kb == b && ks == segments) {
                keys.push((*b, segments.clone()));
            }
        }
        let cover = |b: BindingId, segments: &[String]| -> (BindingId, Vec<String>) {
            keys.iter()
                .filter(|(kb, ks)| *kb == b && segments.starts_with(ks))
                .min_by_key(|(_, ks)| ks.len())
                .cloned()
                .unwrap_or((b, segments.to_vec()))
        };
        for (b, segments, levels, start) in &seen_chains {
            let (cb, cs) = cover(*b, segments);
            let index = match captures.iter().position(|c| c.root == cb && c.segments == cs) {
                Some(i) => i,
                None => {
                    let expression = self.slice(levels[cs.len()].clone()).to_string();
                    captures.push(Capture {
                        root: cb,
                        segments: cs.clone(),
                        first: *start,
                        expression,
                        param: String::new(),
                        ty: None,
                    });
                    captures.len() - 1
                }
            };
            uses.push(CaptureUse {
                range: levels[cs.len()].clone(),
                capture: index,
                bare: cs.is_empty(),
            });
        }

        // Types of the captured values; a function type cannot be bound.
        let mut notes = Vec::new();
        let mut capture_types = Vec::new();
        for capture in &captures {
            let ty = self.binding_type(capture.root, &capture.segments);
            if let Some((_, kind)) = &ty
                && kind == "function_type"
            {
                let name = &capture.expression;
                return refuse(format!(
                    "it uses `{name}`, a function, which cannot be bound to a Server Action (bound arguments must be serialisable) — do that work in the client after the action returns"
                ));
            }
            let ty = ty.map(|(t, _)| t);
            if self.module_ts && ty.is_none() {
                notes.push(Note::at(
                    capture.first,
                    format!(
                        "the type of `{}` is not spelled out in the source, so its parameter in {} is typed `any` — give it its real type there",
                        capture.expression, self.module_name
                    ),
                ));
            }
            if let Some(t) = &ty {
                for &b in &t.imports {
                    if !imports.contains(&b) {
                        imports.push(b);
                    }
                }
            }
            capture_types.push(ty);
        }
        if !captures.is_empty()
            && let Form::Const {
                annotation: Some(_), ..
            } = &form
        {
            return refuse("it reads values of the component, and the type annotation of its `const` would not allow the parameters that carry them — remove the annotation and run again".into());
        }
        // Every reference to the action must see the captured values under the same names.
        if !captures.is_empty() {
            for &b in &own {
                for reference in self.scopes.references_to(b) {
                    if contains(&removed, &reference.range) {
                        continue;
                    }
                    for capture in &captures {
                        let root = &self.scopes.bindings[capture.root];
                        if self.scopes.lookup(&root.name, reference.scope) != Some(capture.root) {
                            return refuse(format!(
                                "it is used where `{}` means something else, so `.bind(null, ...)` cannot be written there — move it by hand",
                                root.name
                            ));
                        }
                    }
                }
            }
        }
        imports.sort_by_key(|&b| self.scopes.bindings[b].ident.start);
        Ok((
            Plan {
                function: function.byte_range(),
                directive: found.directive.clone(),
                form,
                kind,
                own,
                old_name,
                base_name,
                name: String::new(),
                captures,
                uses,
                imports,
                removed,
                capture_types,
            },
            notes,
        ))
    }

    /// How findings name the action: `save`, or "this inline Server Action".
    fn subject(&self, function: Node) -> String {
        let name = crate::syntax::function_name(function);
        match name {
            Some(name) => format!("the inline Server Action `{}`", self.slice(name.byte_range())),
            None => "this inline Server Action".to_string(),
        }
    }

    /// The name of the component (the nearest named function) around `node`.
    fn component_name(&self, node: Node) -> String {
        let mut current = node.parent();
        while let Some(n) = current {
            if crate::syntax::is_function(n.kind()) {
                if let Some(name) = n.child_by_field_name("name") {
                    return self.slice(name.byte_range()).to_string();
                }
                if let Some(p) = n.parent()
                    && p.kind() == "variable_declarator"
                    && let Some(name) = p.child_by_field_name("name").filter(|n| n.kind() == "identifier")
                {
                    return self.slice(name.byte_range()).to_string();
                }
            }
            current = n.parent();
        }
        "server".to_string()
    }

    /// The member chain starting at the identifier `range`: its property names, the range of
    /// each level (level 0 is the identifier), and whether the identifier itself is called.
    /// A method call's method is not part of the chain: `post.title.trim()` captures `post.title`.
    fn chain_of(&self, range: Range<usize>) -> (Vec<String>, Vec<Range<usize>>, bool) {
        let Some(ident) = self.node_at(range.clone()) else {
            return (Vec::new(), vec![range], false);
        };
        let mut node = ident;
        let mut segments = Vec::new();
        let mut levels = vec![ident.byte_range()];
        while let Some(parent) = node.parent() {
            let is_object = parent.kind() == "member_expression"
                && parent.child_by_field_name("object") == Some(node)
                && parent
                    .child_by_field_name("property")
                    .is_some_and(|p| p.kind() == "property_identifier");
            if !is_object {
                break;
            }
            let Some(property) = parent.child_by_field_name("property") else {
                break;
            };
            segments.push(self.slice(property.byte_range()).to_string());
            levels.push(parent.byte_range());
            node = parent;
        }
        let is_callee = |n: Node| {
            n.parent().is_some_and(|p| {
                matches!(p.kind(), "call_expression" | "new_expression")
                    && (p.child_by_field_name("function") == Some(n) || p.child_by_field_name("constructor") == Some(n))
            })
        };
        if !segments.is_empty() && is_callee(node) {
            segments.pop();
            levels.pop();
        }
        let called = segments.is_empty() && is_callee(ident);
        (segments, levels, called)
    }

    /// Why a captured local cannot be a bound argument, if it cannot.
    fn not_serialisable(&self, b: BindingId) -> Option<String> {
        let binding = &self.scopes.bindings[b];
        match binding.kind {
            BindingKind::Function => return Some("a function of the component".into()),
            BindingKind::Class => return Some("a class of the component".into()),
            BindingKind::Const | BindingKind::Let | BindingKind::Var => {}
            _ => return None,
        }
        let ident = self.node_at(binding.ident.clone())?;
        let mut node = ident;
        let mut pair_index = None;
        let declarator = loop {
            let parent = node.parent()?;
            if !PATTERN_KINDS.contains(&parent.kind()) && parent.kind() != "variable_declarator" {
                return None;
            }
            if parent.kind() == "array_pattern" && pair_index.is_none() {
                let mut c = parent.walk();
                pair_index = parent
                    .named_children(&mut c)
                    .filter(|n| n.kind() != "comment")
                    .position(|n| n == node);
            }
            if parent.kind() == "variable_declarator" {
                break parent;
            }
            node = parent;
        };
        let value = declarator.child_by_field_name("value")?;
        match value.kind() {
            "arrow_function" | "function_expression" => return Some("a function of the component".into()),
            "call_expression" => {}
            _ => return None,
        }
        let callee = value.child_by_field_name("function")?;
        let hook = match callee.kind() {
            "identifier" => self.slice(callee.byte_range()),
            "member_expression" => self.slice(callee.child_by_field_name("property")?.byte_range()),
            _ => return None,
        };
        let destructured = declarator
            .child_by_field_name("name")
            .is_some_and(|n| n.kind() == "array_pattern");
        match hook {
            "useRef" | "createRef" => Some(format!("a ref from {hook}")),
            "useCallback" => Some("a function of the component (from useCallback)".into()),
            "useState" | "useReducer" if destructured && pair_index == Some(1) => {
                Some(format!("a state setter from {hook}"))
            }
            _ if destructured && pair_index == Some(1) && FUNCTION_PAIR_HOOKS.contains(&hook) => {
                Some(format!("a function returned by {hook}"))
            }
            _ => None,
        }
    }
}

fn lower_camel(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Whether `node` or anything under it is of one of `kinds`.
fn has_kind(node: Node, kinds: &[&str]) -> bool {
    let mut cursor = node.walk();
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        if kinds.contains(&n.kind()) {
            return true;
        }
        todo.extend(n.children(&mut cursor));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::lower_camel;

    #[test]
    fn an_anonymous_action_is_named_after_its_component() {
        assert_eq!(lower_camel("UserForm"), "userForm");
        assert_eq!(lower_camel("userForm"), "userForm");
        assert_eq!(lower_camel(""), "");
    }
}
