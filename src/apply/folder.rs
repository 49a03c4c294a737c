//! The folder applier: a folder rule's changes to a fixpoint, applied or refused whole, each
//! output re-parsed and held to oxc (the file applier's guarantees, for several files at once).

use super::{MAX_ROUNDS, check_output, unreadable_regions};
use crate::fix::{Change, Note, OffsetMap, apply_edits};
use crate::parse::{Lang, Parsers, edit_tree};
use crate::target::{Needs, Target};
use crate::transforms::{Derived, FolderContext, FolderRule, Options, SourceFile};
use crate::verify::{Names, Verdict};
use std::path::{Path, PathBuf};
use tree_sitter::Tree;

/// One file of a folder as the folder applier holds it: the texts of the candidates and of the
/// sibling modules a folder rule reads, and the files its changes create.
#[derive(Debug, Clone)]
pub struct FolderEntry {
    pub path: PathBuf,
    pub lang: Lang,
    /// The text before the folder phase ("" for a created file).
    pub original: String,
    pub text: String,
    /// The tree of `text`, once parsed.
    pub tree: Option<Tree>,
    /// The rule looks at it (a sibling module it only reads is not one).
    pub candidate: bool,
    /// A change created it.
    pub created: bool,
    /// Maps offsets in `text` back to the file's input.
    pub map: OffsetMap,
    /// A change of the rule edited it.
    pub changed: bool,
}

impl FolderEntry {
    pub fn new(path: PathBuf, lang: Lang, text: String, tree: Option<Tree>, candidate: bool, map: OffsetMap) -> Self {
        FolderEntry {
            path,
            lang,
            original: text.clone(),
            text,
            tree,
            candidate,
            created: false,
            map,
            changed: false,
        }
    }
}

/// The run-wide part of what a folder rule sees, and how findings name a file.
#[derive(Clone, Copy)]
pub struct FolderRun<'a> {
    pub folder: &'a Path,
    pub target: Target,
    pub options: &'a Options,
    pub display: &'a dyn Fn(&Path) -> String,
}

/// What the folder applier made of one folder: findings per file (offsets into the file's
/// input), tagged with the rule's name or `skipped`, and the versions its changes need.
#[derive(Debug, Default)]
pub struct FolderFix {
    pub notes: Vec<(PathBuf, &'static str, Note)>,
    pub needs: Needs,
}

/// Runs a folder rule on `entries` to a fixpoint: each round applies the changes that touch no
/// file an earlier change of the round touched (the rest wait), re-parses what they changed,
/// and calls the rule again, until it asks for nothing. Refusals are kept from the last round
/// alone. The folder's changes are kept whole or not at all: a change that cannot be applied, an
/// output that does not parse or that oxc holds against the inputs, or a candidate that
/// tree-sitter cannot read whole, and every entry is as it was given, with a finding that says so.
pub fn fix_folder(
    rule: &dyn FolderRule,
    run: &FolderRun,
    entries: &mut Vec<FolderEntry>,
    parsers: &mut Parsers,
) -> FolderFix {
    let name = rule.meta().name;
    let FolderRun {
        folder,
        target,
        options,
        display,
    } = *run;
    let given = entries.clone();
    let mut fix = FolderFix::default();
    let mut refusals: Vec<(PathBuf, Note)> = Vec::new();
    let mut problem: Option<String> = None;
    let mut derived: Vec<(PathBuf, Derived)> = Vec::new();
    // Each candidate may take as many rounds as a file of the file phase: a change per round
    // may be all a folder rule can make (every hoisted action edits the one actions module).
    let max_rounds = MAX_ROUNDS * entries.iter().filter(|e| e.candidate).count().max(1);
    for round in 0..=max_rounds {
        for entry in entries.iter_mut().filter(|e| e.tree.is_none()) {
            entry.tree = parsers.parse(entry.lang, &entry.text, None);
        }
        let report = {
            // What the rule derived of a file's text (its scope model, ...) in an earlier round
            // is reused while the text stays: a round may change one file of many.
            let siblings = rule
                .siblings()
                .iter()
                .filter_map(|s| entries.iter().find(|e| e.path == folder.join(s)))
                .filter_map(|e| as_source(e, target, options, &mut derived))
                .collect();
            let files = entries
                .iter()
                .filter(|e| e.candidate)
                .filter_map(|e| as_source(e, target, options, &mut derived))
                .collect();
            let context = FolderContext {
                folder,
                files,
                siblings,
                target,
                options,
            };
            let report = rule.run(&context);
            for file in context.files.into_iter().chain(context.siblings) {
                derived.push((file.path.to_path_buf(), file.into_derived()));
            }
            report
        };
        let to_original = |entries: &[FolderEntry], (path, note): (PathBuf, Note)| {
            let entry = entries.iter().find(|e| e.path == path)?;
            let offset = entry.map.to_original(note.offset);
            Some((path, Note { offset, ..note }))
        };
        for (path, note) in report.notes.into_iter().filter_map(|n| to_original(entries, n)) {
            if !fix.notes.iter().any(|(p, _, n)| *p == path && *n == note) {
                fix.notes.push((path, name, note));
            }
        }
        refusals = report
            .refusals
            .into_iter()
            .filter_map(|n| to_original(entries, n))
            .collect();
        let mut touched: Vec<PathBuf> = Vec::new();
        let mut picked: Vec<Change> = Vec::new();
        for change in report.changes.into_iter().filter(|c| !c.is_empty()) {
            if change.paths().any(|p| touched.iter().any(|t| t == p)) {
                continue;
            }
            touched.extend(change.paths().map(Path::to_path_buf));
            picked.push(change);
        }
        if picked.is_empty() {
            break;
        }
        if round == max_rounds {
            problem = Some(format!("{name} kept changing the folder after {max_rounds} rounds"));
            break;
        }
        fix.needs = fix.needs.max(report.needs);
        derived.retain(|(path, _)| !touched.contains(path));
        match apply_changes(entries, picked, (name, display), parsers, &mut fix) {
            Ok(()) => {}
            Err(None) => {
                *entries = given;
                fix.notes
                    .extend(refusals.into_iter().map(|(path, note)| (path, name, note)));
                return fix;
            }
            Err(Some(why)) => {
                problem = Some(why);
                break;
            }
        }
    }
    fix.notes
        .extend(refusals.into_iter().map(|(path, note)| (path, name, note)));
    if problem.is_none() {
        let inputs = InputNames::new(entries);
        problem = (0..entries.len()).filter(|&i| entries[i].changed).find_map(|i| {
            output_problem(i, &inputs).map(|p| format!("{name}'s output for {} {p}", display(&entries[i].path)))
        });
    }
    if let Some(problem) = problem {
        *entries = given;
        if let Some(first) = entries.iter().find(|e| e.candidate) {
            let message = format!("{problem}, so the change to this folder was dropped — please report this file");
            fix.notes.push((first.path.clone(), name, Note::at(0, message)));
        }
    }
    fix
}

/// The rule's view of an entry, with what an earlier round derived of the same text.
fn as_source<'e>(
    entry: &'e FolderEntry,
    target: Target,
    options: &'e Options,
    derived: &mut Vec<(PathBuf, Derived)>,
) -> Option<SourceFile<'e>> {
    let tree = entry.tree.as_ref()?;
    let reused = derived
        .iter()
        .position(|(path, _)| *path == entry.path)
        .map(|i| derived.swap_remove(i).1);
    let file = SourceFile::new(&entry.path, &entry.text, tree, entry.lang, target, options);
    Some(file.reusing(reused.unwrap_or_default()))
}

/// Applies one round's changes to `entries`, each output re-parsed. `Err(None)` when a change
/// touches a candidate tree-sitter cannot read whole (a `skipped` finding says so), else
/// `Err(Some(problem))` for a change that cannot be applied or an output that does not parse.
fn apply_changes(
    entries: &mut Vec<FolderEntry>,
    changes: Vec<Change>,
    (name, display): (&'static str, &dyn Fn(&Path) -> String),
    parsers: &mut Parsers,
    fix: &mut FolderFix,
) -> Result<(), Option<String>> {
    for change in changes {
        for (path, edits) in change.edits {
            let Some(entry) = entries.iter_mut().find(|e| e.path == path) else {
                return Err(Some(format!(
                    "{name} edited {}, which it was not given",
                    display(&path)
                )));
            };
            let Some(tree) = entry.tree.as_mut() else {
                return Err(Some(format!("{name}'s input {} could not be parsed", display(&path))));
            };
            // The rule's reading of a tree with errors may rest on what was misread.
            if tree.root_node().has_error() {
                let at = unreadable_regions(tree, &entry.text)
                    .first()
                    .map_or(0, |r| entry.map.to_original(r.range.start));
                let message = format!(
                    "valid code that this tool's grammar cannot read here; not edited: {name} ({})",
                    change.title
                );
                fix.notes.push((path, "skipped", Note::at(at, message)));
                return Err(None);
            }
            let next = apply_edits(&entry.text, &edits)
                .map_err(|error| Some(format!("{name}'s edits of {} conflict ({error})", display(&path))))?;
            edit_tree(tree, &entry.text, &edits);
            let new_tree = parsers
                .parse(entry.lang, &next, Some(tree))
                .filter(|t| !t.root_node().has_error())
                .ok_or_else(|| Some(format!("{name}'s output for {} would not parse", display(&path))))?;
            entry.map.push(&edits);
            entry.text = next;
            entry.tree = Some(new_tree);
            entry.changed = true;
        }
        for (path, text) in change.creates {
            let lang = Lang::from_path(&path).unwrap_or(Lang::Tsx);
            let tree = parsers
                .parse(lang, &text, None)
                .filter(|t| !t.root_node().has_error())
                .ok_or_else(|| Some(format!("{name}'s output for {} would not parse", display(&path))))?;
            let mut created = FolderEntry::new(path, lang, text, Some(tree), false, OffsetMap::default());
            created.original = String::new();
            created.created = true;
            created.changed = true;
            entries.push(created);
        }
    }
    Ok(())
}

/// What oxc says of each entry's input, asked once per entry (an actions module's output is held
/// to every input of the folder, each candidate's to its own).
struct InputNames<'e> {
    entries: &'e [FolderEntry],
    names: Vec<std::cell::OnceCell<Option<Names>>>,
}

impl<'e> InputNames<'e> {
    fn new(entries: &'e [FolderEntry]) -> InputNames<'e> {
        let names = entries.iter().map(|_| std::cell::OnceCell::new()).collect();
        InputNames { entries, names }
    }

    fn of(&self, index: usize) -> Option<&Names> {
        let entry = &self.entries[index];
        self.names[index]
            .get_or_init(|| match crate::verify::check(&entry.original, &entry.path) {
                Verdict::Valid(names) => Some(names),
                Verdict::Invalid { .. } => None,
            })
            .as_ref()
    }
}

/// What is wrong with the new text of entry `index`, held to what oxc says of the inputs: a
/// candidate's own input, and for a file that is not one (an actions module, created or
/// appended to) the inputs of every file of the folder, where its code came from.
fn output_problem(index: usize, inputs: &InputNames) -> Option<String> {
    let entry = &inputs.entries[index];
    let inputs: Vec<Names> = if entry.candidate {
        inputs.of(index).into_iter().cloned().collect()
    } else {
        (0..inputs.entries.len())
            .filter(|&i| !inputs.entries[i].original.is_empty())
            .filter_map(|i| inputs.of(i))
            .cloned()
            .collect()
    };
    if inputs.is_empty() {
        // No input that oxc accepts: nothing to hold the output to.
        return None;
    }
    let allowed = Names::union(&inputs);
    check_output(&allowed, &entry.text, &entry.path).err()
}
