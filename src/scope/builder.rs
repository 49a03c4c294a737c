//! Building the scope model: one walk of the tree declares every binding in its scope, then
//! resolves every identifier that is not a declaration.

use super::*;
use crate::fix::Edit;
use crate::syntax::{has_token, is_function, string_value};
use rustc_hash::FxHashSet;

pub(super) struct Builder<'t> {
    text: &'t str,
    tree: ScopeTree,
    /// Identifier nodes that declare a name (so they are not references). Node ids are
    /// addresses: Fx hashing suffices, and SipHash (the default) cost more than the rest of the walk.
    declaring: FxHashSet<usize>,
    /// (cursor depth, scope) of the scopes the walk is inside.
    stack: Vec<(usize, ScopeId)>,
}

impl<'t> Builder<'t> {
    pub(super) fn new(text: &'t str) -> Builder<'t> {
        Builder {
            text,
            tree: ScopeTree::default(),
            declaring: HashSet::default(),
            stack: Vec::new(),
        }
    }

    /// Walks every top-level statement, or, given the model of the text before `edits`,
    /// copies those no edit touched from it.
    pub(super) fn run(mut self, tree: &Tree, before: Option<(&ScopeTree, &[Edit])>) -> ScopeTree {
        let root = tree.root_node();
        self.push_scope(ScopeKind::Module, root, 0);
        let edits: Vec<(usize, usize, usize)> = match before {
            Some((_, edits)) => {
                let mut layer: Vec<_> = edits.iter().map(|e| (e.start, e.end, e.text.len())).collect();
                layer.sort_unstable();
                layer
            }
            None => Vec::new(),
        };
        let mut cursor = root.walk();
        let statements: Vec<Node> = root.children(&mut cursor).collect();
        for statement in statements {
            let range = statement.byte_range();
            let (scopes, bindings) = (self.tree.scopes.len(), self.tree.bindings.len());
            let copied = before.and_then(|(old, _)| {
                let shift = untouched_shift(&edits, &range)?;
                let old_range = range.start.checked_sub_signed(shift)?..range.end.checked_sub_signed(shift)?;
                let i = old.statements.partition_point(|s| s.range.start < old_range.start);
                let span = old.statements.get(i).filter(|s| s.range == old_range)?;
                self.copy_statement(old, span, shift);
                Some(())
            });
            if copied.is_none() {
                self.walk_statement(statement, root);
            }
            self.tree.statements.push(StatementSpan {
                range,
                scopes: scopes..self.tree.scopes.len(),
                bindings: bindings..self.tree.bindings.len(),
            });
        }
        resolve(&mut self.tree);
        self.tree
    }

    /// Walks one top-level statement, pre-order and without recursion (deeply nested input
    /// must not overflow the stack).
    fn walk_statement(&mut self, statement: Node, root: Node) {
        let mut cursor = statement.walk();
        // The walk keeps its ancestors: `Node::parent` walks down from the root every time.
        let mut ancestors: Vec<Node> = vec![root];
        'walk: loop {
            let node = cursor.node();
            let depth = ancestors.len();
            while self.stack.last().is_some_and(|&(d, _)| d >= depth) {
                self.stack.pop();
            }
            // Punctuation and keywords declare and reference nothing.
            if node.is_named() {
                let field = if is_name_kind(node.kind()) {
                    cursor.field_name()
                } else {
                    None
                };
                self.enter(node, depth, &ancestors, field);
            }
            if cursor.goto_first_child() {
                ancestors.push(node);
                continue;
            }
            loop {
                if ancestors.len() == 1 || cursor.goto_next_sibling() {
                    // Back at the statement: its subtree is done.
                    if ancestors.len() == 1 {
                        break 'walk;
                    }
                    continue 'walk;
                }
                if !cursor.goto_parent() {
                    break 'walk;
                }
                ancestors.pop();
            }
        }
    }

    /// Copies what `span` of the old model holds, moved by `shift` bytes; references are
    /// resolved again with the rest.
    fn copy_statement(&mut self, old: &ScopeTree, span: &StatementSpan, shift: isize) {
        let moved = |r: &Range<usize>| r.start.saturating_add_signed(shift)..r.end.saturating_add_signed(shift);
        let scope_base = self.tree.scopes.len();
        let binding_base = self.tree.bindings.len();
        let scope_of = |s: ScopeId| if s == 0 { 0 } else { s - span.scopes.start + scope_base };
        let binding_of = |b: BindingId| b - span.bindings.start + binding_base;
        for scope in &old.scopes[span.scopes.clone()] {
            self.tree.scopes.push(Scope {
                kind: scope.kind,
                parent: scope.parent.map(scope_of),
                range: moved(&scope.range),
                bindings: scope.bindings.iter().map(|&b| binding_of(b)).collect(),
            });
        }
        for (i, binding) in old.bindings[span.bindings.clone()].iter().enumerate() {
            let scope = scope_of(binding.scope);
            if scope == 0 {
                self.tree.scopes[0].bindings.push(binding_base + i);
            }
            self.tree.bindings.push(Binding {
                name: binding.name.clone(),
                kind: binding.kind.clone(),
                scope,
                ident: moved(&binding.ident),
                declaration: moved(&binding.declaration),
            });
        }
        let from = old.references.partition_point(|r| r.range.start < span.range.start);
        for reference in old.references[from..]
            .iter()
            .take_while(|r| r.range.start < span.range.end)
        {
            self.tree.references.push(Reference {
                name: reference.name.clone(),
                range: moved(&reference.range),
                kind: reference.kind,
                scope: scope_of(reference.scope),
                binding: None,
            });
        }
    }

    fn current(&self) -> ScopeId {
        self.stack.last().map_or(0, |&(_, s)| s)
    }

    fn push_scope(&mut self, kind: ScopeKind, node: Node, depth: usize) -> ScopeId {
        let parent = self.stack.last().map(|&(_, s)| s);
        let id = self.tree.scopes.len();
        self.tree.scopes.push(Scope {
            kind,
            parent,
            range: node.byte_range(),
            bindings: Vec::new(),
        });
        self.stack.push((depth, id));
        id
    }

    fn nearest_function_scope(&self) -> ScopeId {
        self.stack
            .iter()
            .rev()
            .map(|&(_, s)| s)
            .find(|&s| matches!(self.tree.scopes[s].kind, ScopeKind::Function | ScopeKind::Module))
            .unwrap_or(0)
    }

    fn declare(&mut self, ident: Node, kind: BindingKind, scope: ScopeId, declaration: Node) {
        self.declaring.insert(ident.id());
        let id = self.tree.bindings.len();
        self.tree.bindings.push(Binding {
            name: self.text[ident.byte_range()].to_string(),
            kind,
            scope,
            ident: ident.byte_range(),
            declaration: declaration.byte_range(),
        });
        self.tree.scopes[scope].bindings.push(id);
    }

    /// Declares every name a pattern binds (`a`, `{ a, b: c }`, `[d = 1, ...e]`, parameters).
    fn declare_pattern(&mut self, pattern: Node, kind: &BindingKind, scope: ScopeId, declaration: Node) {
        let mut todo = vec![pattern];
        while let Some(node) = todo.pop() {
            match node.kind() {
                "identifier" | "shorthand_property_identifier_pattern" => {
                    self.declare(node, kind.clone(), scope, declaration)
                }
                "object_pattern" | "array_pattern" | "rest_pattern" => {
                    let mut c = node.walk();
                    todo.extend(node.named_children(&mut c));
                }
                "pair_pattern" => todo.extend(node.child_by_field_name("value")),
                "assignment_pattern" | "object_assignment_pattern" => todo.extend(node.child_by_field_name("left")),
                "required_parameter" | "optional_parameter" => todo.extend(node.child_by_field_name("pattern")),
                _ => {}
            }
        }
    }

    fn enter(&mut self, node: Node, depth: usize, ancestors: &[Node], field: Option<&str>) {
        let parent = ancestors.last().copied();
        let kind = node.kind();
        match kind {
            "function_declaration" | "generator_function_declaration" => {
                if let Some(name) = node.child_by_field_name("name") {
                    let scope = self.current();
                    self.declare(name, BindingKind::Function, scope, node);
                }
                self.enter_function(node, depth);
            }
            "function_expression" | "function" | "generator_function" => {
                let scope = self.enter_function(node, depth);
                if let Some(name) = node.child_by_field_name("name") {
                    self.declare(name, BindingKind::Function, scope, node);
                }
            }
            "arrow_function" | "method_definition" => {
                self.enter_function(node, depth);
            }
            "statement_block" => {
                let parent_is_function = parent.is_some_and(|p| is_function(p.kind()));
                if !parent_is_function {
                    self.push_scope(ScopeKind::Block, node, depth);
                }
            }
            "for_statement" | "for_in_statement" | "switch_body" => {
                let scope = self.push_scope(ScopeKind::Block, node, depth);
                if kind == "for_in_statement"
                    && let (Some(left), Some(k)) = (node.child_by_field_name("left"), node.child_by_field_name("kind"))
                {
                    let binding = match k.kind() {
                        "const" => BindingKind::Const,
                        "let" => BindingKind::Let,
                        _ => BindingKind::Var,
                    };
                    let target = if binding == BindingKind::Var {
                        self.nearest_function_scope()
                    } else {
                        scope
                    };
                    self.declare_pattern(left, &binding, target, node);
                }
            }
            "catch_clause" => {
                let scope = self.push_scope(ScopeKind::Catch, node, depth);
                if let Some(param) = node.child_by_field_name("parameter") {
                    self.declare_pattern(param, &BindingKind::CatchParam, scope, node);
                }
            }
            "variable_declarator" => {
                let Some(name) = node.child_by_field_name("name") else {
                    return;
                };
                let binding = match parent {
                    Some(p) if p.kind() == "lexical_declaration" => {
                        if p.child(0).is_some_and(|k| k.kind() == "const") {
                            BindingKind::Const
                        } else {
                            BindingKind::Let
                        }
                    }
                    _ => BindingKind::Var,
                };
                let scope = if binding == BindingKind::Var {
                    self.nearest_function_scope()
                } else {
                    self.current()
                };
                self.declare_pattern(name, &binding, scope, node);
            }
            "class_declaration" | "abstract_class_declaration" => {
                if let Some(name) = node.child_by_field_name("name") {
                    let scope = self.current();
                    self.declare(name, BindingKind::Class, scope, node);
                }
            }
            "interface_declaration" | "type_alias_declaration" | "type_parameter" => {
                if let Some(name) = node.child_by_field_name("name") {
                    let scope = self.current();
                    self.declare(name, BindingKind::Type, scope, node);
                }
            }
            "enum_declaration" => {
                if let Some(name) = node.child_by_field_name("name") {
                    let scope = self.current();
                    self.declare(name, BindingKind::Enum, scope, node);
                }
            }
            "import_statement" => self.declare_import(node),
            "identifier" | "shorthand_property_identifier" | "type_identifier" => {
                self.reference(node, ancestors, field)
            }
            _ => {}
        }
    }

    fn enter_function(&mut self, node: Node, depth: usize) -> ScopeId {
        let scope = self.push_scope(ScopeKind::Function, node, depth);
        if let Some(params) = node.child_by_field_name("parameters") {
            let mut c = params.walk();
            let list: Vec<Node> = params.named_children(&mut c).collect();
            for param in list {
                self.declare_pattern(param, &BindingKind::Param, scope, param);
            }
        } else if let Some(param) = node.child_by_field_name("parameter") {
            self.declare_pattern(param, &BindingKind::Param, scope, param);
        }
        scope
    }

    fn declare_import(&mut self, statement: Node) {
        let Some(source) = statement.child_by_field_name("source") else {
            return;
        };
        let source = string_value(self.text, source).to_string();
        let statement_is_type = has_token(statement, "type");
        let mut c = statement.walk();
        let Some(clause) = statement.named_children(&mut c).find(|n| n.kind() == "import_clause") else {
            return;
        };
        let mut c = clause.walk();
        let parts: Vec<Node> = clause.named_children(&mut c).collect();
        for part in parts {
            match part.kind() {
                "identifier" => {
                    self.declare_import_name(part, &source, Imported::Default, statement_is_type, statement)
                }
                "namespace_import" => {
                    let mut c = part.walk();
                    let ident = part.named_children(&mut c).find(|n| n.kind() == "identifier");
                    if let Some(ident) = ident {
                        self.declare_import_name(ident, &source, Imported::Namespace, statement_is_type, statement);
                    }
                }
                "named_imports" => {
                    let mut c = part.walk();
                    let specifiers: Vec<Node> = part
                        .named_children(&mut c)
                        .filter(|n| n.kind() == "import_specifier")
                        .collect();
                    for specifier in specifiers {
                        let Some(name) = specifier.child_by_field_name("name") else {
                            continue;
                        };
                        let local = specifier.child_by_field_name("alias").unwrap_or(name);
                        self.declaring.insert(name.id());
                        let imported = Imported::Named(string_value(self.text, name).to_string());
                        let type_only = statement_is_type || has_token(specifier, "type");
                        self.declare_import_name(local, &source, imported, type_only, statement);
                    }
                }
                _ => {}
            }
        }
    }

    fn declare_import_name(&mut self, ident: Node, source: &str, imported: Imported, type_only: bool, statement: Node) {
        let kind = BindingKind::Import(ImportBinding {
            source: source.to_string(),
            imported,
            type_only,
        });
        self.declare(ident, kind, 0, statement);
    }

    fn reference(&mut self, node: Node, ancestors: &[Node], field: Option<&str>) {
        if self.declaring.contains(&node.id()) {
            return;
        }
        let Some(&parent) = ancestors.last() else { return };
        let is_field = |name: &str| field == Some(name);
        let kind = match (node.kind(), parent.kind()) {
            (_, "import_specifier" | "namespace_import" | "import_clause") => return,
            (_, "export_specifier") => {
                // export_specifier < export_clause < export_statement
                let statement = ancestors.len().checked_sub(3).map(|i| ancestors[i]);
                let has_source = statement.is_some_and(|s| s.child_by_field_name("source").is_some());
                if has_source || is_field("alias") {
                    return;
                }
                RefKind::Export
            }
            (_, "jsx_opening_element" | "jsx_closing_element" | "jsx_self_closing_element") => {
                // `<div>` names an element, not a binding.
                if self.text[node.byte_range()].starts_with(|c: char| c.is_ascii_lowercase()) {
                    return;
                }
                RefKind::Value
            }
            ("type_identifier", "nested_type_identifier") if is_field("name") => return,
            ("shorthand_property_identifier", _) => RefKind::Shorthand,
            ("type_identifier", _) => RefKind::Type,
            _ => RefKind::Value,
        };
        let scope = self.current();
        self.tree.references.push(Reference {
            name: self.text[node.byte_range()].to_string(),
            range: node.byte_range(),
            kind,
            scope,
            binding: None,
        });
    }
}

/// Indexes the bindings and resolves every reference (both walks end here).
pub(super) fn resolve(tree: &mut ScopeTree) {
    index_bindings(tree);
    let mut references = std::mem::take(&mut tree.references);
    for reference in &mut references {
        reference.binding = tree.lookup(&reference.name, reference.scope);
    }
    references.sort_by_key(|r| r.range.start);
    tree.references = references;
}

/// How far the edits moved a top-level statement of the new text (new offset − old offset), or
/// `None` when one of them touched it. `edits` are (start, old end, new length), in order.
fn untouched_shift(edits: &[(usize, usize, usize)], range: &Range<usize>) -> Option<isize> {
    let mut shift: isize = 0;
    for &(start, end, len) in edits {
        let new_start = start.checked_add_signed(shift)?;
        let new_end = new_start + len;
        if new_end <= range.start {
            shift += len as isize - (end - start) as isize;
        } else if new_start >= range.end {
            break;
        } else {
            return None;
        }
    }
    Some(shift)
}

fn index_bindings(tree: &mut ScopeTree) {
    for (id, binding) in tree.bindings.iter().enumerate() {
        let next = tree.index.names.len() as u32;
        let name = *tree.index.names.entry(binding.name.clone()).or_insert(next);
        // Later declarations of a name in one scope win, as the scan from the end did.
        tree.index.by_scope_name.insert((binding.scope, name), id);
        tree.index.by_ident_start.entry(binding.ident.start).or_insert(id);
    }
}
