//! What the project rules need to know of a module: its directive, its imports, its exported
//! functions (async or not, their parameters, whether they return a value) and the other
//! things it exports, read from its tree once.

use crate::imports::{ImportDecl, import_decls};
use crate::syntax::directives;
use crate::syntax::{has_token, string_value, unwrap_expression};
use std::ops::Range;
use tree_sitter::{Node, Tree};

#[derive(Debug, Clone)]
pub struct Param {
    /// The binding's text (`formData`, or a pattern such as `{ id }`).
    pub name: String,
    /// The annotation's type, without its colon (`FormData`, `State`).
    pub type_text: Option<String>,
    pub range: Range<usize>,
    /// An `x = 1` default or a `...rest`: it need not be passed.
    pub optional: bool,
}

#[derive(Debug, Clone)]
pub struct ExportedFn {
    /// The exported name (`default` for `export default function`).
    pub name: String,
    pub is_async: bool,
    pub params: Vec<Param>,
    /// `( ... )` of the parameters; `None` for an arrow's lone parameter without parentheses.
    pub params_range: Option<Range<usize>>,
    /// Its own `return VALUE;` statements (not those of functions inside it).
    pub value_returns: Vec<Range<usize>>,
    /// An arrow function whose body is an expression: it returns that value.
    pub expression_body: bool,
    pub return_type: bool,
    /// The function node.
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OtherExport {
    /// A value that is not a function (`export const schema = z.object(…)`, a class, …).
    Value(String),
    /// `export { x } from './y'`: the specifier and the name there.
    ReExport {
        name: String,
        source: String,
        imported: String,
    },
    /// `export * from './y'`.
    Star(String),
}

#[derive(Debug, Clone, Default)]
pub struct ModuleView {
    pub directive: Option<String>,
    pub imports: Vec<ImportDecl>,
    pub functions: Vec<ExportedFn>,
    pub others: Vec<OtherExport>,
    /// Exported type names (`export type State`, `export interface`, `export type { X }`).
    pub types: Vec<String>,
    /// Names exported from a `NameOfCall(...)` destructuring: `export const { signIn } =
    /// NextAuth(...)` gives (`signIn`, `NextAuth`).
    pub from_calls: Vec<(String, String)>,
    /// Every import's specifier, dynamic ones and `export … from` included.
    pub specifiers: Vec<String>,
}

impl ModuleView {
    pub fn read(tree: &Tree, text: &str) -> ModuleView {
        let mut view = ModuleView {
            directive: directives(tree, text)
                .into_iter()
                .map(|(d, _)| d)
                .find(|d| d == "use server" || d == "use client"),
            imports: import_decls(tree, text),
            ..ModuleView::default()
        };
        view.specifiers = view.imports.iter().map(|i| i.source.clone()).collect();
        let root = tree.root_node();
        let mut locals: Vec<(String, Node)> = Vec::new();
        let mut exported_locals: Vec<(String, String)> = Vec::new();
        let mut c = root.walk();
        for statement in root.named_children(&mut c) {
            match statement.kind() {
                "export_statement" => view.read_export(statement, text, &mut exported_locals),
                "function_declaration" | "generator_function_declaration" | "lexical_declaration" => {
                    collect_locals(statement, text, &mut locals)
                }
                _ => {}
            }
        }
        for (exported, local) in exported_locals {
            match locals.iter().find(|(name, _)| *name == local) {
                Some((_, function)) if is_function(*function) => {
                    view.functions.push(exported_fn(exported, *function, text));
                }
                Some(_) => view.others.push(OtherExport::Value(exported)),
                None if is_type_name(tree, text, &local) => view.types.push(exported),
                None => view.others.push(OtherExport::Value(exported)),
            }
        }
        view
    }

    pub fn function(&self, name: &str) -> Option<&ExportedFn> {
        self.functions.iter().find(|f| f.name == name)
    }

    pub fn exports_type(&self, name: &str) -> bool {
        self.types.iter().any(|t| t == name)
    }

    fn read_export(&mut self, statement: Node, text: &str, exported_locals: &mut Vec<(String, String)>) {
        let is_default = has_token(statement, "default");
        if let Some(source) = statement.child_by_field_name("source") {
            let source = string_value(text, source).to_string();
            self.specifiers.push(source.clone());
            let type_only = has_token(statement, "type");
            match named_child_of_kind(statement, "export_clause") {
                Some(clause) => {
                    for (name, imported, is_type) in export_specifiers(clause, text) {
                        if type_only || is_type {
                            self.types.push(name);
                        } else {
                            self.others.push(OtherExport::ReExport {
                                name,
                                source: source.clone(),
                                imported,
                            });
                        }
                    }
                }
                None => self.others.push(OtherExport::Star(source)),
            }
            return;
        }
        if let Some(clause) = named_child_of_kind(statement, "export_clause") {
            let type_only = has_token(statement, "type");
            for (name, local, is_type) in export_specifiers(clause, text) {
                if type_only || is_type {
                    self.types.push(name);
                } else {
                    exported_locals.push((name, local));
                }
            }
            return;
        }
        let Some(declaration) = statement
            .child_by_field_name("declaration")
            .or_else(|| statement.child_by_field_name("value"))
        else {
            return;
        };
        match declaration.kind() {
            "type_alias_declaration" | "interface_declaration" => {
                if let Some(name) = declaration.child_by_field_name("name") {
                    self.types.push(text[name.byte_range()].to_string());
                }
            }
            "function_declaration" | "generator_function_declaration" => {
                let name = match (is_default, declaration.child_by_field_name("name")) {
                    (true, _) | (_, None) => "default".to_string(),
                    (false, Some(name)) => text[name.byte_range()].to_string(),
                };
                self.functions.push(exported_fn(name, declaration, text));
            }
            "lexical_declaration" | "variable_declaration" => {
                let mut c = declaration.walk();
                for declarator in declaration.named_children(&mut c) {
                    if declarator.kind() != "variable_declarator" {
                        continue;
                    }
                    let (Some(name), value) = (
                        declarator.child_by_field_name("name"),
                        declarator.child_by_field_name("value"),
                    ) else {
                        continue;
                    };
                    let value = value.map(unwrap_expression);
                    if name.kind() == "object_pattern" {
                        let callee = value
                            .filter(|v| v.kind() == "call_expression")
                            .and_then(|v| v.child_by_field_name("function"))
                            .map(|f| text[f.byte_range()].to_string());
                        for bound in pattern_names(name, text) {
                            match &callee {
                                Some(callee) => self.from_calls.push((bound, callee.clone())),
                                None => self.others.push(OtherExport::Value(bound)),
                            }
                        }
                        continue;
                    }
                    let name = text[name.byte_range()].to_string();
                    match value {
                        Some(v) if is_function(v) => self.functions.push(exported_fn(name, v, text)),
                        _ => self.others.push(OtherExport::Value(name)),
                    }
                }
            }
            _ if is_default => {
                let value = unwrap_expression(declaration);
                if is_function(value) {
                    self.functions.push(exported_fn("default".into(), value, text));
                } else {
                    self.others.push(OtherExport::Value("default".into()));
                }
            }
            "class_declaration" | "abstract_class_declaration" | "enum_declaration" => {
                let name = declaration
                    .child_by_field_name("name")
                    .map_or("default", |n| &text[n.byte_range()]);
                self.others.push(OtherExport::Value(name.to_string()));
            }
            _ => {}
        }
    }
}

fn collect_locals<'t>(statement: Node<'t>, text: &str, locals: &mut Vec<(String, Node<'t>)>) {
    if statement.kind() != "lexical_declaration" {
        if let Some(name) = statement.child_by_field_name("name") {
            locals.push((text[name.byte_range()].to_string(), statement));
        }
        return;
    }
    let mut c = statement.walk();
    for declarator in statement.named_children(&mut c) {
        let (Some(name), Some(value)) = (
            declarator.child_by_field_name("name"),
            declarator.child_by_field_name("value"),
        ) else {
            continue;
        };
        if name.kind() == "identifier" {
            locals.push((text[name.byte_range()].to_string(), unwrap_expression(value)));
        }
    }
}

/// A type declared at the top level under `name` (for `export { State }`).
fn is_type_name(tree: &Tree, text: &str, name: &str) -> bool {
    let root = tree.root_node();
    let mut c = root.walk();
    root.named_children(&mut c).any(|s| {
        matches!(s.kind(), "type_alias_declaration" | "interface_declaration")
            && s.child_by_field_name("name")
                .is_some_and(|n| &text[n.byte_range()] == name)
    })
}

/// (exported name, local or imported name, `type` specifier) of an `export { … }` clause.
fn export_specifiers(clause: Node, text: &str) -> Vec<(String, String, bool)> {
    let mut c = clause.walk();
    clause
        .named_children(&mut c)
        .filter(|s| s.kind() == "export_specifier")
        .filter_map(|s| {
            let name = s.child_by_field_name("name")?;
            let local = string_value(text, name).to_string();
            let exported = s
                .child_by_field_name("alias")
                .map_or(local.clone(), |a| string_value(text, a).to_string());
            Some((exported, local, has_token(s, "type")))
        })
        .collect()
}

fn pattern_names(pattern: Node, text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut c = pattern.walk();
    for child in pattern.named_children(&mut c) {
        match child.kind() {
            "shorthand_property_identifier_pattern" => names.push(text[child.byte_range()].to_string()),
            "pair_pattern" => {
                if let Some(value) = child.child_by_field_name("value")
                    && value.kind() == "identifier"
                {
                    names.push(text[value.byte_range()].to_string());
                }
            }
            _ => {}
        }
    }
    names
}

pub fn is_function(node: Node) -> bool {
    matches!(
        node.kind(),
        "function_declaration"
            | "generator_function_declaration"
            | "arrow_function"
            | "function_expression"
            | "function"
            | "generator_function"
    )
}

fn named_child_of_kind<'t>(node: Node<'t>, kind: &str) -> Option<Node<'t>> {
    let mut c = node.walk();
    node.named_children(&mut c).find(|n| n.kind() == kind)
}

fn exported_fn(name: String, function: Node, text: &str) -> ExportedFn {
    let (params, params_range) = read_params(function, text);
    let body = function.child_by_field_name("body");
    let expression_body = body.is_some_and(|b| b.kind() != "statement_block");
    ExportedFn {
        name,
        is_async: has_token(function, "async"),
        params,
        params_range,
        value_returns: body.map(value_returns).unwrap_or_default(),
        expression_body,
        return_type: function.child_by_field_name("return_type").is_some(),
        range: function.byte_range(),
    }
}

fn read_params(function: Node, text: &str) -> (Vec<Param>, Option<Range<usize>>) {
    if let Some(single) = function.child_by_field_name("parameter") {
        let param = Param {
            name: text[single.byte_range()].to_string(),
            type_text: None,
            range: single.byte_range(),
            optional: false,
        };
        return (vec![param], None);
    }
    let Some(parameters) = function.child_by_field_name("parameters") else {
        return (Vec::new(), None);
    };
    let mut c = parameters.walk();
    let params = parameters
        .named_children(&mut c)
        .filter(|p| p.kind() != "comment")
        .map(|p| {
            let pattern = p.child_by_field_name("pattern").unwrap_or(p);
            let type_text = p
                .child_by_field_name("type")
                .and_then(|t| t.named_child(0))
                .map(|t| text[t.byte_range()].to_string());
            let optional = p.kind() == "optional_parameter"
                || p.child_by_field_name("value").is_some()
                || pattern.kind() == "rest_pattern"
                || p.kind() == "assignment_pattern";
            Param {
                name: text[pattern.byte_range()].to_string(),
                type_text,
                range: p.byte_range(),
                optional,
            }
        })
        .collect();
    (params, Some(parameters.byte_range()))
}

/// The function's own `return VALUE` statements (not those of the functions inside it).
fn value_returns(body: Node) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut stack = vec![body];
    while let Some(node) = stack.pop() {
        if node.kind() == "return_statement" && node.named_children(&mut node.walk()).any(|n| n.kind() != "comment") {
            found.push(node.byte_range());
            continue;
        }
        let mut c = node.walk();
        for child in node.named_children(&mut c) {
            let nested = crate::syntax::is_function(child.kind()) || child.kind() == "class_body";
            if !nested {
                stack.push(child);
            }
        }
    }
    found.sort_by_key(|r| r.start);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{Lang, Parsers};

    fn view(text: &str) -> ModuleView {
        let tree = Parsers::new().parse(Lang::Tsx, text, None).unwrap();
        ModuleView::read(&tree, text)
    }

    #[test]
    fn reads_exported_functions_types_and_other_exports() {
        let v = view(
            "import { sql } from '@/lib/db';\nexport type State = { message?: string };\n\
             export async function create(prevState: State, formData: FormData) { if (!x) return { message: 'no' }; return; }\n\
             export const remove = async (id: string) => { await sql`x`; };\n\
             export function helper() {}\nexport const schema = z.object({});\n\
             async function local(formData: FormData) {}\nexport { local as exported };\n\
             export { a } from './a';\nexport const { signIn, signOut } = NextAuth({});\n",
        );
        assert_eq!(v.directive, None);
        assert_eq!(v.types, vec!["State"]);
        let create = v.function("create").unwrap();
        assert!(create.is_async);
        assert_eq!(create.params[0].name, "prevState");
        assert_eq!(create.params[0].type_text.as_deref(), Some("State"));
        assert_eq!(create.params[1].type_text.as_deref(), Some("FormData"));
        assert_eq!(create.value_returns.len(), 1);
        assert!(v.function("remove").unwrap().is_async);
        assert!(!v.function("helper").unwrap().is_async);
        assert!(v.function("exported").unwrap().is_async);
        assert!(v.others.contains(&OtherExport::Value("schema".into())));
        assert!(
            v.others
                .iter()
                .any(|o| matches!(o, OtherExport::ReExport { name, .. } if name == "a"))
        );
        assert_eq!(
            v.from_calls,
            vec![
                ("signIn".into(), "NextAuth".into()),
                ("signOut".into(), "NextAuth".into())
            ]
        );
    }
}
