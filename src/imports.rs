//! Reading a module's import statements and directive prologue, and the edits that add or
//! remove import specifiers in the file's own style. Every transform edits imports through here.

use crate::fix::Edit;
use crate::lines::remove_statement;
use crate::style::Style;
use crate::syntax::directives;
use crate::syntax::{has_token, string_value};
use std::ops::Range;
use tree_sitter::{Node, Tree};

#[derive(Debug, Clone)]
pub struct NamedSpecifier {
    pub imported: String,
    pub local: String,
    pub range: Range<usize>,
    pub type_only: bool,
}

/// One top-level `import ... from '...'` statement.
#[derive(Debug, Clone)]
pub struct ImportDecl {
    /// The statement, its semicolon included.
    pub range: Range<usize>,
    pub source: String,
    pub type_only: bool,
    pub default: Option<(String, Range<usize>)>,
    pub namespace: Option<(String, Range<usize>)>,
    pub named: Vec<NamedSpecifier>,
    /// The `{ ... }` of the named imports, when there is one.
    pub braces: Option<Range<usize>>,
}

impl ImportDecl {
    /// Whether a value specifier may be appended to this statement's `{ ... }`.
    pub fn accepts_named(&self) -> bool {
        !self.type_only && self.namespace.is_none()
    }
}

/// The module's top-level import statements, in source order.
pub fn import_decls(tree: &Tree, text: &str) -> Vec<ImportDecl> {
    let root = tree.root_node();
    let mut c = root.walk();
    root.named_children(&mut c)
        .filter(|n| n.kind() == "import_statement")
        .filter_map(|n| read_import(n, text))
        .collect()
}

fn read_import(statement: Node, text: &str) -> Option<ImportDecl> {
    let source = statement.child_by_field_name("source")?;
    let mut decl = ImportDecl {
        range: statement.byte_range(),
        source: string_value(text, source).to_string(),
        type_only: has_token(statement, "type"),
        default: None,
        namespace: None,
        named: Vec::new(),
        braces: None,
    };
    let mut c = statement.walk();
    let Some(clause) = statement.named_children(&mut c).find(|n| n.kind() == "import_clause") else {
        return Some(decl);
    };
    let mut c = clause.walk();
    for part in clause.named_children(&mut c) {
        match part.kind() {
            "identifier" => decl.default = Some((text[part.byte_range()].to_string(), part.byte_range())),
            "namespace_import" => {
                let mut c = part.walk();
                if let Some(ident) = part.named_children(&mut c).find(|n| n.kind() == "identifier") {
                    decl.namespace = Some((text[ident.byte_range()].to_string(), ident.byte_range()));
                }
            }
            "named_imports" => {
                decl.braces = Some(part.byte_range());
                let mut c = part.walk();
                for specifier in part.named_children(&mut c).filter(|n| n.kind() == "import_specifier") {
                    let Some(name) = specifier.child_by_field_name("name") else {
                        continue;
                    };
                    let local = specifier.child_by_field_name("alias").unwrap_or(name);
                    decl.named.push(NamedSpecifier {
                        imported: string_value(text, name).to_string(),
                        local: text[local.byte_range()].to_string(),
                        range: specifier.byte_range(),
                        type_only: has_token(specifier, "type"),
                    });
                }
            }
            _ => {}
        }
    }
    Some(decl)
}

/// A name the module declares twice in a way TypeScript rejects, where an import is one of the
/// two: see [`duplicate_import_binding`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redeclared {
    pub name: String,
    /// Where the second declaration starts.
    pub offset: usize,
    /// Both bind a value: a SyntaxError in every JavaScript engine, not only a type error.
    pub values: bool,
}

/// What an import can bind. A value import may bring any meaning (value, type, namespace): the
/// module it names is not read, so it conflicts with every local declaration of its name. A
/// type-only named or default import is taken to name a type, so it sits beside a value or a
/// namespace of its name (`import type { Page }` + `function Page()`) but not beside another
/// type; a type-only namespace import is an alias, which conflicts with everything (all as
/// `tsc` judges it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ImportMeaning {
    Any,
    TypeOnly,
}

/// What a top-level declaration binds, as TypeScript sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DeclMeaning {
    value: bool,
    declares_type: bool,
}

/// A name that the module's imports bind twice, or that an import and a top-level declaration
/// both bind where TypeScript does not merge them ("Duplicate identifier", "Import declaration
/// conflicts with local declaration"). Transforms that follow bindings cannot tell such a
/// file's two meanings apart. Declarations that merge without an import (interface + class,
/// function overloads, ...) are not looked at: they are legal, and tree-sitter reads them whole.
pub fn duplicate_import_binding(tree: &Tree, text: &str) -> Option<Redeclared> {
    // Each imported name, what it may mean, and whether the import is erased from the JavaScript.
    let mut imported: Vec<(String, ImportMeaning, bool)> = Vec::new();
    for decl in import_decls(tree, text) {
        let meaning = |type_only: bool| {
            if type_only {
                ImportMeaning::TypeOnly
            } else {
                ImportMeaning::Any
            }
        };
        let mut names: Vec<(String, Range<usize>, ImportMeaning, bool)> = Vec::new();
        names.extend(
            decl.default
                .map(|(n, r)| (n, r, meaning(decl.type_only), decl.type_only)),
        );
        // `import type * as NS` is an alias of the whole module: it conflicts like a value import.
        names.extend(decl.namespace.map(|(n, r)| (n, r, ImportMeaning::Any, decl.type_only)));
        names.extend(decl.named.into_iter().map(|n| {
            let erased = decl.type_only || n.type_only;
            (n.local, n.range, meaning(erased), erased)
        }));
        for (name, range, meaning, erased) in names {
            if let Some((_, _, earlier_erased)) = imported.iter().find(|(n, _, _)| *n == name) {
                // Two imports of one name: TypeScript refuses even two type-only ones.
                return Some(Redeclared {
                    name,
                    offset: range.start,
                    values: !earlier_erased && !erased,
                });
            }
            imported.push((name, meaning, erased));
        }
    }
    if imported.is_empty() {
        return None;
    }
    let root = tree.root_node();
    let mut c = root.walk();
    for statement in root.named_children(&mut c) {
        let declaration = match statement.kind() {
            "export_statement" => statement.child_by_field_name("declaration"),
            // tree-sitter reads a top-level `namespace N {}` as an expression statement.
            "expression_statement" => statement.named_child(0).filter(|n| n.kind() == "internal_module"),
            _ => Some(statement),
        };
        let Some(declaration) = declaration else {
            continue;
        };
        for (name, meaning) in declared_names(declaration) {
            let Some((_, import, erased)) = imported.iter().find(|(n, _, _)| n == &text[name.byte_range()]) else {
                continue;
            };
            let conflicts = match import {
                ImportMeaning::Any => true,
                ImportMeaning::TypeOnly => meaning.declares_type,
            };
            if conflicts {
                return Some(Redeclared {
                    name: text[name.byte_range()].to_string(),
                    offset: name.start_byte(),
                    values: !erased && meaning.value,
                });
            }
        }
    }
    None
}

/// The names a top-level declaration binds, with what each means.
fn declared_names(declaration: Node) -> Vec<(Node, DeclMeaning)> {
    const VALUE: DeclMeaning = DeclMeaning {
        value: true,
        declares_type: false,
    };
    const TYPE: DeclMeaning = DeclMeaning {
        value: false,
        declares_type: true,
    };
    const BOTH: DeclMeaning = DeclMeaning {
        value: true,
        declares_type: true,
    };
    let named = |meaning: DeclMeaning| {
        declaration
            .child_by_field_name("name")
            .filter(|n| matches!(n.kind(), "identifier" | "type_identifier"))
            .map(|n| (n, meaning))
            .into_iter()
            .collect()
    };
    match declaration.kind() {
        "function_declaration" | "generator_function_declaration" | "function_signature" => named(VALUE),
        "class_declaration" | "abstract_class_declaration" | "enum_declaration" => named(BOTH),
        "interface_declaration" | "type_alias_declaration" => named(TYPE),
        // A namespace merges with a type-only import of its name, not with a value import.
        "internal_module" | "module" => named(VALUE),
        "lexical_declaration" | "variable_declaration" => {
            let mut c = declaration.walk();
            declaration
                .named_children(&mut c)
                .filter(|d| d.kind() == "variable_declarator")
                .filter_map(|d| d.child_by_field_name("name"))
                .filter(|n| n.kind() == "identifier")
                .map(|n| (n, VALUE))
                .collect()
        }
        // `declare const X`, `declare function f()`, `declare namespace N`.
        "ambient_declaration" => {
            let mut c = declaration.walk();
            let inner: Vec<Node> = declaration.named_children(&mut c).collect();
            inner.into_iter().flat_map(declared_names).collect()
        }
        _ => Vec::new(),
    }
}

/// Where new import statements go: after the last import, else after the directive prologue,
/// else at the top. Returns the offset and whether the import goes before existing text (so it
/// needs a line break after it rather than before).
pub fn import_insertion_point(tree: &Tree, text: &str) -> (usize, bool) {
    if let Some(last) = import_decls(tree, text).last() {
        return (last.range.end, false);
    }
    if let Some((_, last)) = directives(tree, text).last() {
        return (last.end, false);
    }
    (0, true)
}

/// An import specifier: `name`, or `name as local` when the local name differs (never
/// `useActionState as useActionState`).
pub fn specifier(imported: &str, local: &str) -> String {
    if imported == local {
        imported.to_string()
    } else {
        format!("{imported} as {local}")
    }
}

/// `import { a, b } from 'module';` in the file's style.
pub fn import_statement(names: &[String], module: &str, style: &Style) -> String {
    format!(
        "import {{ {} }} from {}{}",
        names.join(", "),
        style.string(module),
        style.semi()
    )
}

/// An edit that puts `statement` on its own line at `at` (from `import_insertion_point`, or the
/// end of a statement). Code may follow a statement on its line (`;import {…}` or `;[1].map(f)`
/// in a leading-semicolon style): it moves to the next line, or without semicolons the two
/// statements would join (found by fuzzing). A line comment there stays with its statement.
pub fn insert_statement(text: &str, at: (usize, bool), statement: &str, style: &Style) -> Edit {
    let (end, before) = at;
    if before {
        return Edit::insert(end, format!("{statement}{}", style.newline));
    }
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let line_end = if text[..line_end].ends_with('\r') {
        line_end - 1
    } else {
        line_end
    };
    let rest = text[end..line_end].trim();
    if rest.is_empty() {
        Edit::insert(end, format!("{}{statement}", style.newline))
    } else if rest.starts_with("//") {
        Edit::insert(line_end, format!("{}{statement}", style.newline))
    } else {
        Edit::insert(end, format!("{nl}{statement}{nl}", nl = style.newline))
    }
}

/// Appends `specifier` (e.g. `useActionState` or `x as y`) last to the `{ ... }` of `decl`,
/// or adds `{ ... }` after a lone default import. `None` when the statement cannot take it.
pub fn append_named(text: &str, decl: &ImportDecl, specifier: &str, style: &Style) -> Option<Edit> {
    if !decl.accepts_named() {
        return None;
    }
    match (&decl.braces, decl.named.last()) {
        (Some(_), Some(last)) => {
            let after = &text[last.range.end..];
            let trailing_comma = after.trim_start().starts_with(',');
            let braces = decl.braces.clone()?;
            let multiline = text[braces].contains('\n');
            if trailing_comma && multiline {
                let comma = last.range.end + after.find(',')? + 1;
                let indent = crate::style::indent_at(text, last.range.start);
                Some(Edit::insert(comma, format!("{}{indent}{specifier},", style.newline)))
            } else {
                Some(Edit::insert(last.range.end, format!(", {specifier}")))
            }
        }
        (Some(braces), None) => Some(Edit::replace(braces.clone(), format!("{{ {specifier} }}"))),
        (None, None) => {
            let (_, default) = decl.default.as_ref()?;
            Some(Edit::insert(default.end, format!(", {{ {specifier} }}")))
        }
        (None, Some(_)) => None,
    }
}

/// Edits that remove the named specifiers at `indices` from `decl`; when nothing would be left,
/// the whole statement goes, its line too.
pub fn remove_named(text: &str, decl: &ImportDecl, indices: &[usize]) -> Vec<Edit> {
    let keep: Vec<usize> = (0..decl.named.len()).filter(|i| !indices.contains(i)).collect();
    if keep.is_empty() {
        return match &decl.default {
            None => vec![remove_statement(text, decl.range.clone())],
            Some((_, default)) => {
                // `import React, { a } from 'react'` → `import React from 'react'`
                let braces = decl.braces.clone().unwrap_or(default.clone());
                // `import React,{ a }from 'react'` keeps a space before `from` (found by fuzzing).
                let gap = if text[braces.end..].starts_with(char::is_whitespace) {
                    ""
                } else {
                    " "
                };
                vec![Edit::replace(default.end..braces.end, gap)]
            }
        };
    }
    let specs = &decl.named;
    let last_kept = *keep.last().expect("keep is not empty");
    let mut edits = Vec::new();
    for &i in indices {
        if i < last_kept {
            edits.push(Edit::delete(specs[i].range.start..specs[i + 1].range.start));
        }
    }
    if last_kept + 1 < specs.len() {
        // The removed tail: from the end of the last kept specifier to the end of the last one.
        edits.push(Edit::delete(
            specs[last_kept].range.end..specs[specs.len() - 1].range.end,
        ));
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply_edits;
    use crate::parse::{Lang, Parsers};

    fn parse(text: &str) -> Tree {
        Parsers::new().parse(Lang::Tsx, text, None).unwrap()
    }

    fn remove(text: &str, indices: &[usize]) -> String {
        let tree = parse(text);
        let decls = import_decls(&tree, text);
        apply_edits(text, &remove_named(text, &decls[0], indices)).unwrap()
    }

    #[test]
    fn an_inserted_statement_gets_a_line_of_its_own() {
        let style = Style::detect("import a from 'a'\n");
        let insert = |text: &str, at: (usize, bool)| {
            apply_edits(text, &[insert_statement(text, at, "import b from 'b'", &style)]).unwrap()
        };
        let text = "import a from 'a'\nrest\n";
        assert_eq!(
            insert(text, (17, false)),
            "import a from 'a'\nimport b from 'b'\nrest\n"
        );
        assert_eq!(insert(text, (0, true)), "import b from 'b'\nimport a from 'a'\nrest\n");
        // Code after the statement on its line moves down: `'b'[1]` would not parse.
        let text = "import a from 'a'\n;[1].map(f)\n";
        assert_eq!(
            insert(text, (19, false)),
            "import a from 'a'\n;\nimport b from 'b'\n[1].map(f)\n"
        );
        // A line comment stays with the statement it follows.
        let text = "import a from 'a' // why\r\nrest\r\n";
        assert_eq!(
            insert(text, (17, false)),
            "import a from 'a' // why\nimport b from 'b'\r\nrest\r\n"
        );
    }

    #[test]
    fn finds_names_bound_twice_by_imports() {
        let dup = |text: &str| duplicate_import_binding(&parse(text), text).map(|r| (r.name, r.values));
        let value = |name: &str| Some((name.to_string(), true));
        assert_eq!(dup("import { a, a } from 'm';\n"), value("a"));
        assert_eq!(dup("import { a } from 'm';\nimport a from 'n';\n"), value("a"));
        assert_eq!(
            dup("import { b as a } from 'm';\nimport * as a from 'n';\n"),
            value("a")
        );
        assert_eq!(dup("import { a } from 'm';\nexport function a() {}\n"), value("a"));
        assert_eq!(dup("import { a } from 'm';\nconst a = 1;\n"), value("a"));
        assert_eq!(dup("import { a as b, b as a } from 'm';\n"), None);
        assert_eq!(dup("import { a } from 'm';\nfunction f(a) { const a2 = a; }\n"), None);
        assert_eq!(dup("const a = 1;\nconst a = 2;\n"), None);
    }

    /// Each case as `tsc --noEmit --strict` (5.9) judged it, beside a module that exports the
    /// imported names as types only.
    #[test]
    fn names_typescript_merges_are_not_declared_twice() {
        let dup = |text: &str| duplicate_import_binding(&parse(text), text).map(|r| (r.name, r.values));
        for merged in [
            "import type { Page } from 'x';\nexport default async function Page() {}\n",
            "import { type Page } from 'x';\nexport default async function Page() {}\n",
            "import type Page from 'x';\nexport default function Page() {}\n",
            "import type { X } from 'x';\nconst X = 1;\n",
            "import { type X, X as Y } from 'x';\nexport function X() {}\n",
            "import type { f } from 'x';\nexport function f(): void;\nexport function f() {}\n",
            "import * as X from 'x';\ninterface A {}\nclass A {}\n",
            "import { y } from 'x';\nfunction f() {}\nnamespace f { export const x = 1; }\n",
            "import { y } from 'x';\ntype T = number;\nconst T = 1;\n",
            "import { y } from 'x';\nenum E { A }\nnamespace E { export const b = 1; }\n",
            "import { y } from 'x';\nfunction o(a: string): void;\nfunction o(a: any) {}\n",
            "import { y } from 'x';\ninterface I { a: number }\ninterface I { b: number }\n",
        ] {
            assert_eq!(dup(merged), None, "{merged}");
        }
        // Type-level conflicts: TS2440 or TS2300, but no JavaScript SyntaxError.
        let types = |name: &str| Some((name.to_string(), false));
        assert_eq!(
            dup("import type { I } from 'x';\ninterface I { b: number }\n"),
            types("I")
        );
        assert_eq!(dup("import type { C } from 'x';\nclass C {}\n"), types("C"));
        assert_eq!(dup("import { T } from 'x';\ntype T = number;\n"), types("T"));
        assert_eq!(
            dup("import type { X } from 'x';\nimport type { X } from 'y';\n"),
            types("X")
        );
        assert_eq!(dup("import type * as NS from 'x';\nconst NS = 1;\n"), types("NS"));
        assert_eq!(
            dup("import type { N } from 'x';\nnamespace N { export const a = 1; }\n"),
            None
        );
        assert_eq!(
            dup("import { D } from 'x';\ndeclare const D: number;\n"),
            Some(("D".into(), true))
        );
    }

    #[test]
    fn removing_every_named_specifier_beside_a_default_keeps_a_space_before_from() {
        assert_eq!(
            remove("import React, { a } from 'm';\n", &[0]),
            "import React from 'm';\n"
        );
        assert_eq!(
            remove("import React,{ a }from 'm';\n", &[0]),
            "import React from 'm';\n"
        );
        assert_eq!(remove("import type,{a}from'm'\n", &[0]), "import type from'm'\n");
    }

    #[test]
    fn removes_specifiers_keeping_commas_valid() {
        assert_eq!(
            remove("import { a, b, c } from 'm';\n", &[1]),
            "import { a, c } from 'm';\n"
        );
        assert_eq!(
            remove("import { a, b, c } from 'm';\n", &[2]),
            "import { a, b } from 'm';\n"
        );
        assert_eq!(
            remove("import { a, b, c } from 'm';\n", &[0, 2]),
            "import { b } from 'm';\n"
        );
        assert_eq!(
            remove("import { a, b, c } from 'm';\n", &[1, 2]),
            "import { a } from 'm';\n"
        );
        assert_eq!(
            remove("import {\n  a,\n  b,\n} from 'm';\n", &[1]),
            "import {\n  a,\n} from 'm';\n"
        );
        assert_eq!(remove("x;\nimport { a } from 'm';\ny;\n", &[0]), "x;\ny;\n");
        assert_eq!(remove("import R, { a } from 'm';\n", &[0]), "import R from 'm';\n");
    }

    #[test]
    fn appends_specifiers() {
        let style = Style::default();
        let cases = [
            ("import { a } from 'm';", "import { a, z } from 'm';"),
            ("import R from 'm';", "import R, { z } from 'm';"),
            ("import {} from 'm';", "import { z } from 'm';"),
            ("import {\n  a,\n} from 'm';", "import {\n  a,\n  z,\n} from 'm';"),
        ];
        for (input, expected) in cases {
            let tree = parse(input);
            let decl = &import_decls(&tree, input)[0];
            let edit = append_named(input, decl, "z", &style).unwrap();
            assert_eq!(apply_edits(input, &[edit]).unwrap(), expected);
        }
        let input = "import * as R from 'm';";
        let tree = parse(input);
        assert!(append_named(input, &import_decls(&tree, input)[0], "z", &style).is_none());
    }

    #[test]
    fn reads_directives_and_the_insertion_point() {
        let text = "// header\n'use client';\n\"use strict\"\nconst a = 'use server';\n";
        let tree = parse(text);
        let found: Vec<String> = directives(&tree, text).into_iter().map(|(d, _)| d).collect();
        assert_eq!(found, vec!["use client", "use strict"]);
        let (at, before) = import_insertion_point(&tree, text);
        assert_eq!(
            (&text[..at], before),
            ("// header\n'use client';\n\"use strict\"", false)
        );
    }
}
