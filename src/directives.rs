//! Directive-like statements: what a string statement (`'use server'`, `"Use Client"`,
//! `` `use server` ``, `('use server')`, `'use sever'`) was meant to be, where it stands, and the
//! edits shared by the rules that read them (directive-placement, async-server-exports,
//! actions-in-pages).

use crate::fix::Edit;
use crate::style::Style;
use crate::syntax::has_token;
use crate::transforms::{QuerySet, SourceFile, matches_around};
use tree_sitter::Node;

pub mod actions;
pub use actions::{Action, nodes_of, server_actions};

/// The query of the rules that read directives (each declares it in its `Meta`).
pub static STATEMENTS: QuerySet = QuerySet::new(include_str!("../transforms/directive-statements.scm"));

/// One directive-like statement: the statement, what it was meant as, and its written value.
pub struct Found<'t> {
    pub statement: Node<'t>,
    pub meant: Meant,
    pub value: String,
}

/// Every directive-like statement of the file that holds one of `words`, in source order.
pub fn find<'t>(file: &SourceFile<'t>, words: &[&[&str]]) -> Vec<Found<'t>> {
    let query = STATEMENTS.get(file.lang);
    let mut found: Vec<Found<'t>> = Vec::new();
    for word in words.iter().flat_map(|group| group.iter()) {
        for m in matches_around(file.tree, file.text, query, word) {
            for &(_, statement) in &m.captures {
                if found.iter().any(|f| f.statement.id() == statement.id()) {
                    continue;
                }
                if let Some((meant, value)) = read_statement(statement, file.text) {
                    found.push(Found {
                        statement,
                        meant,
                        value,
                    });
                }
            }
        }
    }
    found.sort_by_key(|f| f.statement.start_byte());
    found
}

/// Whether `statement` belongs to the directive prologue of the statement list it stands in.
pub fn in_prologue(statement: Node, text: &str) -> bool {
    let Some(parent) = statement.parent() else {
        return false;
    };
    let mut c = parent.walk();
    crate::syntax::body_directives(parent.named_children(&mut c), text)
        .iter()
        .any(|(_, range)| *range == statement.byte_range())
}

/// Prefilter words: the opening of a string that starts with "use" in any case or with a dash.
/// Every directive Next reads starts so, and so do the mis-writings this tool fixes (a typo
/// inside "use" itself, `'ues server'`, is not looked for: no common part is rare enough to
/// keep ordinary files away from the parser). Each word is its own group.
pub const WORDS: &[&[&str]] = &[
    &["'use "],
    &["\"use "],
    &["`use "],
    &["'use-"],
    &["\"use-"],
    &["'Use "],
    &["\"Use "],
    &["'USE "],
    &["\"USE "],
    &["'Use-"],
    &["\"Use-"],
];

/// The words as one searcher, for `needs_a_look`.
static WORD_SEARCH: std::sync::LazyLock<aho_corasick::AhoCorasick> = std::sync::LazyLock::new(|| {
    aho_corasick::AhoCorasick::new(WORDS.iter().flat_map(|group| group.iter()))
        .expect("the directive words are plain literals")
});

/// Whether a file that holds one of the words may hold something to fix or report, read off its
/// bytes without parsing: most files with a word are `'use client'` components whose directive
/// is at the top and is the only one (a fifth of a Next app's files; parsing them all would
/// cost the no-op runs). The scan is conservative: what it cannot follow, it hands on.
/// `server_module` also keeps a file whose prologue holds `'use server'` (its exports are read).
pub fn needs_a_look(bytes: &[u8], server_module: bool) -> bool {
    let Some((values, end)) = scan_prologue(bytes) else {
        return true;
    };
    // A word past the prologue that may start a statement: a directive after code, a
    // function's, or a mis-written one. One inside a comment or an expression cannot.
    let may_start_statement = WORD_SEARCH
        .find_iter(&bytes[end..])
        .any(|hit| may_start_statement(bytes, end + hit.start()));
    if may_start_statement {
        return true;
    }
    let (mut server, mut client) = (false, false);
    for value in values {
        let Ok(value) = std::str::from_utf8(value) else {
            return true;
        };
        match meant(value) {
            Some(Meant::Exact(Directive::Server)) => server = true,
            Some(Meant::Exact(Directive::Client)) => client = true,
            Some(_) => return true,
            None => {}
        }
    }
    server && (client || server_module)
}

/// Whether the string opening at `at` may start a statement: only spaces and `(` stand between
/// it and a line start, `;`, `{`, `}` or the end of a block comment.
fn may_start_statement(bytes: &[u8], at: usize) -> bool {
    let before = bytes[..at].iter().rposition(|b| !matches!(b, b' ' | b'\t' | b'('));
    match before {
        None => true,
        Some(i) => match bytes[i] {
            b'\n' | b'\r' | b';' | b'{' | b'}' => true,
            b'/' => i > 0 && bytes[i - 1] == b'*',
            _ => false,
        },
    }
}

/// The values of the string statements at the top of a file (after a BOM, a shebang and
/// comments) and where they end; `None` where the text is anything the scan does not follow.
fn scan_prologue(bytes: &[u8]) -> Option<(Vec<&[u8]>, usize)> {
    let mut at = if bytes.starts_with(b"\xef\xbb\xbf") { 3 } else { 0 };
    if bytes[at..].starts_with(b"#!") {
        at = line_end(bytes, at);
    }
    let mut values = Vec::new();
    loop {
        at = skip_space_and_comments(bytes, at)?;
        let Some(&quote) = bytes.get(at).filter(|&&b| b == b'\'' || b == b'"') else {
            return Some((values, at));
        };
        let close = bytes[at + 1..]
            .iter()
            .position(|&b| b == quote || b == b'\\' || b == b'\n')?
            + at
            + 1;
        if bytes[close] != quote {
            return None;
        }
        values.push(&bytes[at + 1..close]);
        at = close + 1;
        // The statement ends at `;`, or at a line break the next line does not continue.
        while matches!(bytes.get(at), Some(b' ' | b'\t')) {
            at += 1;
        }
        match bytes.get(at) {
            Some(b';') => at += 1,
            None => return Some((values, at)),
            Some(b'\r' | b'\n') | Some(b'/') => {
                let next = skip_space_and_comments(bytes, at)?;
                let continues = bytes.get(next).is_some_and(|b| b"([`+-*/.,?=:&|<>!%^".contains(b));
                if continues {
                    return None;
                }
            }
            Some(_) => return None,
        }
    }
}

fn line_end(bytes: &[u8], at: usize) -> usize {
    bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| at + i + 1)
}

fn skip_space_and_comments(bytes: &[u8], mut at: usize) -> Option<usize> {
    loop {
        while bytes.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
            at += 1;
        }
        if bytes[at..].starts_with(b"//") {
            at = line_end(bytes, at);
        } else if bytes[at..].starts_with(b"/*") {
            at += 2 + bytes[at + 2..].windows(2).position(|w| w == b"*/")? + 2;
        } else {
            return Some(at);
        }
    }
}

/// The directives Next reads that this tool fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Directive {
    Server,
    Client,
}

impl Directive {
    pub fn text(self) -> &'static str {
        match self {
            Directive::Server => "use server",
            Directive::Client => "use client",
        }
    }
}

/// What one string statement was meant to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meant {
    /// `'use server'` / `"use client"`, written as Next reads it.
    Exact(Directive),
    /// Meant as the directive but written so Next does not read it (case, dash, spaces, typo,
    /// template literal); `parenthesised` is Next's own error.
    MisWritten { directive: Directive, parenthesised: bool },
    /// A typo of a directive this tool does not fix (`'use cahce'`): the one it resembles.
    OtherTypo(&'static str),
}

/// Directives this tool leaves alone, and whose typos it only reports.
const OTHER_DIRECTIVES: &[&str] = &["use cache", "use strict"];

/// Reads an `expression_statement`: what directive it was meant as, and the written value
/// (for messages). `None` for anything else, and for `'use strict'`, `'use cache'` and
/// `'use cache: remote'`, which are left alone.
pub fn read_statement(statement: Node, text: &str) -> Option<(Meant, String)> {
    if statement.kind() != "expression_statement" {
        return None;
    }
    let mut expr = statement.named_child(0)?;
    let mut parenthesised = false;
    while expr.kind() == "parenthesized_expression" {
        parenthesised = true;
        expr = expr.named_child(0)?;
    }
    let raw = &text[expr.byte_range()];
    let is_template = match expr.kind() {
        "string" => false,
        // A template with a substitution is not a constant.
        "template_string" if !has_named_kind(expr, "template_substitution") => true,
        _ => return None,
    };
    if raw.len() < 2 || raw.contains('\\') {
        return None;
    }
    let value = &raw[1..raw.len() - 1];
    let meant = meant(value)?;
    let meant = match meant {
        Meant::Exact(directive) if is_template || parenthesised => Meant::MisWritten {
            directive,
            parenthesised,
        },
        Meant::MisWritten { directive, .. } => Meant::MisWritten {
            directive,
            parenthesised,
        },
        other => other,
    };
    Some((meant, value.to_string()))
}

/// What a string's value was meant as (quotes and parentheses aside).
fn meant(value: &str) -> Option<Meant> {
    for directive in [Directive::Server, Directive::Client] {
        if value == directive.text() {
            return Some(Meant::Exact(directive));
        }
    }
    if OTHER_DIRECTIVES.contains(&value) || value.starts_with("use cache:") {
        return None;
    }
    // Case, dashes and spacing: `'Use Server'`, `"use-server"`, `'use  client'`, `'use server '`.
    let normal = value
        .to_lowercase()
        .replace(['-', '_'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for directive in [Directive::Server, Directive::Client] {
        if normal == directive.text() || is_typo_of(&normal, directive.text()) {
            return Some(Meant::MisWritten {
                directive,
                parenthesised: false,
            });
        }
    }
    if OTHER_DIRECTIVES.contains(&normal.as_str()) {
        return None;
    }
    OTHER_DIRECTIVES
        .iter()
        .find(|other| is_typo_of(&normal, other))
        .map(|other| Meant::OtherTypo(other))
}

/// Next's rule for a directive typo: the same length with one or two characters different, or
/// one character added or missing.
pub fn is_typo_of(written: &str, directive: &str) -> bool {
    let a: Vec<char> = written.chars().collect();
    let b: Vec<char> = directive.chars().collect();
    if a.len() == b.len() {
        let different = a.iter().zip(&b).filter(|(x, y)| x != y).count();
        return (1..=2).contains(&different);
    }
    let (long, short) = if a.len() > b.len() { (&a, &b) } else { (&b, &a) };
    if long.len() != short.len() + 1 {
        return false;
    }
    let first_difference = long.iter().zip(short.iter()).take_while(|(x, y)| x == y).count();
    long[first_difference + 1..] == short[first_difference..]
}

fn has_named_kind(node: Node, kind: &str) -> bool {
    let mut c = node.walk();
    node.named_children(&mut c).any(|n| n.kind() == kind)
}

/// The function a statement list belongs to, when `block` is a function's body.
pub fn function_of_body(block: Node) -> Option<Node> {
    if block.kind() != "statement_block" {
        return None;
    }
    let function = block.parent()?;
    let is_function = matches!(
        function.kind(),
        "function_declaration"
            | "function_expression"
            | "function"
            | "arrow_function"
            | "method_definition"
            | "generator_function"
            | "generator_function_declaration"
    );
    (is_function && function.child_by_field_name("body") == Some(block)).then_some(function)
}

pub fn is_async(function: Node) -> bool {
    has_token(function, "async")
}

pub fn is_generator(function: Node) -> bool {
    function.kind().starts_with("generator_") || has_token(function, "*")
}

/// Edits that make `function` async: `async ` before it, and a declared return type `T`
/// becomes `Promise<T>` (left as it is when it already is a Promise). `None` for what `async`
/// cannot simply be put before: methods (`get`, `static`, ...) and generators.
pub fn make_async(function: Node, text: &str) -> Option<Vec<Edit>> {
    if is_async(function) {
        return Some(Vec::new());
    }
    if is_generator(function) || function.kind() == "method_definition" {
        return None;
    }
    let mut edits = vec![Edit::insert(function.start_byte(), "async ")];
    if let Some(annotation) = function.child_by_field_name("return_type")
        && let Some(returned) = annotation.named_child(0)
    {
        let written = &text[returned.byte_range()];
        if returned.kind() == "type_predicate" || returned.kind() == "asserts" {
            return None;
        }
        if !is_promise_type(written) {
            edits.push(Edit::replace(returned.byte_range(), format!("Promise<{written}>")));
        }
    }
    Some(edits)
}

fn is_promise_type(written: &str) -> bool {
    let written = written.trim();
    written.starts_with("Promise<") || written == "Promise" || written.starts_with("PromiseLike<")
}

/// The directive as Next reads it, in the file's quotes and semicolon style. A semicolon is
/// kept without the semicolon style when the code after it would otherwise join the string
/// (`'use server'\n(async () => …)()` is a call of the string).
pub fn directive_statement(directive: Directive, style: &Style, next_code: &str) -> String {
    let joins = next_code.trim_start().starts_with(['(', '[', '`', '+', '-', '/', '.']);
    let semi = if style.semicolons || joins { ";" } else { "" };
    format!("{}{semi}", style.string(directive.text()))
}

/// A mis-written directive rewritten where it stands: its expression (parentheses included)
/// becomes the directive in the quotes it had (a template literal's in the file's), and the
/// statement keeps its own `;` or lack of one.
pub fn rewrite_in_place(statement: Node, directive: Directive, style: &Style, text: &str) -> Option<Edit> {
    let expr = statement.named_child(0)?;
    let mut inner = expr;
    while inner.kind() == "parenthesized_expression" {
        inner = inner.named_child(0)?;
    }
    let quote = match text[inner.byte_range()].chars().next() {
        Some(q @ ('\'' | '"')) => q,
        _ => style.quote,
    };
    Some(Edit::replace(
        expr.byte_range(),
        format!("{quote}{}{quote}", directive.text()),
    ))
}

/// The byte range that removes `statement` with its line; when blank lines stand both before
/// and after it, the one after goes too, so no double blank line is left.
pub fn removal_range(text: &str, statement: Node) -> std::ops::Range<usize> {
    let (start, end) = (statement.start_byte(), statement.end_byte());
    let range = crate::lines::line_range(text, start, end);
    let whole_lines = range.start != start || range.end != end;
    if !whole_lines {
        return range;
    }
    let line_before_blank = range.start == 0 || {
        let before = text[..range.start - 1].trim_end_matches('\r');
        before[before.rfind('\n').map_or(0, |i| i + 1)..].trim().is_empty()
    };
    let next_line_end = text[range.end..].find('\n').map(|i| range.end + i + 1);
    match next_line_end {
        Some(next_end) if line_before_blank && text[range.end..next_end].trim().is_empty() => range.start..next_end,
        _ => range,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_by_next_rule() {
        assert!(is_typo_of("use sever", "use server"));
        assert!(is_typo_of("use servers", "use server"));
        assert!(is_typo_of("use servre", "use server"));
        assert!(is_typo_of("use clinet", "use client"));
        assert!(is_typo_of("use cahce", "use cache"));
        assert!(!is_typo_of("use server", "use server"));
        assert!(!is_typo_of("use svr", "use server"));
        assert!(!is_typo_of("use serverless", "use server"));
        assert!(!is_typo_of("use client", "use server"));
    }

    #[test]
    fn looks_closer_only_where_something_may_be_wrong() {
        let fine = [
            "'use client';\nimport { a } from 'b';\nexport function C() { return a }\n",
            "// comment\n/* block */\n\"use client\"\n\nimport a from 'b'\n",
            "#!/usr/bin/env node\n'use strict';\nconsole.log(1)\n",
        ];
        for text in fine {
            assert!(!needs_a_look(text.as_bytes(), true), "{text}");
        }
        let look = [
            "import a from 'b';\n'use server';\n",
            "'use client';\n'use server';\n",
            "'Use Client';\n",
            "'use client'\n+ x\n",
            "export function f() {\n  g();\n  'use server';\n}\n",
            "/* unclosed\n'use client'",
        ];
        for text in look {
            assert!(needs_a_look(text.as_bytes(), false), "{text}");
        }
        let not_statements = [
            "'use client';\n// Not a \"use server\" module.\nconst hint = 'use server';\nlog('use server');\n/**\n * 'use server' here\n */\n",
        ];
        for text in not_statements {
            assert!(!needs_a_look(text.as_bytes(), false), "{text}");
        }
        for text in [
            "f();\r\n'use server'",
            "x; ('use server')",
            "{ 'use server'",
            "f(); /* a */ 'use server'",
        ] {
            assert!(needs_a_look(text.as_bytes(), false), "{text}");
        }
        assert!(needs_a_look(b"'use server';\nexport function f() {}\n", true));
        assert!(!needs_a_look(b"'use server';\nexport function f() {}\n", false));
    }

    #[test]
    fn what_values_mean() {
        assert_eq!(meant("use server"), Some(Meant::Exact(Directive::Server)));
        for written in [
            "Use Server",
            "use-server",
            "use  server",
            "use server ",
            "USE SERVER",
            "use sever",
        ] {
            assert_eq!(
                meant(written),
                Some(Meant::MisWritten {
                    directive: Directive::Server,
                    parenthesised: false
                }),
                "{written}"
            );
        }
        assert_eq!(meant("use cahce"), Some(Meant::OtherTypo("use cache")));
        for left_alone in ["use strict", "use cache", "use cache: remote", "use my hook", "user"] {
            assert_eq!(meant(left_alone), None, "{left_alone}");
        }
    }
}
