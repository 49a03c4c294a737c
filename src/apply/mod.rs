//! The applier: runs the rules, applies the fixes that do not overlap (the rest wait for the next
//! round), re-parses, checks every output, and loops until nothing changes. Output that does not
//! parse, or that the complete parser rejects, is never returned as a fix.

use crate::fix::{Note, OffsetMap, Outcome, apply_edits, line_col, merge_fixes};
use crate::parse::{Lang, Parsers, edit_tree};
use crate::target::Needs;
use crate::transforms::{Derived, FileContext, Transform};
use crate::verify::{Names, Verdict};
use std::ops::Range;
use std::path::Path;
use tree_sitter::{Node, Tree};

mod folder;
pub use folder::{FolderEntry, FolderFix, FolderRun, fix_folder};

/// The result of running the transforms on one file to a fixpoint.
#[derive(Debug, Default)]
pub struct FileFix {
    /// The new text, when it differs from the input and parses without new errors.
    pub output: Option<String>,
    /// Notes with offsets already mapped into the input text, tagged with their transform.
    pub notes: Vec<(&'static str, Note)>,
    /// Transforms that changed the file, in the order they ran.
    pub applied: Vec<&'static str>,
    pub needs: Needs,
    /// Changes the transforms held back for the target (their last round's count).
    pub held_back: usize,
    /// Set when the file was left alone as a whole (the reason is a `skipped` finding).
    pub skipped: Option<String>,
    /// Where the `skipped` finding points, a byte offset into the input (0 when no place is
    /// more telling than the top of the file).
    pub skipped_at: usize,
    /// Maps offsets in `output` back to the input.
    pub map: OffsetMap,
    /// The tree of the final text (the output, or the input when nothing changed).
    pub tree: Option<Tree>,
    /// What the rules derived of the final text (its scope model, or the one to make it from).
    pub derived: Derived,
}

/// How many rounds of all transforms before giving up: a transform that keeps finding work after
/// this is a bug, reported as a finding rather than looped on. Nested code can legitimately
/// take a round per level (redirect-outside-try moves a call out of one try per round, and the
/// enclosing try may then swallow it: four nested tries took five rounds, found by fuzzing), so
/// the bound is generous; a file that settles costs one round more than it changed.
pub const MAX_ROUNDS: usize = 16;

/// Runs `transforms` (already filtered to those whose words the file holds) on `text` in order,
/// each on the previous one's output, re-parsing after every change, until a round changes nothing.
///
/// A file that tree-sitter cannot read whole but oxc accepts is valid code: its edits are kept
/// only when none touches a region tree-sitter could not read and the output's tree-sitter
/// errors are the input's. Every output must also pass [`check_output`].
pub fn fix_to_fixpoint(
    text: &str,
    lang: Lang,
    parsers: &mut Parsers,
    transforms: &[&dyn Transform],
    context: &FileContext,
) -> FileFix {
    let mut fix = FileFix::default();
    let Fixable {
        mut tree,
        unreadable,
        names,
    } = match parse_fixable(text, lang, parsers, context.path) {
        Ok(fixable) => fixable,
        Err(skip) => {
            fix.skipped = Some(skip.reason);
            fix.skipped_at = skip.offset;
            return fix;
        }
    };
    // What oxc made of the input: known already when tree-sitter had errors, else asked for
    // when the first output needs it.
    let input_names: Option<Option<Names>> = names.map(Some);
    let mut current = text.to_string();
    let mut map = OffsetMap::default();
    let mut seen_notes: Vec<(&'static str, Note)> = Vec::new();
    let mut held_back: Vec<(&'static str, usize)> = Vec::new();
    // What the rules derived from `current` (its scope model, ...), for the next rule.
    let mut derived = Derived::default();
    // How many changes `current` has seen, and the rules that settled at a given count.
    let mut version = 0usize;
    let mut settled: Vec<(&'static str, usize)> = Vec::new();
    let give_up = |fix: &mut FileFix, seen_notes: &mut Vec<(&'static str, Note)>, at: usize, reason: String| {
        fix.skipped = Some(reason);
        fix.skipped_at = at;
        fix.notes = std::mem::take(seen_notes);
    };
    for round in 0..=MAX_ROUNDS {
        let mut changed_by: Vec<&'static str> = Vec::new();
        for transform in transforms {
            let meta = transform.meta();
            let name = meta.name;
            // After the first round, a transform whose words the edits removed cannot match.
            if round > 0 && !meta.words_in(&current) {
                continue;
            }
            // A rule that said its output leaves it nothing to do is not asked again while the
            // text is still its output.
            if settled.contains(&(name, version)) {
                continue;
            }
            let file = context.with_derived(&current, &tree, lang, std::mem::take(&mut derived));
            let outcome: Outcome = transform.run(&file);
            derived = file.into_derived();
            crate::test_hooks::maybe_panic(context.path);
            match held_back.iter_mut().find(|(n, _)| *n == name) {
                Some(entry) => entry.1 = outcome.held_back,
                None => held_back.push((name, outcome.held_back)),
            }
            for note in outcome.notes {
                let original = Note {
                    offset: map.to_original(note.offset),
                    message: note.message,
                };
                if !seen_notes.iter().any(|(n, seen)| *n == name && *seen == original) {
                    seen_notes.push((name, original));
                }
            }
            if let Some(error) = &outcome.broken {
                let reason = format!(
                    "{name} produced conflicting edits ({error}); nothing was changed — please report this file"
                );
                give_up(&mut fix, &mut seen_notes, 0, reason);
                return fix;
            }
            // Fixes that overlap one picked before wait for the next round.
            let merged = merge_fixes(&outcome.fixes);
            let settles = outcome.settles && merged.deferred == 0;
            let edits = merged.edits;
            if edits.is_empty() {
                continue;
            }
            if round == MAX_ROUNDS {
                let names: Vec<_> = transforms.iter().map(|t| t.meta().name).collect();
                let reason = format!(
                    "the transforms did not settle after {MAX_ROUNDS} rounds ({}); nothing was changed — please report this file",
                    names.join(", ")
                );
                give_up(&mut fix, &mut seen_notes, 0, reason);
                return fix;
            }
            let cannot_read = || {
                format!(
                    "valid code that this tool's grammar cannot read here; not edited: {name} ({})",
                    meta.summary
                )
            };
            if !unreadable.is_empty() {
                let regions = unreadable_regions(&tree, &current);
                if let Some(region) = regions
                    .iter()
                    .find(|r| edits.iter().any(|e| e.start <= r.range.end && e.end >= r.range.start))
                {
                    let at = map.to_original(region.range.start);
                    give_up(&mut fix, &mut seen_notes, at, cannot_read());
                    return fix;
                }
            }
            let next = match apply_edits(&current, &edits) {
                Ok(next) => next,
                Err(error) => {
                    let reason = format!(
                        "{name} produced conflicting edits ({error}); nothing was changed — please report this file"
                    );
                    give_up(&mut fix, &mut seen_notes, 0, reason);
                    return fix;
                }
            };
            if next == current {
                continue;
            }
            edit_tree(&mut tree, &current, &edits);
            let Some(new_tree) = parsers.parse(lang, &next, Some(&tree)) else {
                let reason =
                    format!("{name}'s output could not be parsed; nothing was changed — please report this file");
                give_up(&mut fix, &mut seen_notes, 0, reason);
                return fix;
            };
            if new_tree.root_node().has_error() {
                if unreadable.is_empty() {
                    let reason = format!(
                        "{name}'s output would not parse, so it was dropped; nothing was changed — please report this file"
                    );
                    give_up(&mut fix, &mut seen_notes, 0, reason);
                    return fix;
                }
                let after: Vec<_> = unreadable_regions(&new_tree, &next)
                    .into_iter()
                    .map(|r| r.what)
                    .collect();
                if after != unreadable {
                    let at = unreadable_regions(&tree, &current)
                        .first()
                        .map_or(0, |r| map.to_original(r.range.start));
                    give_up(&mut fix, &mut seen_notes, at, cannot_read());
                    return fix;
                }
            }
            map.push(&edits);
            tree = new_tree;
            current = next;
            derived = std::mem::take(&mut derived).after_edits(&edits);
            version += 1;
            if settles {
                settled.push((name, version));
            }
            fix.needs = fix.needs.max(outcome.needs);
            changed_by.push(name);
            if !fix.applied.contains(&name) {
                fix.applied.push(name);
            }
        }
        if changed_by.is_empty() {
            break;
        }
    }
    // The output as a whole is held to what oxc says of the input, once: a parse and a semantic
    // pass per round and transform cost as much again as the transforms on a corpus where
    // every file changes, and a failing check drops the whole file either way.
    if current != text {
        let input = input_names.unwrap_or_else(|| match crate::verify::check(text, context.path) {
            Verdict::Valid(names) => Some(names),
            // tree-sitter read it, oxc did not: there is no valid input to hold the output to.
            Verdict::Invalid { .. } => None,
        });
        if let Some(input) = input
            && let Err(problem) = check_output(&input, &current, context.path)
        {
            let reason = format!(
                "the output of {} {problem}, so it was dropped; nothing was changed — please report this file",
                fix.applied.join(", ")
            );
            give_up(&mut fix, &mut seen_notes, 0, reason);
            return fix;
        }
    }
    fix.notes = seen_notes;
    fix.held_back = held_back.iter().map(|(_, n)| n).sum();
    fix.map = map;
    fix.tree = Some(tree);
    fix.derived = derived;
    if current != text {
        fix.output = Some(current);
    }
    fix
}

/// Holds an output to what oxc said of its input: oxc must accept it, and it may not leave a
/// name unresolved or declare one twice where its input did not. `Err` says what is wrong, to
/// follow "{transform}'s output".
pub fn check_output(input: &Names, output: &str, path: &Path) -> Result<(), String> {
    match crate::verify::check(output, path) {
        Verdict::Invalid { offset, message } => {
            let (line, column) = line_col(output, offset);
            Err(format!(
                "is not valid code (the complete parser: {message}, at {line}:{column} of the output)"
            ))
        }
        Verdict::Valid(names) => match input.new_problems(&names).first() {
            Some(problem) => Err(format!("changes what a name means ({problem})")),
            None => Ok(()),
        },
    }
}

/// A file the transforms may change.
pub struct Fixable {
    pub tree: Tree,
    /// What tree-sitter could not read in valid code (empty for a clean tree), in order.
    pub unreadable: Vec<String>,
    /// What oxc made of the input, when it was asked (only for a tree with errors).
    pub names: Option<Names>,
}

/// Why a file is left alone, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub offset: usize,
    pub reason: String,
}

/// Parses a file the transforms may change, or says why it is left alone (the reason becomes a
/// `skipped` finding). Where tree-sitter finds errors, oxc decides: a file it rejects too is
/// skipped at oxc's first error; one it accepts is valid code tree-sitter misreads, and goes on
/// with its unreadable regions noted.
pub fn parse_fixable(text: &str, lang: Lang, parsers: &mut Parsers, path: &Path) -> Result<Fixable, Skip> {
    let Some(tree) = parsers.parse(lang, text, None) else {
        return Err(Skip {
            offset: 0,
            reason: "the parser gave up on this file".into(),
        });
    };
    let mut fixable = Fixable {
        tree,
        unreadable: Vec::new(),
        names: None,
    };
    if fixable.tree.root_node().has_error() {
        match crate::verify::check(text, path) {
            Verdict::Invalid { offset, .. } => {
                return Err(Skip {
                    offset,
                    reason: "it has syntax errors; fix them first, nothing was changed".into(),
                });
            }
            Verdict::Valid(names) => {
                fixable.names = Some(names);
                fixable.unreadable = unreadable_regions(&fixable.tree, text)
                    .into_iter()
                    .map(|r| r.what)
                    .collect();
            }
        }
    }
    // A name bound twice by an import and something else is a SyntaxError (or, between types, a
    // TypeScript error) tree-sitter does not see; the transforms cannot tell its two meanings
    // apart (found by fuzzing).
    if let Some(redeclared) = crate::imports::duplicate_import_binding(&fixable.tree, text) {
        let kind = if redeclared.values {
            "a syntax error"
        } else {
            "a TypeScript error"
        };
        return Err(Skip {
            offset: redeclared.offset,
            reason: format!(
                "`{}` is declared twice (an import and another import or declaration), {kind}; fix it first, nothing was changed",
                redeclared.name
            ),
        });
    }
    Ok(fixable)
}

/// A part of the text tree-sitter could not read: an ERROR node or a MISSING token.
pub struct Unreadable {
    pub range: Range<usize>,
    /// Its kind and text (`ERROR &`, `MISSING ;`): what must be the same after an edit.
    pub what: String,
}

/// The regions tree-sitter could not read, in order; subtrees without errors are not visited.
pub fn unreadable_regions(tree: &Tree, text: &str) -> Vec<Unreadable> {
    fn visit(node: Node, text: &str, found: &mut Vec<Unreadable>) {
        if node.is_error() {
            found.push(Unreadable {
                range: node.byte_range(),
                what: format!("ERROR {}", &text[node.byte_range()]),
            });
            return;
        }
        if node.is_missing() {
            found.push(Unreadable {
                range: node.byte_range(),
                what: format!("MISSING {}", node.kind()),
            });
            return;
        }
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            if child.has_error() {
                visit(child, text, found);
            }
        }
    }
    let mut found = Vec::new();
    visit(tree.root_node(), text, &mut found);
    found
}

/// Re-parses `text` and tells whether it is free of syntax errors.
pub fn parses_cleanly(parsers: &mut Parsers, lang: Lang, text: &str) -> bool {
    parsers
        .parse(lang, text, None)
        .is_some_and(|tree: Tree| !tree.root_node().has_error())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_is_held_to_what_oxc_says_of_its_input() {
        let path = Path::new("form.tsx");
        let crate::verify::Verdict::Valid(input) =
            crate::verify::check("import { a } from 'm';\nexport const b = <p>{a}</p>;\n", path)
        else {
            panic!("the input is valid");
        };
        assert_eq!(
            check_output(&input, "import { a } from 'm';\nexport const b = <p>{a}</p>;\n", path),
            Ok(())
        );
        assert_eq!(
            check_output(&input, "export const b = <p>{a}</p>;\n", path),
            Err("changes what a name means (`a` would be referenced but not declared)".into())
        );
        assert_eq!(
            check_output(
                &input,
                "import { a } from 'm';\nexport const b = <p>{a}</p>;;\n}\n",
                path
            ),
            Err("is not valid code (the complete parser: Unexpected token, at 3:1 of the output)".into())
        );
    }

    #[test]
    fn finds_what_tree_sitter_could_not_read() {
        let text = "export const a = <p>Save & Close</p>;\n";
        let tree = Parsers::new().parse(Lang::Tsx, text, None).unwrap();
        let regions = unreadable_regions(&tree, text);
        assert_eq!(regions.len(), 1);
        assert_eq!(regions[0].what, "ERROR & Close");
        assert_eq!(&text[regions[0].range.clone()], "& Close");
    }
}
