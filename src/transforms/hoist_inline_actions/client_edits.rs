//! The client's edits: the functions go, references follow them, imports are updated.

use super::analyse::{Export, Form, Plan};
use super::{ACTIONS_SPECIFIER, Client, contains};
use crate::fix::Edit;
use crate::imports::{ImportDecl, append_named, import_statement, insert_statement, remove_named, specifier};
use crate::lines::line_range;
use crate::rename::rename_reference;
use crate::scope::{BindingId, BindingKind, RefKind};
use crate::style::Style;
use crate::syntax::directives;
use std::ops::Range;

impl Client<'_> {
    /// The client's edits: functions removed (or replaced by a re-export or a reference),
    /// references bound, imports the move left unused removed, the actions imported.
    pub(super) fn client_edits(&self, plans: &[Plan], decls: &[ImportDecl], style: &Style) -> Vec<Edit> {
        let mut edits = Vec::new();
        let mut imported: Vec<String> = Vec::new();
        // Whole statements that go: the functions, then imports nothing uses any more.
        let mut statements: Vec<Range<usize>> = Vec::new();
        let removed: Vec<Range<usize>> = plans.iter().map(|p| p.removed.clone()).collect();
        let inside_removed = |range: &Range<usize>| removed.iter().any(|r| contains(r, range));
        for plan in plans {
            let bound = if plan.captures.is_empty() {
                plan.name.clone()
            } else {
                let args: Vec<&str> = plan.captures.iter().map(|c| c.expression.as_str()).collect();
                format!("{}.bind(null, {})", plan.name, args.join(", "))
            };
            let reexport = |export: Export| {
                let old = plan.old_name.clone().unwrap_or_default();
                let spec = match export {
                    Export::Default => specifier(&plan.name, "default"),
                    _ => specifier(&plan.name, &old),
                };
                format!(
                    "export {{ {spec} }} from {}{}",
                    style.string(ACTIONS_SPECIFIER),
                    style.semi()
                )
            };
            match &plan.form {
                Form::Anonymous => edits.push(Edit::replace(plan.function.clone(), bound.clone())),
                Form::Declaration { statement, export } | Form::Const { statement, export, .. } => {
                    if *export == Export::None {
                        statements.push(statement.clone());
                    } else {
                        edits.push(Edit::replace(statement.clone(), reexport(*export)));
                    }
                }
            }
            let mut referred = matches!(plan.form, Form::Anonymous);
            for &b in &plan.own {
                for r in self.scopes.references_to(b) {
                    if inside_removed(&r.range) {
                        continue;
                    }
                    referred = true;
                    // `export { local as name }` in the client re-exports the import under
                    // its own exported name; every other reference goes through the renamer.
                    if r.kind == RefKind::Export && r.name != plan.name {
                        edits.push(Edit::replace(r.range.clone(), specifier(&plan.name, &r.name)));
                    } else if bound != r.name {
                        edits.push(rename_reference(self.tree, r, &bound));
                    }
                }
            }
            if referred {
                imported.push(plan.name.clone());
            }
        }

        // Imports that only the moved code used.
        let mut fully_removed: Vec<usize> = Vec::new();
        for (d, decl) in decls.iter().enumerate() {
            let bindings: Vec<BindingId> = self
                .scopes
                .bindings
                .iter()
                .enumerate()
                .filter(|(_, b)| {
                    matches!(b.kind, BindingKind::Import(_))
                        && decl.range.start <= b.ident.start
                        && b.ident.end <= decl.range.end
                })
                .map(|(id, _)| id)
                .collect();
            let unused: Vec<BindingId> = bindings
                .iter()
                .copied()
                .filter(|&b| {
                    let mut refs = self.scopes.references_to(b).peekable();
                    refs.peek().is_some() && refs.all(|r| inside_removed(&r.range))
                })
                .collect();
            if unused.is_empty() {
                continue;
            }
            let ident_of = |b: BindingId| self.scopes.bindings[b].ident.clone();
            if unused.len() == bindings.len() {
                fully_removed.push(d);
                continue;
            }
            let named: Vec<usize> = decl
                .named
                .iter()
                .enumerate()
                .filter(|(_, s)| unused.iter().any(|&b| ident_of(b) == local_range(self.text, s)))
                .map(|(i, _)| i)
                .collect();
            if !named.is_empty() {
                edits.extend(remove_named(self.text, decl, &named));
            }
            if let (Some((_, default)), Some(braces)) = (&decl.default, &decl.braces)
                && unused.iter().any(|&b| ident_of(b) == *default)
                && named.len() < decl.named.len()
            {
                edits.push(Edit::delete(default.start..braces.start));
            }
        }

        // `import { name } from './actions'`, joining an existing one.
        let mut keep_blank_at = None;
        if !imported.is_empty() {
            let join = decls.iter().enumerate().find(|(d, decl)| {
                decl.source == ACTIONS_SPECIFIER && decl.accepts_named() && !fully_removed.contains(d)
            });
            let joined = join.and_then(|(_, decl)| append_named(self.text, decl, &imported.join(", "), style));
            match joined {
                Some(edit) => edits.push(edit),
                None => {
                    let statement = import_statement(&imported, ACTIONS_SPECIFIER, style);
                    let last = decls
                        .iter()
                        .enumerate()
                        .rev()
                        .find(|(d, _)| !fully_removed.contains(d))
                        .map(|(_, decl)| decl.range.end);
                    // With every import gone, the new one takes the place of the first.
                    let first_removed = fully_removed
                        .first()
                        .map(|&d| line_range(self.text, decls[d].range.start, decls[d].range.end).start);
                    let after_directives = directives(self.tree, self.text).last().map(|(_, r)| r.end);
                    let at = match (last, first_removed, after_directives) {
                        (Some(at), _, _) | (None, None, Some(at)) => (at, false),
                        (None, Some(at), _) => {
                            keep_blank_at = Some(at);
                            (at, true)
                        }
                        (None, None, None) => (0, true),
                    };
                    edits.push(insert_statement(self.text, at, &statement, style));
                }
            }
        }
        statements.extend(fully_removed.iter().map(|&d| decls[d].range.clone()));
        edits.extend(
            removal_ranges(self.text, statements, keep_blank_at)
                .into_iter()
                .map(Edit::delete),
        );
        edits
    }
}

/// The range of the local name of a named import specifier.
fn local_range(text: &str, spec: &crate::imports::NamedSpecifier) -> Range<usize> {
    let raw = &text[spec.range.clone()];
    match raw.rfind(&spec.local) {
        Some(i) => spec.range.start + i..spec.range.start + i + spec.local.len(),
        None => spec.range.clone(),
    }
}

/// The ranges that remove `statements`: whole lines where they stand alone, runs of touching
/// lines merged, and a run that stood between a blank line (or the start of a block or file)
/// and another blank line takes the blank line after it too (but not the run starting at
/// `keep_blank_at`, where new text goes).
fn removal_ranges(text: &str, statements: Vec<Range<usize>>, keep_blank_at: Option<usize>) -> Vec<Range<usize>> {
    let mut lines: Vec<Range<usize>> = statements
        .into_iter()
        .map(|r| line_range(text, r.start, r.end))
        .collect();
    lines.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in lines {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
        .into_iter()
        .map(|r| {
            let whole_lines = (r.start == 0 || text[..r.start].ends_with('\n')) && text[..r.end].ends_with('\n');
            if whole_lines && Some(r.start) != keep_blank_at {
                with_blank_line(text, r)
            } else {
                r
            }
        })
        .collect()
}

fn with_blank_line(text: &str, mut lines: Range<usize>) -> Range<usize> {
    let next_end = text[lines.end..].find('\n').map(|i| lines.end + i + 1);
    let before = text[..lines.start].trim_end_matches([' ', '\t']);
    let previous_line = before
        .strip_suffix('\n')
        .map(|b| b.strip_suffix('\r').unwrap_or(b))
        .map(|b| &b[b.rfind('\n').map_or(0, |i| i + 1)..]);
    let previous_blank_or_open = previous_line.is_none_or(|l| l.trim().is_empty() || l.trim_end().ends_with('{'));
    if let Some(next_end) = next_end
        && text[lines.end..next_end].trim().is_empty()
        && previous_blank_or_open
    {
        lines.end = next_end;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removal_takes_one_blank_line_with_it() {
        let text = "function f() {\n  const a = 1;\n\n  async function g() {}\n\n  return a;\n}\n";
        let start = text.find("async").unwrap();
        let end = text.find("{}\n").unwrap() + 2;
        let statements: Vec<Range<usize>> = std::iter::once(start..end).collect();
        let range = removal_ranges(text, statements, None)[0].clone();
        let mut out = text.to_string();
        out.replace_range(range, "");
        assert_eq!(out, "function f() {\n  const a = 1;\n\n  return a;\n}\n");
    }
}
