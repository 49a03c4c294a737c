//! # directive-placement
//!
//! **What it does.** Rewrites a `'use server'` or `'use client'` that Next does not see into one
//! it does: a module directive after an import (or any statement) moves to the top of the file,
//! after a shebang and the leading comments; a `'use server'` after other statements of a
//! function body moves to the body's first line, and the function becomes `async`; a mis-written
//! directive (`'use sever'`, `'Use Server'`, `"use-client"`, `'use  server'`, `` `use server` ``,
//! `('use server')`) becomes the exact one. The file's quotes and semicolon style are kept.
//!
//! **Why.** Next reads directives only in the directive prologue and only when spelled exactly.
//! It stops the build with `The "use server" directive must be at the top of the file.`,
//! `Did you mean "use server"? "use sever" is not a supported directive name.` or
//! `The "use server" directive cannot be wrapped in parentheses.` and fixes nothing.
//!
//! **Example.**
//! ```text
//! import { db } from './db';              'use server';
//! 'use server';                     →     import { db } from './db';
//! export async function save() {}         export async function save() {}
//! ```
//!
//! **Not applied.** A module holding both `'use client'` and `'use server'` (Next rejects it: it
//! must be split; a finding). A typo of a directive this tool does not fix (`'use cahce'`): a
//! finding that names the directive. `'use strict'` and `'use cache'` are left alone, and so are
//! strings inside expressions. A typo inside the word "use" (`'ues server'`) is not looked for.

use crate::directives::{
    self, Directive, Found, Meant, directive_statement, make_async, removal_range, rewrite_in_place,
};
use crate::fix::{Edit, Outcome};
use crate::style::{Style, indent_at};
use crate::target::Needs;
use crate::transforms::{Meta, SourceFile, Transform};
use tree_sitter::Node;

pub struct DirectivePlacement;

static META: Meta = Meta {
    name: "directive-placement",
    summary: "'use server' / 'use client' after code, mis-spelt or in parentheses → the directive Next reads",
    words: directives::WORDS,
    needs: "Next 14 or 15",
    queries: &[&directives::STATEMENTS],
};

impl Transform for DirectivePlacement {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn wants_text(&self, bytes: &[u8]) -> bool {
        directives::needs_a_look(bytes, false)
    }

    fn run(&self, file: &SourceFile) -> Outcome {
        let mut outcome = Outcome::default();
        let found = directives::find(file, META.words);
        if found.is_empty() {
            return outcome;
        }
        let style = file.style();
        let root = file.tree.root_node();
        for f in &found {
            if let Meant::OtherTypo(other) = f.meant {
                outcome.note(
                    f.statement.start_byte(),
                    format!(
                        "Did you mean \"{other}\"? \"{}\" is not a supported directive name. (not fixed: this tool rewrites only 'use server' and 'use client'; correct it by hand)",
                        f.value
                    ),
                );
            }
        }
        let module: Vec<&Found> = found.iter().filter(|f| f.statement.parent() == Some(root)).collect();
        module_level(file, &module, style, &mut outcome);
        // Function bodies: each body once, in source order.
        let mut bodies: Vec<Node> = Vec::new();
        for f in &found {
            if let Some(body) = f.statement.parent()
                && directives::function_of_body(body).is_some()
                && !bodies.contains(&body)
            {
                bodies.push(body);
            }
        }
        for body in bodies {
            let in_body: Vec<&Found> = found.iter().filter(|f| f.statement.parent() == Some(body)).collect();
            function_level(file, body, &in_body, style, &mut outcome);
        }
        if !outcome.fixes.is_empty() {
            outcome.needs = Needs::NEXT_14;
        }
        outcome
    }
}

/// The directive `f` stands for, when it is one of the two this rule fixes.
fn directive_of(f: &Found) -> Option<Directive> {
    match f.meant {
        Meant::Exact(d) | Meant::MisWritten { directive: d, .. } => Some(d),
        Meant::OtherTypo(_) => None,
    }
}

fn module_level(file: &SourceFile, found: &[&Found], style: &Style, outcome: &mut Outcome) {
    let wanted: Vec<Directive> = [Directive::Client, Directive::Server]
        .into_iter()
        .filter(|d| found.iter().any(|f| directive_of(f) == Some(*d)))
        .collect();
    if wanted.len() == 2 {
        // The later of the two is where the file goes wrong.
        let Some(last) = found.iter().rfind(|f| directive_of(f).is_some()) else {
            return;
        };
        outcome.note(
            last.statement.start_byte(),
            "It's not possible to have both `use client` and `use server` directives in the same file. (not fixed: split it — the 'use server' functions into a module of their own, the client code into another)",
        );
        return;
    }
    let Some(&directive) = wanted.first() else {
        return;
    };
    let statements: Vec<&Found> = found
        .iter()
        .copied()
        .filter(|f| directive_of(f) == Some(directive))
        .collect();
    let proper = statements
        .iter()
        .find(|f| f.meant == Meant::Exact(directive) && directives::in_prologue(f.statement, file.text));
    let mut edits = Vec::new();
    let keep = match proper {
        Some(proper) => Some(proper.statement.id()),
        None => {
            // A mis-spelt directive in the prologue is rewritten where it stands.
            let in_place = statements
                .iter()
                .find(|f| directives::in_prologue(f.statement, file.text));
            match in_place {
                Some(f) => {
                    edits.extend(rewrite_in_place(f.statement, directive, style, file.text));
                    Some(f.statement.id())
                }
                None => {
                    edits.push(module_insertion(file, directive, style));
                    None
                }
            }
        }
    };
    for f in &statements {
        if Some(f.statement.id()) != keep {
            edits.push(Edit::delete(removal_range(file.text, f.statement)));
        }
    }
    outcome.fix("Move the directive to the top of the file", edits);
}

/// The directive at the top of the file: after the prologue's directives, else after a shebang
/// and the comments that lead the file, else first.
pub(crate) fn module_insertion(file: &SourceFile, directive: Directive, style: &Style) -> Edit {
    let root = file.tree.root_node();
    let mut c = root.walk();
    let children: Vec<Node> = root.named_children(&mut c).collect();
    let prologue = crate::syntax::directives(file.tree, file.text);
    let after = match prologue.last() {
        Some((_, last)) => Some(last.end),
        None => {
            let leading: Vec<Node> = children
                .iter()
                .copied()
                .take_while(|n| matches!(n.kind(), "comment" | "hash_bang_line"))
                .collect();
            // A comment that speaks of the line below it (`// eslint-disable-next-line`,
            // `// @ts-expect-error`) stays right above that line.
            let mut keep = leading.len();
            while keep > 0 && speaks_of_next_line(file.node_text(leading[keep - 1])) {
                keep -= 1;
            }
            keep.checked_sub(1).map(|i| leading[i].end_byte())
        }
    };
    let text = file.text;
    match after {
        // Own line after that statement or comment.
        Some(end) => {
            let line_end = text[end..].find('\n').map(|i| end + i + 1);
            match line_end {
                Some(next_line) if text[end..next_line].trim().is_empty() => {
                    line_start_insertion(text, next_line, directive, style)
                }
                _ => {
                    let statement = directive_statement(directive, style, &text[end..]);
                    Edit::insert(end, format!("{nl}{statement}{nl}", nl = style.newline))
                }
            }
        }
        None => line_start_insertion(text, 0, directive, style),
    }
}

/// The directive on a line of its own at `at` (a line start), with a blank line after it when
/// code follows directly.
fn line_start_insertion(text: &str, at: usize, directive: Directive, style: &Style) -> Edit {
    let rest = &text[at..];
    let statement = directive_statement(directive, style, rest);
    let next_line = rest.split('\n').next().unwrap_or("");
    let blank_after = if next_line.trim().is_empty() { "" } else { style.newline };
    Edit::insert(at, format!("{statement}{nl}{blank_after}", nl = style.newline))
}

fn speaks_of_next_line(comment: &str) -> bool {
    comment.contains("-next-line") || comment.contains("@ts-")
}

/// A `'use server'` of a function body that Next does not read: to the body's first line, the
/// function async.
fn function_level(file: &SourceFile, body: Node, found: &[&Found], style: &Style, outcome: &mut Outcome) {
    let statements: Vec<&Found> = found
        .iter()
        .copied()
        .filter(|f| directive_of(f) == Some(Directive::Server))
        .collect();
    let Some(function) = directives::function_of_body(body) else {
        return;
    };
    let proper = statements
        .iter()
        .find(|f| f.meant == Meant::Exact(Directive::Server) && directives::in_prologue(f.statement, file.text));
    if proper.is_some() && statements.len() == 1 {
        return;
    }
    let mut edits = Vec::new();
    let keep = match proper {
        Some(proper) => Some(proper.statement.id()),
        None => match statements
            .iter()
            .find(|f| directives::in_prologue(f.statement, file.text))
        {
            Some(f) => {
                edits.extend(rewrite_in_place(f.statement, Directive::Server, style, file.text));
                Some(f.statement.id())
            }
            None => {
                let Some(insertion) = body_insertion(file, body, style) else {
                    return;
                };
                edits.push(insertion);
                None
            }
        },
    };
    for f in &statements {
        if Some(f.statement.id()) != keep {
            edits.push(Edit::delete(removal_range(file.text, f.statement)));
        }
    }
    // Next: "Server Actions must be async functions". A method or generator is left to
    // async-server-exports, which says why.
    if let Some(async_edits) = make_async(function, file.text) {
        edits.extend(async_edits);
    }
    outcome.fix("Move the directive to the top of the function body", edits);
}

/// `'use server'` on the first line of a function body, indented like the body's first line.
fn body_insertion(file: &SourceFile, body: Node, style: &Style) -> Option<Edit> {
    let first = body.named_child(0)?;
    let text = file.text;
    let line_start = text[..first.start_byte()].rfind('\n').map_or(0, |i| i + 1);
    let statement = directive_statement(Directive::Server, style, &text[first.start_byte()..]);
    if line_start <= body.start_byte() {
        // `{ a(); 'use server' }` on one line: right after the brace, with its own `;`.
        let open = body.start_byte() + 1;
        let statement = statement.trim_end_matches(';');
        return Some(Edit::insert(open, format!(" {statement};")));
    }
    let indent = indent_at(text, first.start_byte());
    Some(Edit::insert(
        line_start,
        format!("{indent}{statement}{}", style.newline),
    ))
}
