//! The scope model made from oxc's syntax tree instead of tree-sitter's.
//!
//! Walking a tree-sitter tree costs about a third of parsing it (its cursor steps through every
//! token), while oxc parses a whole file into a compact tree in a fraction of that. The model
//! made here is the one [`super::Builder`] makes, scope for scope and binding for binding, with
//! the same node ranges and the same readings of the grammar (an index signature's name is a
//! reference there, so it is here); debug builds compare the two on every file. What this walk
//! does not know to model exactly (namespaces, decorators, overloads, `declare`, ...) makes it
//! give up, and the tree-sitter walk builds the model.

use super::*;
use oxc_allocator::Allocator;
use oxc_ast::ast::*;
use oxc_ast_visit::{Visit, walk};
use oxc_span::{SourceType, Span};
use oxc_syntax::scope::ScopeFlags;
use std::cell::RefCell;

thread_local! {
    /// One arena per thread, emptied after each file: a fresh one per file paid its page faults.
    static ARENA: RefCell<Allocator> = RefCell::new(Allocator::default());
}

/// The model of `text`, or `None` when oxc rejects it or it holds a construct this walk leaves
/// to the tree-sitter one.
pub(super) fn build(tree: &Tree, text: &str) -> Option<ScopeTree> {
    let root = tree.root_node();
    // `.ts` files are read without JSX, everything else as TSX: as the tree-sitter grammars do.
    let source_type = if tree.language().id_for_node_kind("jsx_element", true) != 0 {
        SourceType::tsx()
    } else {
        SourceType::ts()
    };
    ARENA.with(|arena| {
        let mut arena = arena.borrow_mut();
        let model = {
            let parsed = oxc_parser::Parser::new(&arena, text, source_type).parse();
            if parsed.panicked || !parsed.diagnostics.is_empty() {
                None
            } else {
                let mut walk = Walk {
                    text,
                    root,
                    tree: ScopeTree::default(),
                    stack: Vec::new(),
                    unsupported: false,
                };
                walk.push_scope(ScopeKind::Module, root.byte_range());
                walk.visit_program(&parsed.program);
                (!walk.unsupported).then_some(walk.tree)
            }
        };
        // Emptied whatever the outcome: the next file reuses the memory.
        arena.reset();
        let mut model = model?;
        model.statements = statement_spans(root, &model);
        super::builder::resolve(&mut model);
        Some(model)
    })
}

/// What each top-level statement of the tree-sitter tree holds: the walk numbers scopes and
/// bindings in source order, so each statement's are a run.
fn statement_spans(root: Node, model: &ScopeTree) -> Vec<StatementSpan> {
    let mut cursor = root.walk();
    let (mut scope, mut binding) = (1, 0);
    root.children(&mut cursor)
        .map(|statement| {
            let range = statement.byte_range();
            let scopes_from = scope;
            while model.scopes.get(scope).is_some_and(|s| s.range.start < range.end) {
                scope += 1;
            }
            let bindings_from = binding;
            while model.bindings.get(binding).is_some_and(|b| b.ident.start < range.end) {
                binding += 1;
            }
            StatementSpan {
                range,
                scopes: scopes_from..scope,
                bindings: bindings_from..binding,
            }
        })
        .collect()
}

fn range(span: Span) -> Range<usize> {
    span.start as usize..span.end as usize
}

struct Walk<'t> {
    text: &'t str,
    root: Node<'t>,
    tree: ScopeTree,
    stack: Vec<ScopeId>,
    unsupported: bool,
}

/// A step of declaring a pattern's names, in the order the tree-sitter walk takes them (a
/// stack: the last name of a pattern is declared first).
enum Step<'b, 'a> {
    Pattern(&'b BindingPattern<'a>),
    Property(&'b BindingProperty<'a>),
    Rest(&'b BindingRestElement<'a>),
}

impl<'t> Walk<'t> {
    fn current(&self) -> ScopeId {
        self.stack.last().copied().unwrap_or(0)
    }

    fn push_scope(&mut self, kind: ScopeKind, range: Range<usize>) -> ScopeId {
        let id = self.tree.scopes.len();
        self.tree.scopes.push(Scope {
            kind,
            parent: self.stack.last().copied(),
            range,
            bindings: Vec::new(),
        });
        self.stack.push(id);
        id
    }

    fn pop_scope(&mut self) {
        self.stack.pop();
    }

    /// The range tree-sitter gives the node oxc spans with `span`: the same, except that a
    /// comment right after a node can be part of it there (`while (x) {} // wait`).
    fn node_range(&mut self, span: Span) -> Range<usize> {
        let oxc = range(span);
        let after = self.text[oxc.end..].trim_start();
        if !after.starts_with("//") && !after.starts_with("/*") {
            return oxc;
        }
        match self.root.descendant_for_byte_range(oxc.start, oxc.end) {
            Some(node) if node.start_byte() == oxc.start && node.end_byte() >= oxc.end => node.byte_range(),
            _ => {
                self.unsupported = true;
                oxc
            }
        }
    }

    fn nearest_function_scope(&self) -> ScopeId {
        self.stack
            .iter()
            .rev()
            .copied()
            .find(|&s| matches!(self.tree.scopes[s].kind, ScopeKind::Function | ScopeKind::Module))
            .unwrap_or(0)
    }

    fn declare(&mut self, ident: Span, kind: BindingKind, scope: ScopeId, declaration: Range<usize>) {
        let ident = range(ident);
        let name = &self.text[ident.clone()];
        // tree-sitter reads `undefined` as its own node, never as a name.
        if name == "undefined" {
            self.unsupported = true;
        }
        let id = self.tree.bindings.len();
        self.tree.bindings.push(Binding {
            name: name.to_string(),
            kind,
            scope,
            ident,
            declaration,
        });
        self.tree.scopes[scope].bindings.push(id);
    }

    fn reference(&mut self, span: Span, kind: RefKind) {
        let range = range(span);
        self.tree.references.push(Reference {
            name: self.text[range.clone()].to_string(),
            range,
            kind,
            scope: self.current(),
            binding: None,
        });
    }

    fn declare_pattern(
        &mut self,
        pattern: &BindingPattern,
        kind: &BindingKind,
        scope: ScopeId,
        declaration: &Range<usize>,
    ) {
        let mut todo = vec![Step::Pattern(pattern)];
        while let Some(step) = todo.pop() {
            match step {
                Step::Pattern(BindingPattern::BindingIdentifier(id)) => {
                    self.declare(id.span, kind.clone(), scope, declaration.clone())
                }
                Step::Pattern(BindingPattern::ObjectPattern(object)) => {
                    todo.extend(object.properties.iter().map(Step::Property));
                    todo.extend(object.rest.as_deref().map(Step::Rest));
                }
                Step::Pattern(BindingPattern::ArrayPattern(array)) => {
                    todo.extend(array.elements.iter().flatten().map(Step::Pattern));
                    todo.extend(array.rest.as_deref().map(Step::Rest));
                }
                Step::Pattern(BindingPattern::AssignmentPattern(assignment)) => {
                    todo.push(Step::Pattern(&assignment.left))
                }
                Step::Rest(rest) => todo.push(Step::Pattern(&rest.argument)),
                // `{ a }` and `{ a = 1 }` declare `a`; `{ a: b }` declares what `b` does.
                Step::Property(property) => todo.push(Step::Pattern(&property.value)),
            }
        }
    }

    fn declare_parameters(&mut self, params: &FormalParameters, scope: ScopeId) {
        for param in &params.items {
            let declaration = self.node_range(param.span);
            self.declare_pattern(&param.pattern, &BindingKind::Param, scope, &declaration);
        }
        if let Some(rest) = &params.rest {
            let declaration = self.node_range(rest.span);
            self.declare_pattern(&rest.rest.argument, &BindingKind::Param, scope, &declaration);
        }
    }

    /// The parameters of a signature (`(a: string) => void`, a method of an interface): the
    /// tree-sitter walk declares no names there, and reads each identifier as a reference.
    fn signature_parameters(&mut self, params: &FormalParameters) {
        for param in &params.items {
            if !param.decorators.is_empty() {
                self.unsupported = true;
            }
            self.pattern_as_references(&param.pattern);
            if let Some(annotation) = &param.type_annotation {
                self.visit_ts_type_annotation(annotation);
            }
            if let Some(initializer) = &param.initializer {
                self.visit_expression(initializer);
            }
        }
        if let Some(rest) = &params.rest {
            self.pattern_as_references(&rest.rest.argument);
            if let Some(annotation) = &rest.type_annotation {
                self.visit_ts_type_annotation(annotation);
            }
        }
    }

    /// A signature without a body (an interface's method, a function type): no scope, and its
    /// parameters are references there.
    fn signature(
        &mut self,
        type_parameters: Option<&TSTypeParameterDeclaration>,
        this_param: Option<&TSThisParameter>,
        params: &FormalParameters,
        return_type: Option<&TSTypeAnnotation>,
    ) {
        self.type_parameters(type_parameters);
        if let Some(this_param) = this_param {
            self.visit_ts_this_parameter(this_param);
        }
        self.signature_parameters(params);
        if let Some(return_type) = return_type {
            self.visit_ts_type_annotation(return_type);
        }
    }

    fn pattern_as_references(&mut self, pattern: &BindingPattern) {
        match pattern {
            BindingPattern::BindingIdentifier(id) => self.reference(id.span, RefKind::Value),
            // A shorthand `{ a }` is a pattern node there, not an identifier.
            _ => self.unsupported = true,
        }
    }

    fn type_parameters(&mut self, declaration: Option<&TSTypeParameterDeclaration>) {
        if let Some(declaration) = declaration {
            self.visit_ts_type_parameter_declaration(declaration);
        }
    }

    /// A type name: `A` is a type there, and `A.B` a value `A` (a namespace) and a member.
    fn type_name(&mut self, name: &TSTypeName) {
        match name {
            TSTypeName::IdentifierReference(id) => self.reference(id.span, RefKind::Type),
            TSTypeName::QualifiedName(_) => self.leftmost_value(name),
            TSTypeName::ThisExpression(_) => {}
        }
    }

    /// `A<T>` after `implements` or an interface's `extends`.
    fn named_type(&mut self, name: &TSTypeName, arguments: Option<&TSTypeParameterInstantiation>) {
        self.type_name(name);
        if let Some(arguments) = arguments {
            self.visit_ts_type_parameter_instantiation(arguments);
        }
    }

    fn leftmost_value(&mut self, name: &TSTypeName) {
        match name {
            TSTypeName::IdentifierReference(id) => self.reference(id.span, RefKind::Value),
            TSTypeName::QualifiedName(qualified) => self.leftmost_value(&qualified.left),
            TSTypeName::ThisExpression(_) => {}
        }
    }

    /// What a function holds, inside the scope its caller pushed for it.
    fn function_inside(&mut self, function: &Function) {
        self.type_parameters(function.type_parameters.as_deref());
        if let Some(this_param) = &function.this_param {
            self.visit_ts_this_parameter(this_param);
        }
        self.visit_formal_parameters(&function.params);
        if let Some(return_type) = &function.return_type {
            self.visit_ts_type_annotation(return_type);
        }
        if let Some(body) = &function.body {
            self.visit_function_body(body);
        }
    }

    /// A method of a class or an object literal: its scope spans the whole member.
    fn method(&mut self, member: Span, key: &PropertyKey, function: &Function) {
        if function.body.is_none() {
            self.unsupported = true;
            return;
        }
        let member = self.node_range(member);
        let scope = self.push_scope(ScopeKind::Function, member);
        self.declare_parameters(&function.params, scope);
        self.visit_property_key(key);
        self.function_inside(function);
        self.pop_scope();
    }

    fn jsx_name(&mut self, name: &JSXElementName) {
        let element = |this: &mut Self, span: Span| {
            // `<div>` names an element, not a binding.
            if !this.text[range(span)].starts_with(|c: char| c.is_ascii_lowercase()) {
                this.reference(span, RefKind::Value);
            }
        };
        match name {
            JSXElementName::Identifier(id) => element(self, id.span),
            JSXElementName::IdentifierReference(id) => element(self, id.span),
            JSXElementName::NamespacedName(_) => self.unsupported = true,
            JSXElementName::MemberExpression(member) => self.jsx_member(member),
            JSXElementName::ThisExpression(_) => {}
        }
    }

    fn jsx_member(&mut self, member: &JSXMemberExpression) {
        match &member.object {
            JSXMemberExpressionObject::IdentifierReference(id) => self.reference(id.span, RefKind::Value),
            JSXMemberExpressionObject::MemberExpression(inner) => self.jsx_member(inner),
            JSXMemberExpressionObject::ThisExpression(_) => {}
        }
    }
}

impl<'a> Visit<'a> for Walk<'_> {
    fn visit_identifier_reference(&mut self, it: &IdentifierReference<'a>) {
        if it.name != "undefined" {
            self.reference(it.span, RefKind::Value);
        }
    }

    fn visit_block_statement(&mut self, it: &BlockStatement<'a>) {
        let block = self.node_range(it.span);
        self.push_scope(ScopeKind::Block, block);
        walk::walk_block_statement(self, it);
        self.pop_scope();
    }

    fn visit_variable_declaration(&mut self, it: &VariableDeclaration<'a>) {
        let kind = match it.kind {
            VariableDeclarationKind::Const => BindingKind::Const,
            VariableDeclarationKind::Let => BindingKind::Let,
            VariableDeclarationKind::Var => BindingKind::Var,
            VariableDeclarationKind::Using | VariableDeclarationKind::AwaitUsing => {
                self.unsupported = true;
                return;
            }
        };
        if it.declare {
            self.unsupported = true;
            return;
        }
        for declarator in &it.declarations {
            let scope = if kind == BindingKind::Var {
                self.nearest_function_scope()
            } else {
                self.current()
            };
            let declaration = self.node_range(declarator.span);
            self.declare_pattern(&declarator.id, &kind, scope, &declaration);
            self.visit_variable_declarator(declarator);
        }
    }

    fn visit_for_statement(&mut self, it: &ForStatement<'a>) {
        let scope = self.node_range(it.span);
        self.push_scope(ScopeKind::Block, scope);
        walk::walk_for_statement(self, it);
        self.pop_scope();
    }

    fn visit_for_in_statement(&mut self, it: &ForInStatement<'a>) {
        self.for_each(it.span, &it.left, &it.right, &it.body);
    }

    fn visit_for_of_statement(&mut self, it: &ForOfStatement<'a>) {
        self.for_each(it.span, &it.left, &it.right, &it.body);
    }

    fn visit_switch_statement(&mut self, it: &SwitchStatement<'a>) {
        self.visit_expression(&it.discriminant);
        // The scope is the `{ ... }` of the cases: found in the tree-sitter tree.
        let body = self
            .root
            .descendant_for_byte_range(it.span.start as usize, it.span.start as usize)
            .and_then(|keyword| keyword.parent())
            .filter(|statement| statement.kind() == "switch_statement")
            .and_then(|statement| statement.child_by_field_name("body"));
        let Some(body) = body else {
            self.unsupported = true;
            return;
        };
        self.push_scope(ScopeKind::Block, body.byte_range());
        self.visit_switch_cases(&it.cases);
        self.pop_scope();
    }

    fn visit_catch_clause(&mut self, it: &CatchClause<'a>) {
        let clause = self.node_range(it.span);
        let scope = self.push_scope(ScopeKind::Catch, clause.clone());
        if let Some(param) = &it.param {
            self.declare_pattern(&param.pattern, &BindingKind::CatchParam, scope, &clause);
        }
        walk::walk_catch_clause(self, it);
        self.pop_scope();
    }

    fn visit_function(&mut self, it: &Function<'a>, _flags: ScopeFlags) {
        if it.body.is_none() || it.declare {
            self.unsupported = true;
            return;
        }
        let declaration = self.node_range(it.span);
        if it.r#type == FunctionType::FunctionDeclaration {
            if let Some(id) = &it.id {
                let scope = self.current();
                self.declare(id.span, BindingKind::Function, scope, declaration.clone());
            }
            let scope = self.push_scope(ScopeKind::Function, declaration);
            self.declare_parameters(&it.params, scope);
            self.function_inside(it);
        } else {
            let scope = self.push_scope(ScopeKind::Function, declaration.clone());
            self.declare_parameters(&it.params, scope);
            if let Some(id) = &it.id {
                self.declare(id.span, BindingKind::Function, scope, declaration);
            }
            self.function_inside(it);
        }
        self.pop_scope();
    }

    fn visit_arrow_function_expression(&mut self, it: &ArrowFunctionExpression<'a>) {
        let function = self.node_range(it.span);
        let scope = self.push_scope(ScopeKind::Function, function);
        self.declare_parameters(&it.params, scope);
        self.type_parameters(it.type_parameters.as_deref());
        self.visit_formal_parameters(&it.params);
        if let Some(return_type) = &it.return_type {
            self.visit_ts_type_annotation(return_type);
        }
        self.visit_arrow_function_body(&it.body);
        self.pop_scope();
    }

    fn visit_method_definition(&mut self, it: &MethodDefinition<'a>) {
        if !it.decorators.is_empty() || it.r#type != MethodDefinitionType::MethodDefinition {
            self.unsupported = true;
            return;
        }
        self.method(it.span, &it.key, &it.value);
    }

    fn visit_object_property(&mut self, it: &ObjectProperty<'a>) {
        if it.method || it.kind != PropertyKind::Init {
            match &it.value {
                Expression::FunctionExpression(function) => self.method(it.span, &it.key, function),
                _ => self.unsupported = true,
            }
        } else if it.shorthand {
            match &it.value {
                Expression::Identifier(id) => self.reference(id.span, RefKind::Shorthand),
                _ => self.unsupported = true,
            }
        } else {
            walk::walk_object_property(self, it);
        }
    }

    fn visit_assignment_target_property_identifier(&mut self, it: &AssignmentTargetPropertyIdentifier<'a>) {
        // `({ a } = b)`: a pattern node there, not an identifier.
        if let Some(init) = &it.init {
            self.visit_expression(init);
        }
    }

    fn visit_class(&mut self, it: &Class<'a>) {
        if !it.decorators.is_empty() || it.declare {
            self.unsupported = true;
            return;
        }
        if let Some(id) = &it.id {
            if it.r#type == ClassType::ClassDeclaration {
                let scope = self.current();
                let declaration = self.node_range(it.span);
                self.declare(id.span, BindingKind::Class, scope, declaration);
            } else {
                // A class expression's name is a type name there, and not declared.
                self.reference(id.span, RefKind::Type);
            }
        }
        self.type_parameters(it.type_parameters.as_deref());
        if let Some(heritage) = &it.heritage {
            self.visit_expression(&heritage.expression);
            if let Some(arguments) = &heritage.type_arguments {
                self.visit_ts_type_parameter_instantiation(arguments);
            }
        }
        for implements in &it.implements {
            self.named_type(&implements.expression, implements.type_arguments.as_deref());
        }
        self.visit_class_body(&it.body);
    }

    fn visit_property_definition(&mut self, it: &PropertyDefinition<'a>) {
        if !it.decorators.is_empty() || it.declare || it.r#type != PropertyDefinitionType::PropertyDefinition {
            self.unsupported = true;
            return;
        }
        walk::walk_property_definition(self, it);
    }

    fn visit_ts_interface_declaration(&mut self, it: &TSInterfaceDeclaration<'a>) {
        if it.declare {
            self.unsupported = true;
            return;
        }
        let scope = self.current();
        let declaration = self.node_range(it.span);
        self.declare(it.id.span, BindingKind::Type, scope, declaration);
        self.type_parameters(it.type_parameters.as_deref());
        for heritage in &it.extends {
            self.named_type(&heritage.type_name, heritage.type_arguments.as_deref());
        }
        self.visit_ts_interface_body(&it.body);
    }

    fn visit_ts_type_alias_declaration(&mut self, it: &TSTypeAliasDeclaration<'a>) {
        if it.declare {
            self.unsupported = true;
            return;
        }
        let scope = self.current();
        let declaration = self.node_range(it.span);
        self.declare(it.id.span, BindingKind::Type, scope, declaration);
        self.type_parameters(it.type_parameters.as_deref());
        self.visit_ts_type(&it.type_annotation);
    }

    fn visit_ts_type_parameter(&mut self, it: &TSTypeParameter<'a>) {
        if it.r#in || it.out || it.r#const {
            self.unsupported = true;
            return;
        }
        let scope = self.current();
        let declaration = self.node_range(it.span);
        self.declare(it.name.span, BindingKind::Type, scope, declaration);
        if let Some(constraint) = &it.constraint {
            self.visit_ts_type(constraint);
        }
        if let Some(default) = &it.default {
            self.visit_ts_type(default);
        }
    }

    fn visit_ts_enum_declaration(&mut self, it: &TSEnumDeclaration<'a>) {
        if it.declare || it.r#const {
            self.unsupported = true;
            return;
        }
        let scope = self.current();
        let declaration = self.node_range(it.span);
        self.declare(it.id.span, BindingKind::Enum, scope, declaration);
        self.visit_ts_enum_body(&it.body);
    }

    fn visit_import_declaration(&mut self, it: &ImportDeclaration<'a>) {
        if it.phase.is_some() {
            self.unsupported = true;
            return;
        }
        let Some(specifiers) = &it.specifiers else { return };
        let quoted = range(it.source.span);
        let source = self.text[quoted.start + 1..quoted.end - 1].to_string();
        // The statement as tree-sitter reads it: without a `;`, a comment after it is part of it.
        let start = it.span.start as usize;
        let mut cursor = self.root.walk();
        let Some(statement) = self
            .root
            .children(&mut cursor)
            .find(|s| s.start_byte() == start)
            .map(|s| s.byte_range())
        else {
            self.unsupported = true;
            return;
        };
        let statement_is_type = it.import_kind.is_type();
        for specifier in specifiers {
            let (local, imported, type_only) = match specifier {
                ImportDeclarationSpecifier::ImportDefaultSpecifier(s) => (s.local.span, Imported::Default, false),
                ImportDeclarationSpecifier::ImportNamespaceSpecifier(s) => (s.local.span, Imported::Namespace, false),
                ImportDeclarationSpecifier::ImportSpecifier(s) => match &s.imported {
                    ModuleExportName::IdentifierName(name) => (
                        s.local.span,
                        Imported::Named(name.name.to_string()),
                        s.import_kind.is_type(),
                    ),
                    _ => {
                        self.unsupported = true;
                        return;
                    }
                },
            };
            let kind = BindingKind::Import(ImportBinding {
                source: source.clone(),
                imported,
                type_only: statement_is_type || type_only,
            });
            self.declare(local, kind, 0, statement.clone());
        }
    }

    // `export { a } from 'm'` (ExportFromDeclaration) names no binding of this module.
    fn visit_export_from_declaration(&mut self, _it: &ExportFromDeclaration<'a>) {}

    fn visit_export_named_declaration(&mut self, it: &ExportNamedDeclaration<'a>) {
        for specifier in &it.specifiers {
            match &specifier.local {
                ModuleExportName::IdentifierReference(id) => self.reference(id.span, RefKind::Export),
                ModuleExportName::IdentifierName(id) => self.reference(id.span, RefKind::Export),
                ModuleExportName::StringLiteral(_) => self.unsupported = true,
            }
        }
    }

    fn visit_export_all_declaration(&mut self, it: &ExportAllDeclaration<'a>) {
        if it.exported.is_some() {
            self.unsupported = true;
        }
    }

    fn visit_jsx_opening_element(&mut self, it: &JSXOpeningElement<'a>) {
        self.jsx_name(&it.name);
        if let Some(arguments) = &it.type_arguments {
            self.visit_ts_type_parameter_instantiation(arguments);
        }
        self.visit_jsx_attribute_items(&it.attributes);
    }

    fn visit_jsx_closing_element(&mut self, it: &JSXClosingElement<'a>) {
        self.jsx_name(&it.name);
    }

    fn visit_jsx_namespaced_name(&mut self, _it: &JSXNamespacedName<'a>) {
        self.unsupported = true;
    }

    fn visit_ts_type_reference(&mut self, it: &TSTypeReference<'a>) {
        match &it.type_name {
            // `x as const` is a keyword there.
            TSTypeName::IdentifierReference(id) if id.name == "const" => {}
            name => self.type_name(name),
        }
        if let Some(arguments) = &it.type_arguments {
            self.visit_ts_type_parameter_instantiation(arguments);
        }
    }

    fn visit_ts_type_query(&mut self, it: &TSTypeQuery<'a>) {
        match &it.expr_name {
            TSTypeQueryExprName::TSImportType(_) => self.unsupported = true,
            name => {
                if let Some(name) = name.as_ts_type_name() {
                    self.leftmost_value(name);
                }
            }
        }
        if let Some(arguments) = &it.type_arguments {
            self.visit_ts_type_parameter_instantiation(arguments);
        }
    }

    fn visit_ts_mapped_type(&mut self, it: &TSMappedType<'a>) {
        // `[K in keyof T]`: `K` is a type name there, not a declaration.
        self.reference(it.key.span, RefKind::Type);
        self.visit_ts_type(&it.constraint);
        if let Some(name_type) = &it.name_type {
            self.visit_ts_type(name_type);
        }
        if let Some(annotation) = &it.type_annotation {
            self.visit_ts_type(annotation);
        }
    }

    fn visit_ts_infer_type(&mut self, it: &TSInferType<'a>) {
        let parameter = &it.type_parameter;
        self.reference(parameter.name.span, RefKind::Type);
        if let Some(constraint) = &parameter.constraint {
            self.visit_ts_type(constraint);
        }
        if parameter.default.is_some() || parameter.r#in || parameter.out || parameter.r#const {
            self.unsupported = true;
        }
    }

    fn visit_ts_index_signature(&mut self, it: &TSIndexSignature<'a>) {
        // The name's span holds its type annotation too; the reference is the name alone.
        let name = &it.parameter;
        let ident = Span::sized(name.span.start, name.name.len() as u32);
        self.reference(ident, RefKind::Value);
        self.visit_ts_type_annotation(&name.type_annotation);
        self.visit_ts_type_annotation(&it.type_annotation);
    }

    fn visit_ts_type_predicate(&mut self, it: &TSTypePredicate<'a>) {
        if let TSTypePredicateName::Identifier(name) = &it.parameter_name {
            self.reference(name.span, RefKind::Value);
        }
        if let Some(annotation) = &it.type_annotation {
            self.visit_ts_type_annotation(annotation);
        }
    }

    fn visit_ts_named_tuple_member(&mut self, it: &TSNamedTupleMember<'a>) {
        self.reference(it.label.span, RefKind::Value);
        self.visit_ts_tuple_element(&it.element_type);
    }

    fn visit_ts_method_signature(&mut self, it: &TSMethodSignature<'a>) {
        self.visit_property_key(&it.key);
        let (this_param, return_type) = (it.this_param.as_deref(), it.return_type.as_deref());
        self.signature(it.type_parameters.as_deref(), this_param, &it.params, return_type);
    }

    fn visit_ts_call_signature_declaration(&mut self, it: &TSCallSignatureDeclaration<'a>) {
        let (this_param, return_type) = (it.this_param.as_deref(), it.return_type.as_deref());
        self.signature(it.type_parameters.as_deref(), this_param, &it.params, return_type);
    }

    fn visit_ts_construct_signature_declaration(&mut self, it: &TSConstructSignatureDeclaration<'a>) {
        self.signature(
            it.type_parameters.as_deref(),
            None,
            &it.params,
            it.return_type.as_deref(),
        );
    }

    fn visit_ts_function_type(&mut self, it: &TSFunctionType<'a>) {
        let this_param = it.this_param.as_deref();
        self.signature(
            it.type_parameters.as_deref(),
            this_param,
            &it.params,
            Some(&it.return_type),
        );
    }

    fn visit_ts_constructor_type(&mut self, it: &TSConstructorType<'a>) {
        self.signature(it.type_parameters.as_deref(), None, &it.params, Some(&it.return_type));
    }

    /// tree-sitter-typescript reads `bigint` as a type name.
    fn visit_ts_big_int_keyword(&mut self, it: &TSBigIntKeyword) {
        self.reference(it.span, RefKind::Type);
    }

    fn visit_tagged_template_expression(&mut self, it: &TaggedTemplateExpression<'a>) {
        // ``sql<T>`...` `` is two comparisons there.
        if it.type_arguments.is_some() {
            self.unsupported = true;
            return;
        }
        walk::walk_tagged_template_expression(self, it);
    }

    // What this walk leaves to the tree-sitter one.
    fn visit_ts_instantiation_expression(&mut self, _it: &TSInstantiationExpression<'a>) {
        self.unsupported = true;
    }
    fn visit_decorator(&mut self, _it: &Decorator<'a>) {
        self.unsupported = true;
    }
    fn visit_static_block(&mut self, _it: &StaticBlock<'a>) {
        self.unsupported = true;
    }
    fn visit_accessor_property(&mut self, _it: &AccessorProperty<'a>) {
        self.unsupported = true;
    }
    fn visit_with_statement(&mut self, _it: &WithStatement<'a>) {
        self.unsupported = true;
    }
    fn visit_ts_external_module_declaration(&mut self, _it: &TSExternalModuleDeclaration<'a>) {
        self.unsupported = true;
    }
    fn visit_ts_namespace_declaration(&mut self, _it: &TSNamespaceDeclaration<'a>) {
        self.unsupported = true;
    }
    fn visit_ts_global_declaration(&mut self, _it: &TSGlobalDeclaration<'a>) {
        self.unsupported = true;
    }
    fn visit_ts_import_equals_declaration(&mut self, _it: &TSImportEqualsDeclaration<'a>) {
        self.unsupported = true;
    }
    fn visit_ts_export_assignment(&mut self, _it: &TSExportAssignment<'a>) {
        self.unsupported = true;
    }
    fn visit_ts_namespace_export_declaration(&mut self, _it: &TSNamespaceExportDeclaration<'a>) {
        self.unsupported = true;
    }
    fn visit_ts_import_type(&mut self, _it: &TSImportType<'a>) {
        self.unsupported = true;
    }
}

impl Walk<'_> {
    /// `for (const x of xs)`: the scope holds the loop, and the names of its left side are
    /// declared by the loop itself (its node is their declaration).
    fn for_each<'a>(&mut self, span: Span, left: &ForStatementLeft<'a>, right: &Expression<'a>, body: &Statement<'a>) {
        let whole = self.node_range(span);
        let scope = self.push_scope(ScopeKind::Block, whole.clone());
        match left {
            ForStatementLeft::VariableDeclaration(declaration) => {
                let kind = match declaration.kind {
                    VariableDeclarationKind::Const => BindingKind::Const,
                    VariableDeclarationKind::Let => BindingKind::Let,
                    VariableDeclarationKind::Var => BindingKind::Var,
                    _ => {
                        self.unsupported = true;
                        BindingKind::Var
                    }
                };
                let target = if kind == BindingKind::Var {
                    self.nearest_function_scope()
                } else {
                    scope
                };
                for declarator in &declaration.declarations {
                    self.declare_pattern(&declarator.id, &kind, target, &whole);
                    self.visit_binding_pattern(&declarator.id);
                }
            }
            target => {
                if let Some(target) = target.as_assignment_target() {
                    self.visit_assignment_target(target);
                }
            }
        }
        self.visit_expression(right);
        self.visit_statement(body);
        self.pop_scope();
    }
}
