//! A small scope model: which names each scope binds (imports, declarations, parameters,
//! destructuring patterns, catch clauses, types) and which binding every identifier refers to.
//!
//! It answers the two questions every transform asks: "is this identifier the binding imported
//! from module X?" and "is name N free here?". Types and values share one namespace here: that
//! only ever makes the model more careful (a type named like a value counts as a clash).

// Named here still for hoist-inline-actions until it moves to `crate::syntax`.
use crate::syntax::is_function;
use crate::syntax::{has_token, string_value};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::HashSet;
use std::ops::Range;
use tree_sitter::{Node, Tree};

pub type ScopeId = usize;
pub type BindingId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    Module,
    Function,
    Block,
    Catch,
}

#[derive(Debug, Clone)]
pub struct Scope {
    pub kind: ScopeKind,
    pub parent: Option<ScopeId>,
    pub range: Range<usize>,
    pub bindings: Vec<BindingId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Imported {
    Named(String),
    Default,
    Namespace,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportBinding {
    pub source: String,
    pub imported: Imported,
    /// `import type { X }` or `import { type X }`: binds no value.
    pub type_only: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BindingKind {
    Import(ImportBinding),
    Const,
    Let,
    Var,
    Function,
    Class,
    Param,
    CatchParam,
    /// Interfaces, type aliases, type parameters.
    Type,
    Enum,
}

#[derive(Debug, Clone)]
pub struct Binding {
    pub name: String,
    pub kind: BindingKind,
    pub scope: ScopeId,
    /// The identifier that introduces the name.
    pub ident: Range<usize>,
    /// The node that declares it: the import statement, variable declarator, function,
    /// parameter, catch clause, ...
    pub declaration: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// A plain identifier in an expression (including `typeof x` in a type).
    Value,
    /// `{ x }` in an object literal: renaming it needs `{ x: newName }`.
    Shorthand,
    /// A type name.
    Type,
    /// `export { x }` / `export { x as y }` without a `from`.
    Export,
}

#[derive(Debug, Clone)]
pub struct Reference {
    pub name: String,
    pub range: Range<usize>,
    pub kind: RefKind,
    pub scope: ScopeId,
    pub binding: Option<BindingId>,
}

#[derive(Debug, Default)]
pub struct ScopeTree {
    pub scopes: Vec<Scope>,
    pub bindings: Vec<Binding>,
    pub references: Vec<Reference>,
    /// Indexes that keep every question a hash probe or a binary search: the module scope of a
    /// generated file holds thousands of names, and scanning it per reference made the cost
    /// grow with the square of the file.
    index: Index,
}

#[derive(Debug, Default)]
struct Index {
    /// Each bound name, numbered.
    names: FxHashMap<String, u32>,
    /// (scope, name) → the latest binding of that name declared in that scope.
    by_scope_name: FxHashMap<(ScopeId, u32), BindingId>,
    /// The start of a binding's identifier → the binding.
    by_ident_start: FxHashMap<usize, BindingId>,
}

/// The node kinds that can name a binding.
fn is_name_kind(kind: &str) -> bool {
    matches!(kind, "identifier" | "shorthand_property_identifier" | "type_identifier")
}

/// `base`, or `base2`, `base3`, ... whichever `is_free` accepts first: how every new name is
/// spelled. [`ScopeTree::fresh_name`] asks the scopes of one file; a name that must be free in
/// two files (a function moved into another module) asks both.
pub fn fresh_name_where(base: &str, is_free: impl Fn(&str) -> bool) -> String {
    (1..)
        .map(|n| if n == 1 { base.to_string() } else { format!("{base}{n}") })
        .find(|candidate| is_free(candidate))
        .expect("an unbounded range always has a free name")
}

impl ScopeTree {
    pub fn build(tree: &Tree, text: &str) -> ScopeTree {
        Builder::new(text).run(tree)
    }

    /// The innermost scope whose range holds `offset`.
    pub fn scope_at(&self, offset: usize) -> ScopeId {
        // Scopes are numbered in pre-order and nest, so the last one starting at or before
        // `offset` is the innermost holder of it or lies inside a sibling of it: its nearest
        // ancestor that holds `offset` is the answer.
        let holds = |scope: &Scope| scope.range.start <= offset && offset < scope.range.end.max(scope.range.start + 1);
        let last_started = self.scopes.partition_point(|s| s.range.start <= offset);
        let mut current = last_started.checked_sub(1);
        while let Some(id) = current {
            if holds(&self.scopes[id]) {
                return id;
            }
            current = self.scopes[id].parent;
        }
        0
    }

    /// The binding `name` refers to when used in `scope`.
    pub fn lookup(&self, name: &str, scope: ScopeId) -> Option<BindingId> {
        let &name = self.index.names.get(name)?;
        let mut current = Some(scope);
        while let Some(id) = current {
            if let Some(&b) = self.index.by_scope_name.get(&(id, name)) {
                return Some(b);
            }
            current = self.scopes[id].parent;
        }
        None
    }

    pub fn lookup_at(&self, name: &str, offset: usize) -> Option<BindingId> {
        self.lookup(name, self.scope_at(offset))
    }

    /// The reference whose identifier spans exactly `range`.
    pub fn reference_at(&self, range: Range<usize>) -> Option<&Reference> {
        let i = self.references.partition_point(|r| r.range.start < range.start);
        self.references[i..]
            .iter()
            .take_while(|r| r.range.start == range.start)
            .find(|r| r.range == range)
    }

    /// The binding of the identifier at `range` (a reference or the declaring identifier).
    pub fn binding_of(&self, range: Range<usize>) -> Option<BindingId> {
        if let Some(reference) = self.reference_at(range.clone()) {
            return reference.binding;
        }
        self.index
            .by_ident_start
            .get(&range.start)
            .copied()
            .filter(|&b| self.bindings[b].ident == range)
    }

    pub fn references_to(&self, binding: BindingId) -> impl Iterator<Item = &Reference> {
        self.references.iter().filter(move |r| r.binding == Some(binding))
    }

    /// Whether the identifier at `range` is bound to `import ... from module` as `imported`.
    pub fn is_import_of(&self, range: Range<usize>, module: &str, imported: &Imported) -> bool {
        self.binding_of(range).is_some_and(|b| match &self.bindings[b].kind {
            BindingKind::Import(import) => import.source == module && &import.imported == imported,
            _ => false,
        })
    }

    /// Module-level import bindings from `module`.
    pub fn imports_from<'a>(
        &'a self,
        module: &'a str,
    ) -> impl Iterator<Item = (BindingId, &'a Binding, &'a ImportBinding)> + 'a {
        self.bindings
            .iter()
            .enumerate()
            .filter_map(move |(id, b)| match &b.kind {
                BindingKind::Import(import) if import.source == module => Some((id, b, import)),
                _ => None,
            })
    }

    /// Whether `name` is used anywhere in the file: bound in any scope or referenced (a global
    /// counts). A new module-level name must pass this, or it could capture or be shadowed.
    pub fn name_is_used(&self, name: &str) -> bool {
        self.bindings.iter().any(|b| b.name == name) || self.references.iter().any(|r| r.name == name)
    }

    /// Whether `name` can be declared in `scope` without clashing: not visible there, not bound
    /// in any scope inside it, and not referenced inside it.
    pub fn name_is_free_in(&self, name: &str, scope: ScopeId) -> bool {
        if self.lookup(name, scope).is_some() {
            return false;
        }
        let inside = |s: ScopeId| self.is_within(s, scope);
        !self.bindings.iter().any(|b| b.name == name && inside(b.scope))
            && !self.references.iter().any(|r| r.name == name && inside(r.scope))
    }

    /// `base`, or `base2`, `base3`, ... whichever is first free in `scope`, skipping `taken`.
    pub fn fresh_name(&self, base: &str, scope: ScopeId, taken: &[String]) -> String {
        fresh_name_where(base, |candidate| {
            self.name_is_free_in(candidate, scope) && !taken.iter().any(|t| t == candidate)
        })
    }

    /// Whether `inner` is `outer` or nested inside it.
    pub fn is_within(&self, inner: ScopeId, outer: ScopeId) -> bool {
        let mut current = Some(inner);
        while let Some(id) = current {
            if id == outer {
                return true;
            }
            current = self.scopes[id].parent;
        }
        false
    }

    /// The nearest function (or module) scope around `scope`.
    pub fn function_scope(&self, mut scope: ScopeId) -> ScopeId {
        while let Some(parent) = self.scopes[scope].parent {
            if self.scopes[scope].kind == ScopeKind::Function {
                return scope;
            }
            scope = parent;
        }
        scope
    }
}

struct Builder<'t> {
    text: &'t str,
    tree: ScopeTree,
    /// Identifier nodes that declare a name (so they are not references). Node ids are
    /// addresses: Fx hashing suffices, and SipHash (the default) cost more than the rest of the walk.
    declaring: FxHashSet<usize>,
    /// (cursor depth, scope) of the scopes the walk is inside.
    stack: Vec<(usize, ScopeId)>,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str) -> Builder<'t> {
        Builder {
            text,
            tree: ScopeTree::default(),
            declaring: HashSet::default(),
            stack: Vec::new(),
        }
    }

    fn run(mut self, tree: &Tree) -> ScopeTree {
        let root = tree.root_node();
        self.push_scope(ScopeKind::Module, root, 0);
        let mut cursor = root.walk();
        // The walk keeps its ancestors: `Node::parent` walks down from the root every time.
        let mut ancestors: Vec<Node> = Vec::new();
        // Pre-order walk without recursion: deeply nested input must not overflow the stack.
        'walk: loop {
            let node = cursor.node();
            let depth = ancestors.len();
            if depth > 0 {
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
            }
            if cursor.goto_first_child() {
                ancestors.push(node);
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    continue 'walk;
                }
                if !cursor.goto_parent() {
                    break 'walk;
                }
                ancestors.pop();
            }
        }
        self.resolve();
        self.tree
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

    fn resolve(&mut self) {
        self.index_bindings();
        let mut references = std::mem::take(&mut self.tree.references);
        for reference in &mut references {
            reference.binding = self.tree.lookup(&reference.name, reference.scope);
        }
        references.sort_by_key(|r| r.range.start);
        self.tree.references = references;
    }
}

impl Builder<'_> {
    fn index_bindings(&mut self) {
        let tree = &mut self.tree;
        for (id, binding) in tree.bindings.iter().enumerate() {
            let next = tree.index.names.len() as u32;
            let name = *tree.index.names.entry(binding.name.clone()).or_insert(next);
            // Later declarations of a name in one scope win, as the scan from the end did.
            tree.index.by_scope_name.insert((binding.scope, name), id);
            tree.index.by_ident_start.entry(binding.ident.start).or_insert(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{Lang, Parsers};

    fn build(text: &str) -> ScopeTree {
        let tree = Parsers::new().parse(Lang::Tsx, text, None).unwrap();
        assert!(!tree.root_node().has_error());
        ScopeTree::build(&tree, text)
    }

    fn nth(text: &str, needle: &str, n: usize) -> Range<usize> {
        let start = text.match_indices(needle).nth(n).unwrap().0;
        start..start + needle.len()
    }

    #[test]
    fn imports_bind_at_module_level() {
        let text = "import React, { useState as us, type FC } from 'react';\nimport * as D from 'react-dom';\nimport type { T } from 'x';\nus(); D.render(); React;\n";
        let scopes = build(text);
        assert!(scopes.is_import_of(nth(text, "us", 1), "react", &Imported::Named("useState".into())));
        assert!(scopes.is_import_of(nth(text, "D", 1), "react-dom", &Imported::Namespace));
        assert!(scopes.is_import_of(nth(text, "React", 1), "react", &Imported::Default));
        let fc = scopes.lookup("FC", 0).unwrap();
        assert!(matches!(&scopes.bindings[fc].kind, BindingKind::Import(i) if i.type_only));
        let t = scopes.lookup("T", 0).unwrap();
        assert!(matches!(&scopes.bindings[t].kind, BindingKind::Import(i) if i.type_only));
    }

    #[test]
    fn parameters_and_locals_shadow_imports() {
        let text = "import { f } from 'm';\nfunction a(f) { return f; }\nconst b = ({ f }) => f;\nfunction c() { const f = 1; { f; } }\nfunction d() { try {} catch (f) { f } }\nf();\n";
        let scopes = build(text);
        let last = nth(text, "f()", 0);
        assert!(scopes.is_import_of(last.start..last.start + 1, "m", &Imported::Named("f".into())));
        let uses: Vec<_> = text.match_indices('f').map(|(i, _)| i..i + 1).collect();
        let imported: Vec<_> = uses
            .iter()
            .filter(|r| scopes.is_import_of((*r).clone(), "m", &Imported::Named("f".into())))
            .map(|r| r.start)
            .collect();
        // The specifier itself and the last call; every other `f` is a parameter, a local or a catch.
        assert_eq!(imported, vec![text.find("{ f }").unwrap() + 2, last.start]);
    }

    #[test]
    fn references_cover_shorthand_types_exports_and_jsx() {
        let text = "import { X } from 'm';\ntype Y = typeof X;\nconst o = { X };\nexport { X };\nconst e = <X />;\nconst div = 1;\nconst g = <div />;\n";
        let scopes = build(text);
        let x = scopes.lookup("X", 0).unwrap();
        let kinds: Vec<RefKind> = scopes.references_to(x).map(|r| r.kind).collect();
        assert_eq!(
            kinds,
            vec![RefKind::Value, RefKind::Shorthand, RefKind::Export, RefKind::Value]
        );
        let div = scopes.lookup("div", 0).unwrap();
        assert_eq!(scopes.references_to(div).count(), 0);
    }

    #[test]
    fn var_hoists_to_the_function_and_let_stays_in_the_block() {
        let text = "function f() { { var a = 1; let b = 2; } a; b; }\n";
        let scopes = build(text);
        let a_use = nth(text, "a;", 0);
        let b_use = nth(text, "b;", 0);
        assert!(scopes.binding_of(a_use.start..a_use.start + 1).is_some());
        assert!(scopes.binding_of(b_use.start..b_use.start + 1).is_none());
    }

    #[test]
    fn free_names_and_fresh_names() {
        let text = "const redirectPath = 1;\nfunction f(x) { const inner = 2; return x; }\nuseActionState;\n";
        let scopes = build(text);
        assert!(scopes.name_is_used("useActionState"));
        assert!(scopes.name_is_used("inner"));
        assert!(!scopes.name_is_used("other"));
        let body = scopes.scope_at(text.find("return").unwrap());
        assert!(!scopes.name_is_free_in("redirectPath", body));
        assert!(!scopes.name_is_free_in("inner", 0));
        assert_eq!(scopes.fresh_name("redirectPath", body, &[]), "redirectPath2");
        assert_eq!(scopes.fresh_name("err", body, &["err".into()]), "err2");
        assert_eq!(fresh_name_where("save", |n| n != "save" && n != "save2"), "save3");
        assert_eq!(fresh_name_where("save", |_| true), "save");
    }

    #[test]
    fn destructuring_patterns_bind_every_name() {
        let text = "const { a, b: c, d = 1, ...e } = o;\nconst [f, [g], h = 2, ...i] = p;\nfunction k({ l }: { l: string }, [m]: number[], n = 3) {}\n";
        let scopes = build(text);
        for name in ["a", "c", "d", "e", "f", "g", "h", "i", "k"] {
            assert!(scopes.lookup(name, 0).is_some(), "{name}");
        }
        assert!(scopes.lookup("b", 0).is_none());
        let k = scopes.scope_at(text.find("n = 3").unwrap());
        for name in ["l", "m", "n"] {
            assert_eq!(
                scopes.bindings[scopes.lookup(name, k).unwrap()].kind,
                BindingKind::Param,
                "{name}"
            );
        }
    }
}
