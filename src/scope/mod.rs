//! A small scope model: which names each scope binds (imports, declarations, parameters,
//! destructuring patterns, catch clauses, types) and which binding every identifier refers to.
//!
//! It answers the two questions every transform asks: "is this identifier the binding imported
//! from module X?" and "is name N free here?". Types and values share one namespace here: that
//! only ever makes the model more careful (a type named like a value counts as a clash).

mod builder;
mod from_oxc;

use builder::Builder;
use rustc_hash::FxHashMap;
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

#[derive(Debug, Clone, PartialEq, Eq)]
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

#[derive(Debug, Clone, PartialEq, Eq)]
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub name: String,
    pub range: Range<usize>,
    pub kind: RefKind,
    pub scope: ScopeId,
    pub binding: Option<BindingId>,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct ScopeTree {
    pub scopes: Vec<Scope>,
    pub bindings: Vec<Binding>,
    pub references: Vec<Reference>,
    /// What each top-level statement holds, so that the model of an edited text can copy the
    /// statements the edits left alone ([`ScopeTree::after_edits`]).
    statements: Vec<StatementSpan>,
    /// Indexes that keep every question a hash probe or a binary search: the module scope of a
    /// generated file holds thousands of names, and scanning it per reference made the cost
    /// grow with the square of the file.
    index: Index,
}

/// A top-level statement (or comment) and the scopes and bindings its walk made, by number.
#[derive(Debug, Clone, PartialEq, Eq)]
struct StatementSpan {
    range: Range<usize>,
    scopes: Range<ScopeId>,
    bindings: Range<BindingId>,
}

#[derive(Debug, Default, PartialEq, Eq)]
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
        // A tree-sitter tree with errors is what the rules read: its model comes from it.
        if !tree.root_node().has_error()
            && let Some(model) = from_oxc::build(tree, text)
        {
            debug_assert_eq!(
                model,
                Builder::new(text).run(tree, None),
                "the scope model made from oxc's tree differs from tree-sitter's"
            );
            return model;
        }
        Builder::new(text).run(tree, None)
    }

    /// Builds the model both ways and says where they part: `Ok(false)` when the oxc walk
    /// declines the file, `Ok(true)` when both agree. For tools that compare the two walks on
    /// real code (`examples/scope-walks.rs`).
    #[doc(hidden)]
    pub fn compare_walks(tree: &Tree, text: &str) -> Result<bool, String> {
        let Some(oxc) = from_oxc::build(tree, text) else {
            return Ok(false);
        };
        let sitter = Builder::new(text).run(tree, None);
        let first = |what: &str, a: String, b: String| Err(format!("{what}:\n  oxc:         {a}\n  tree-sitter: {b}"));
        fn differing<T: PartialEq + std::fmt::Debug>(a: &[T], b: &[T]) -> Option<(usize, String, String)> {
            let (i, (x, y)) = a.iter().zip(b).enumerate().find(|(_, (x, y))| x != y)?;
            Some((i, format!("{x:?}"), format!("{y:?}")))
        }
        if let Some((i, a, b)) = differing(&oxc.scopes, &sitter.scopes) {
            return first(&format!("scope {i}"), a, b);
        }
        if let Some((i, a, b)) = differing(&oxc.bindings, &sitter.bindings) {
            return first(&format!("binding {i}"), a, b);
        }
        if let Some((i, a, b)) = differing(&oxc.references, &sitter.references) {
            return first(&format!("reference {i}"), a, b);
        }
        let counts = |t: &ScopeTree| (t.scopes.len(), t.bindings.len(), t.references.len());
        if counts(&oxc) != counts(&sitter) {
            return first(
                "counts",
                format!("{:?}", counts(&oxc)),
                format!("{:?}", counts(&sitter)),
            );
        }
        if oxc != sitter {
            return first(
                "statements or index",
                format!("{:?}", oxc.statements),
                format!("{:?}", sitter.statements),
            );
        }
        Ok(true)
    }

    /// The model of `text` (parsed as `tree`), made from `old`, the model of the text before
    /// `edits`: the top-level statements no edit touched are copied from it, shifted, and only
    /// the others are walked. It is the model [`ScopeTree::build`] makes (debug builds check):
    /// after a rule renames one hook, a 4 MB file of components is not walked again.
    pub fn after_edits(old: &ScopeTree, edits: &[crate::fix::Edit], tree: &Tree, text: &str) -> ScopeTree {
        let built = Builder::new(text).run(tree, Some((old, edits)));
        debug_assert!(
            built == Builder::new(text).run(tree, None),
            "the scope model made from the one before the edits differs from a new one"
        );
        built
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{Lang, Parsers};

    fn build(text: &str) -> ScopeTree {
        let tree = Parsers::new().parse(Lang::Tsx, text, None).unwrap();
        assert!(!tree.root_node().has_error());
        ScopeTree::build(&tree, text)
    }

    /// The model made from the one before `edits` equals the one built anew, for edits inside,
    /// between, before and after statements, and ones that remove a statement.
    #[test]
    fn a_model_made_from_the_one_before_the_edits_is_the_one_built_anew() {
        use crate::fix::{Edit, apply_edits};
        let text = "import { useFormState } from 'react-dom';\nimport { save } from './actions';\n\nvar top = 1;\nfunction A() {\n  const [s, f] = useFormState(save, null);\n  return <form action={f}>{s}</form>;\n}\nexport function B({ x }: { x: number }) {\n  if (x) { var hoisted = x; }\n  try { g(); } catch (e) { h(e, hoisted); }\n  return <p>{top}</p>;\n}\nclass C { m(a = top) { return a; } }\n";
        let at = |needle: &str| text.find(needle).unwrap();
        let cases: Vec<Vec<Edit>> = vec![
            // The hook renamed, its import rewritten: A changes, B and C are copied.
            vec![
                Edit::replace(0..at(";\nimport { save }"), "import { useActionState } from 'react'"),
                Edit::replace(at("useFormState(save")..at("useFormState(save") + 12, "useActionState"),
            ],
            // A statement inserted before B, one appended.
            vec![
                Edit::replace(at("export function B")..at("export function B"), "let added = top;\n"),
                Edit::replace(text.len()..text.len(), "export const D = () => B;\n"),
            ],
            // A removed whole; a name inside C changed.
            vec![
                Edit::replace(at("function A")..at("export function B"), ""),
                Edit::replace(at("m(a")..at("m(a") + 1, "method"),
            ],
            Vec::new(),
        ];
        let old = build(text);
        for edits in cases {
            let next = apply_edits(text, &edits).unwrap();
            let tree = Parsers::new().parse(Lang::Tsx, &next, None).unwrap();
            assert!(!tree.root_node().has_error(), "{next}");
            let made = Builder::new(&next).run(&tree, Some((&old, &edits)));
            assert!(made == ScopeTree::build(&tree, &next), "{next}");
        }
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

    #[test]
    fn the_oxc_walk_models_plain_code_as_tree_sitter_reads_it_and_leaves_the_rest() {
        let walks = |text: &str, lang: Lang| {
            let tree = Parsers::new().parse(lang, text, None).unwrap();
            assert!(!tree.root_node().has_error(), "{text}");
            ScopeTree::compare_walks(&tree, text)
        };
        // Each of these is read by the oxc walk, and its model is the tree-sitter walk's,
        // including where tree-sitter reads the code its own way.
        let modelled = [
            "'use client'\nimport { useFormState } from 'react-dom' // the hook\nexport function F({ a, b: [c, ...d] }: { a: number; b: string[] }, ...rest: number[]) {\n  const [s, act] = useFormState(save, null);\n  return <form action={act}><Field.Input value={s} />{a}</form>;\n}\n",
            "const pair = [1, 2] as const;\nexport type Big = bigint;\ninterface Index { [key: string]: Big }\n",
            "export async function poll(done: () => boolean) {\n  while (!done()) {} // busy wait\n  for (const [k, v] of Object.entries({ done })) { console.log(k, v); }\n  switch (1) { case 1: { let x = 1; break; } }\n  try { return 1; } catch (e: unknown) { var y = e; } finally { poll(done); }\n}\n",
            "class A<T> extends B<T> implements C { m<U>(x: U = 1 as U) { return ({ x }); } }\nconst E = class Named {};\nexport { A as default, E };\n",
            "type M<T> = { [K in keyof T]: T[K] extends infer U ? U : never };\nfunction is(x: unknown): x is string { return typeof x === 'string'; }\n",
        ];
        for text in modelled {
            assert_eq!(walks(text, Lang::Tsx), Ok(true), "{text}");
        }
        // What it does not model exactly is left to the tree-sitter walk.
        let left = [
            "namespace N { export const a = 1; }\n",
            "declare function f(a: string): void;\n",
            "@sealed class A {}\n",
            "const rows = sql<number>`select 1`;\n",
            "import x = require('x');\n",
        ];
        for text in left {
            assert_eq!(walks(text, Lang::TypeScript), Ok(false), "{text}");
        }
    }
}
