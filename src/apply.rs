//! Applying a transform's edits (`fix::apply_edits`), then re-parsing and running the transforms
//! again until nothing changes. Output that does not parse is never returned as a fix.

use crate::fix::{Edit, Note, Outcome, apply_edits};
use crate::parse::{Lang, Parsers, edit_tree};
use crate::target::Needs;
use crate::transforms::{FileContext, Transform};
use tree_sitter::Tree;

/// Maps offsets in an edited text back to the text before the edits, so that findings made on a
/// transform's output point into the user's input.
#[derive(Debug, Default, Clone)]
pub struct OffsetMap {
    /// Each layer: sorted (start, old_end, new_len) of one application.
    layers: Vec<Vec<(usize, usize, usize)>>,
}

impl OffsetMap {
    pub fn push(&mut self, edits: &[Edit]) {
        let mut layer: Vec<_> = edits.iter().map(|e| (e.start, e.end, e.text.len())).collect();
        layer.sort_unstable();
        self.layers.push(layer);
    }

    pub fn to_original(&self, mut offset: usize) -> usize {
        for layer in self.layers.iter().rev() {
            let mut shift: isize = 0;
            let mut inside_edit = None;
            for &(start, old_end, new_len) in layer {
                let new_start = (start as isize + shift) as usize;
                if offset < new_start {
                    break;
                }
                if offset < new_start + new_len {
                    // Inside inserted text: point at the start of what it replaced.
                    inside_edit = Some(start);
                    break;
                }
                shift += new_len as isize - (old_end - start) as isize;
            }
            offset = inside_edit.unwrap_or_else(|| (offset as isize - shift).max(0) as usize);
        }
        offset
    }
}

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
    /// Maps offsets in `output` back to the input.
    pub map: OffsetMap,
    /// The tree of the final text (the output, or the input when nothing changed).
    pub tree: Option<Tree>,
}

/// How many rounds of all transforms before giving up: a transform that keeps finding work after
/// this is a bug, reported as a finding rather than looped on. Nested code can legitimately
/// take a round per level (redirect-outside-try moves a call out of one try per round, and the
/// enclosing try may then swallow it: four nested tries took five rounds, found by fuzzing), so
/// the bound is generous; a file that settles costs one round more than it changed.
pub const MAX_ROUNDS: usize = 16;

/// Runs `transforms` (already filtered to those whose words the file holds) on `text` in order,
/// each on the previous one's output, re-parsing after every change, until a round changes nothing.
pub fn fix_to_fixpoint(
    text: &str,
    lang: Lang,
    parsers: &mut Parsers,
    transforms: &[&dyn Transform],
    context: &FileContext,
) -> FileFix {
    let mut fix = FileFix::default();
    let mut tree = match parse_fixable(text, lang, parsers) {
        Ok(tree) => tree,
        Err(reason) => {
            fix.skipped = Some(reason);
            return fix;
        }
    };
    let mut current = text.to_string();
    let mut map = OffsetMap::default();
    let mut seen_notes: Vec<(&'static str, Note)> = Vec::new();
    let mut held_back: Vec<(&'static str, usize)> = Vec::new();
    for round in 0..=MAX_ROUNDS {
        let mut changed_by: Vec<&'static str> = Vec::new();
        for transform in transforms {
            let name = transform.meta().name;
            // After the first round, a transform whose words the edits removed cannot match.
            if round > 0 && !transform.meta().words_in(&current) {
                continue;
            }
            let outcome: Outcome = transform.run(&context.with(&current, &tree, lang));
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
            if outcome.edits.is_empty() {
                continue;
            }
            if round == MAX_ROUNDS {
                let names: Vec<_> = transforms.iter().map(|t| t.meta().name).collect();
                fix.skipped = Some(format!(
                    "the transforms did not settle after {MAX_ROUNDS} rounds ({}); nothing was changed — please report this file",
                    names.join(", ")
                ));
                fix.notes = seen_notes;
                return fix;
            }
            let next = match apply_edits(&current, &outcome.edits) {
                Ok(next) => next,
                Err(error) => {
                    fix.skipped = Some(format!(
                        "{name} produced conflicting edits ({error}); nothing was changed — please report this file"
                    ));
                    fix.notes = seen_notes;
                    return fix;
                }
            };
            if next == current {
                continue;
            }
            edit_tree(&mut tree, &current, &outcome.edits);
            let Some(new_tree) = parsers.parse(lang, &next, Some(&tree)) else {
                fix.skipped = Some(format!(
                    "{name}'s output could not be parsed; nothing was changed — please report this file"
                ));
                fix.notes = seen_notes;
                return fix;
            };
            if new_tree.root_node().has_error() {
                fix.skipped = Some(format!(
                    "{name}'s output would not parse, so it was dropped; nothing was changed — please report this file"
                ));
                fix.notes = seen_notes;
                return fix;
            }
            map.push(&outcome.edits);
            tree = new_tree;
            current = next;
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
    fix.notes = seen_notes;
    fix.held_back = held_back.iter().map(|(_, n)| n).sum();
    fix.map = map;
    fix.tree = Some(tree);
    if current != text {
        fix.output = Some(current);
    }
    fix
}

/// Parses a file the transforms may change, or says why it is left alone (the reason becomes a
/// `skipped` finding): the transforms only ever see trees without syntax errors.
pub fn parse_fixable(text: &str, lang: Lang, parsers: &mut Parsers) -> Result<Tree, String> {
    let Some(tree) = parsers.parse(lang, text, None) else {
        return Err("the parser gave up on this file".into());
    };
    if tree.root_node().has_error() {
        return Err("it has syntax errors; fix them first, nothing was changed".into());
    }
    // A name imported twice is a SyntaxError tree-sitter does not see; the transforms cannot tell
    // its two meanings apart (found by fuzzing).
    if let Some(name) = crate::imports::duplicate_import_binding(&tree, text) {
        return Err(format!(
            "`{name}` is declared twice (an import and another import or declaration), a syntax error; fix it first, nothing was changed"
        ));
    }
    Ok(tree)
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
    fn maps_offsets_back_through_layers() {
        let text = "aaa bbb ccc";
        let first = vec![Edit::replace(4..7, "BBBBB")];
        let once = apply_edits(text, &first).unwrap();
        let second = vec![Edit::insert(0, "xx")];
        let twice = apply_edits(&once, &second).unwrap();
        assert_eq!(twice, "xxaaa BBBBB ccc");
        let mut map = OffsetMap::default();
        map.push(&first);
        map.push(&second);
        assert_eq!(map.to_original(twice.find("ccc").unwrap()), 8);
        assert_eq!(map.to_original(twice.find("aaa").unwrap()), 0);
        assert_eq!(map.to_original(twice.find("BBBBB").unwrap() + 3), 4);
    }
}
