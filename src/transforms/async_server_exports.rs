//! # async-server-exports
//!
//! **What it does.** In a module whose `'use server'` directive is in place, makes an exported
//! function `async` when nothing can observe the difference: it is a form action (a parameter
//! typed `FormData`, or named `formData`), or it returns no value and nothing in the module uses
//! its result. A declared return type `T` becomes `Promise<T>`. Inline `'use server'` functions
//! that are not async become async too.
//!
//! **Why.** Next stops the build with `Only async functions are allowed to be exported in a
//! "use server" file.` and `Server Actions must be async functions.` The only autofix a linter
//! offers is inserting `async`, which changes what every caller of a function that returns a
//! value gets.
//!
//! **Example.**
//! ```text
//! 'use server';                                  'use server';
//! export function save(formData: FormData) {  →  export async function save(formData: FormData) {
//! ```
//!
//! **Not applied.** A function that returns a value, or whose result the module uses: a finding
//! with the two ways out (make it async and `await` it where it is called, or move it to a
//! module without `'use server'`). Exports that are not functions (`export const schema =
//! z.object(…)`, objects, literals, classes, enums, `export let`): a finding. Class methods with
//! an inline `'use server'`: a finding (Next forbids them). Type-only exports, re-exports
//! (`export { x } from './y'`) and values whose kind cannot be told (`export const a = make()`)
//! are left alone.

use crate::directives::{self, Directive, Meant, is_async, is_generator, make_async};
use crate::fix::{Edit, Outcome};
use crate::scope::ScopeTree;
use crate::syntax::{default_keyword, has_token, unwrap_expression};
use crate::target::Needs;
use crate::transforms::{Meta, SourceFile, Transform};
use tree_sitter::Node;

pub struct AsyncServerExports;

static META: Meta = Meta {
    name: "async-server-exports",
    summary: "non-async exports of 'use server' modules and inline actions → async where safe",
    // directive-placement's words: this rule must see a directive it puts in place in the run.
    words: directives::WORDS,
    needs: "Next 14 or 15",
    queries: &[&directives::STATEMENTS],
};

const EXPORTS_MESSAGE: &str = "Only async functions are allowed to be exported in a \"use server\" file.";
const ACTIONS_MESSAGE: &str = "Server Actions must be async functions.";

impl Transform for AsyncServerExports {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn wants_text(&self, bytes: &[u8]) -> bool {
        directives::needs_a_look(bytes, true)
    }

    fn run(&self, file: &SourceFile) -> Outcome {
        let mut check = Check {
            file,
            outcome: Outcome::default(),
            made_async: Vec::new(),
        };
        let prologue = crate::syntax::directives(file.tree, file.text);
        let has = |d: Directive| prologue.iter().any(|(value, _)| value == d.text());
        if has(Directive::Server) && !has(Directive::Client) {
            check.exports();
        }
        check.inline_actions();
        if !check.outcome.fixes.is_empty() {
            check.outcome.needs = Needs::NEXT_14;
        }
        check.outcome
    }
}

struct Check<'a, 'f> {
    file: &'a SourceFile<'f>,
    outcome: Outcome,
    /// Functions already made async (a function can be an export and an inline action).
    made_async: Vec<usize>,
}

/// Why an exported function may not simply become async.
enum Unsafe {
    ReturnsValue,
    ResultUsed,
    Generator,
    /// TypeScript overload signatures declare what it returns: they would all need a Promise.
    Overloaded,
}

impl<'a, 'f> Check<'a, 'f> {
    fn exports(&mut self) {
        let root = self.file.tree.root_node();
        let mut c = root.walk();
        let statements: Vec<Node<'f>> = root.named_children(&mut c).collect();
        for statement in statements {
            if statement.kind() != "export_statement" || statement.child_by_field_name("source").is_some() {
                continue;
            }
            // `export type { A }`, `export type A = …`, interfaces: no value.
            if has_token(statement, "type") {
                continue;
            }
            if let Some(declaration) = statement.child_by_field_name("declaration") {
                self.declaration(declaration, statement);
            } else if let Some(value) = statement.child_by_field_name("value") {
                self.default_value(value, statement);
            } else if let Some(clause) = named_child_of_kind(statement, "export_clause") {
                let names = crate::syntax::exported_values(clause);
                for name in names {
                    let name = self.file.node_text(name).to_string();
                    self.local(&name);
                }
            }
        }
    }

    fn declaration(&mut self, declaration: Node<'f>, statement: Node<'f>) {
        match declaration.kind() {
            "function_declaration" | "generator_function_declaration" => {
                let name = declaration.child_by_field_name("name").unwrap_or(declaration);
                let at = if is_default(statement) && declaration.child_by_field_name("name").is_none() {
                    default_keyword(statement)
                } else {
                    name.start_byte()
                };
                self.function(declaration, at, Some(self.file.node_text(name).to_string()));
            }
            "lexical_declaration" | "variable_declaration" => {
                let constant = has_token(declaration, "const");
                let mut c = declaration.walk();
                let declarators: Vec<Node> = declaration
                    .named_children(&mut c)
                    .filter(|d| d.kind() == "variable_declarator")
                    .collect();
                for declarator in declarators {
                    self.declarator(declarator, constant);
                }
            }
            "class_declaration" | "abstract_class_declaration" => {
                let at = declaration
                    .child_by_field_name("name")
                    .map_or(default_keyword(statement), |n| n.start_byte());
                self.not_a_function(at, "a class");
            }
            // `export const enum` has no value at run time.
            "enum_declaration" if !has_token(declaration, "const") => {
                let at = declaration.child_by_field_name("name").unwrap_or(declaration);
                self.not_a_function(at.start_byte(), "an enum");
            }
            _ => {}
        }
    }

    fn declarator(&mut self, declarator: Node<'f>, constant: bool) {
        let Some(name) = declarator.child_by_field_name("name") else {
            return;
        };
        let at = name.start_byte();
        let value = declarator.child_by_field_name("value").map(unwrap_expression);
        match value {
            Some(function) if is_function_value(function) => {
                if constant {
                    let local = (name.kind() == "identifier").then(|| self.file.node_text(name).to_string());
                    self.function(function, at, local);
                } else if !is_async(function) {
                    self.not_a_function(at, "`export let`/`var`: a binding that can be reassigned");
                }
            }
            None if !constant => self.not_a_function(at, "`export let`/`var` without a value"),
            Some(value) => {
                if let Some(what) = self.certainly_not_function(value) {
                    self.not_a_function(at, what);
                } else if !constant {
                    self.not_a_function(at, "`export let`/`var`: a binding that can be reassigned");
                }
            }
            None => {}
        }
    }

    fn default_value(&mut self, value: Node<'f>, statement: Node<'f>) {
        let value = unwrap_expression(value);
        let at = default_keyword(statement);
        if is_function_value(value) {
            self.function(value, at, None);
        } else if value.kind() == "identifier" {
            let name = self.file.node_text(value).to_string();
            self.local(&name);
        } else if let Some(what) = self.certainly_not_function(value) {
            self.not_a_function(at, what);
        }
    }

    /// An export of a local name (`export { save }`, `export default save`): its declaration.
    fn local(&mut self, name: &str) {
        let root = self.file.tree.root_node();
        let mut c = root.walk();
        let statements: Vec<Node<'f>> = root.named_children(&mut c).collect();
        for statement in statements {
            // An `export function` is checked as such already.
            if statement.kind() == "export_statement" {
                continue;
            }
            match statement.kind() {
                "function_declaration" | "generator_function_declaration" => {
                    if let Some(n) = statement.child_by_field_name("name")
                        && self.file.node_text(n) == name
                    {
                        self.function(statement, n.start_byte(), Some(name.to_string()));
                        return;
                    }
                }
                "lexical_declaration" | "variable_declaration" => {
                    let constant = has_token(statement, "const");
                    let mut c = statement.walk();
                    let declarator = statement.named_children(&mut c).find(|d| {
                        d.kind() == "variable_declarator"
                            && d.child_by_field_name("name")
                                .is_some_and(|n| self.file.node_text(n) == name)
                    });
                    if let Some(declarator) = declarator {
                        self.declarator(declarator, constant);
                        return;
                    }
                }
                "class_declaration" | "abstract_class_declaration" => {
                    if let Some(n) = statement.child_by_field_name("name")
                        && self.file.node_text(n) == name
                    {
                        self.not_a_function(n.start_byte(), "a class");
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    /// An exported function: async when that is safe, else a finding at `at`.
    fn function(&mut self, function: Node<'f>, at: usize, local: Option<String>) {
        if is_async(function) {
            return;
        }
        let why = if is_generator(function) {
            Some(Unsafe::Generator)
        } else if local.as_deref().is_some_and(|name| self.has_overloads(name)) {
            Some(Unsafe::Overloaded)
        } else if is_form_action(function, self.file.text) {
            None
        } else if returns_value(function) {
            Some(Unsafe::ReturnsValue)
        } else if local.as_deref().is_some_and(|name| self.result_used(name)) {
            Some(Unsafe::ResultUsed)
        } else {
            None
        };
        let name = local.map_or_else(|| "the default export".to_string(), |name| format!("`{name}`"));
        let why = match why {
            None => match make_async(function, self.file.text) {
                Some(edits) => {
                    self.push_async(function, edits);
                    return;
                }
                None => Unsafe::ReturnsValue,
            },
            Some(why) => why,
        };
        let reason = match why {
            Unsafe::Generator => format!("{name} is a generator, which cannot be a Server Action"),
            Unsafe::ReturnsValue => {
                format!("{name} returns a value, and made async it would return a promise to its callers")
            }
            Unsafe::Overloaded => {
                format!("{name} has overload signatures, whose return types would each need to become a Promise")
            }
            Unsafe::ResultUsed => {
                format!("this module uses the result of {name}, which made async would be a promise")
            }
        };
        self.outcome.note(
            at,
            format!("{EXPORTS_MESSAGE} (not fixed: {reason} — make it async and `await` it where it is called, or move it to a module without 'use server')"),
        );
    }

    /// Whether a top-level `function name(…): T;` signature overloads `name`.
    fn has_overloads(&self, name: &str) -> bool {
        let root = self.file.tree.root_node();
        let mut c = root.walk();
        root.named_children(&mut c).any(|statement| {
            let signature = if statement.kind() == "export_statement" {
                statement.child_by_field_name("declaration")
            } else {
                Some(statement)
            };
            signature.is_some_and(|s| {
                s.kind() == "function_signature"
                    && s.child_by_field_name("name")
                        .is_some_and(|n| self.file.node_text(n) == name)
            })
        })
    }

    fn push_async(&mut self, function: Node, edits: Vec<Edit>) {
        if self.made_async.contains(&function.start_byte()) {
            return;
        }
        self.made_async.push(function.start_byte());
        self.outcome.fix("Make this Server Action async", edits);
    }

    fn not_a_function(&mut self, at: usize, what: &str) {
        self.outcome.note(
            at,
            format!("{EXPORTS_MESSAGE} (not fixed: this export is {what}, not an async function — move it to a module without 'use server')"),
        );
    }

    /// What a value is when it certainly is not a function (`None` when it may be one: a call
    /// can return a function, an identifier can name one).
    fn certainly_not_function(&mut self, value: Node) -> Option<&'static str> {
        match value.kind() {
            "object" => Some("an object"),
            "array" => Some("an array"),
            "string" | "template_string" | "number" | "true" | "false" | "null" | "undefined" | "regex" => {
                Some("a constant")
            }
            "class" => Some("a class"),
            "new_expression" => Some("an object made with `new`"),
            // `z.object(…)`, `z.string().min(1)`: a zod schema.
            "call_expression" if self.is_zod_call(value) => Some("a zod schema"),
            _ => None,
        }
    }

    /// Whether the call chain starts at an import from 'zod' (`z.object(…).strict()`).
    fn is_zod_call(&mut self, call: Node) -> bool {
        let mut node = call;
        loop {
            node = match node.kind() {
                "call_expression" => match node.child_by_field_name("function") {
                    Some(f) => f,
                    None => return false,
                },
                "member_expression" => match node.child_by_field_name("object") {
                    Some(o) => o,
                    None => return false,
                },
                "identifier" => break,
                _ => return false,
            };
        }
        let scopes = self.scopes();
        scopes.binding_of(node.byte_range()).is_some_and(
            |b| matches!(&scopes.bindings[b].kind, crate::scope::BindingKind::Import(i) if i.source == "zod"),
        )
    }

    fn scopes(&self) -> &'a ScopeTree {
        self.file.scopes()
    }

    /// Whether the module uses what a call of the top-level `name` returns (anything but
    /// `name(…);` as a statement, or the export itself, counts).
    fn result_used(&mut self, name: &str) -> bool {
        let tree = self.file.tree;
        let scopes = self.scopes();
        let Some(binding) = scopes.lookup(name, 0) else {
            return false;
        };
        let root = tree.root_node();
        scopes
            .references_to(binding)
            .filter(|r| r.kind != crate::scope::RefKind::Export)
            .any(|r| {
                let Some(node) = root.descendant_for_byte_range(r.range.start, r.range.end) else {
                    return true;
                };
                let Some(parent) = node.parent() else {
                    return true;
                };
                if parent.kind() == "export_statement" {
                    return false;
                }
                let called_for_effect = parent.kind() == "call_expression"
                    && parent.child_by_field_name("function") == Some(node)
                    && parent.parent().is_some_and(|p| {
                        p.kind() == "expression_statement"
                            || (p.kind() == "await_expression"
                                && p.parent().is_some_and(|pp| pp.kind() == "expression_statement"))
                    });
                !called_for_effect
            })
    }

    /// Functions whose body starts with `'use server'`: async (Next: "Server Actions must be
    /// async functions"); a class method gets a finding.
    fn inline_actions(&mut self) {
        let file = self.file;
        let words: &[&[&str]] = &[&["'use server'"], &["\"use server\""]];
        for found in directives::find(file, words) {
            if found.meant != Meant::Exact(Directive::Server) || !directives::in_prologue(found.statement, file.text) {
                continue;
            }
            let Some(function) = found.statement.parent().and_then(directives::function_of_body) else {
                continue;
            };
            if is_async(function) {
                continue;
            }
            if function.kind() == "method_definition" {
                let at = function.child_by_field_name("name").unwrap_or(function).start_byte();
                let in_class = function.parent().is_some_and(|p| p.kind() == "class_body");
                let message = if in_class {
                    format!(
                        "{ACTIONS_MESSAGE} (not fixed: a class method cannot be a Server Action, Next rejects 'use server' in one — turn it into a function: `async function name() {{ 'use server'; … }}`)"
                    )
                } else {
                    format!("{ACTIONS_MESSAGE} (not fixed: make this method async by hand)")
                };
                self.outcome.note(at, message);
                continue;
            }
            match make_async(function, file.text) {
                Some(edits) => self.push_async(function, edits),
                None => {
                    let at = function.child_by_field_name("name").unwrap_or(function).start_byte();
                    self.outcome.note(
                        at,
                        format!("{ACTIONS_MESSAGE} (not fixed: a generator, or a function whose return type cannot be wrapped in a Promise, cannot simply be made async)"),
                    );
                }
            }
        }
    }
}

fn named_child_of_kind<'t>(node: Node<'t>, kind: &str) -> Option<Node<'t>> {
    let mut c = node.walk();
    node.named_children(&mut c).find(|n| n.kind() == kind)
}

fn is_default(statement: Node) -> bool {
    has_token(statement, "default")
}

fn is_function_value(node: Node) -> bool {
    matches!(
        node.kind(),
        "arrow_function" | "function_expression" | "function" | "generator_function"
    )
}

/// A form action: a parameter typed `FormData` or named `formData`.
fn is_form_action(function: Node, text: &str) -> bool {
    if let Some(single) = function.child_by_field_name("parameter") {
        return &text[single.byte_range()] == "formData";
    }
    let Some(parameters) = function.child_by_field_name("parameters") else {
        return false;
    };
    let mut c = parameters.walk();
    parameters.named_children(&mut c).any(|p| {
        let named = p
            .child_by_field_name("pattern")
            .is_some_and(|n| &text[n.byte_range()] == "formData");
        let typed = p
            .child_by_field_name("type")
            .and_then(|t| t.named_child(0))
            .is_some_and(|t| &text[t.byte_range()] == "FormData");
        named || typed
    })
}

/// Whether the function returns a value: an expression body, or a `return <value>` of its own
/// (not of a function inside it).
fn returns_value(function: Node) -> bool {
    let Some(body) = function.child_by_field_name("body") else {
        return false;
    };
    if body.kind() != "statement_block" {
        return true;
    }
    let mut stack = vec![body];
    while let Some(node) = stack.pop() {
        if node.kind() == "return_statement" && node.named_child_count() > 0 {
            return true;
        }
        let mut c = node.walk();
        for child in node.named_children(&mut c) {
            let nested = crate::syntax::is_function(child.kind()) || child.kind() == "class_body";
            if !nested {
                stack.push(child);
            }
        }
    }
    false
}
