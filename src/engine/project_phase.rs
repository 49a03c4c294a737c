//! The project phase: the project transforms, in order, each over a project view of the files
//! that use actions and the modules their imports name. It runs once for the whole run, after
//! the file phase and before the folder phase. A rule's edits to each file are applied like any
//! other: spliced strictly, re-parsed, and held to what oxc says of the file's input; a file
//! that fails is left as it was, with a finding.

use super::Settings;
use super::folder_phase::Deferred;
use crate::apply::check_output;
use crate::fix::{Edit, Note, apply_edits};
use crate::parse::{Lang, Parsers};
use crate::project::resolve::Modules;
use crate::project::{CandidateFile, Facts, Project, Texts};
use crate::results::FileResult;
use crate::source::{self, Source};
use crate::walk::display_path;
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::{Path, PathBuf};

/// The texts of the project view: the engine's current text of the files it holds, the disk's
/// for the others.
struct HeldTexts<'a> {
    held: FxHashMap<&'a Path, &'a str>,
    finished: &'a FxHashSet<&'a Path>,
    scanned: &'a FxHashSet<&'a Path>,
}

impl Texts for HeldTexts<'_> {
    fn text_of(&self, path: &Path) -> Option<String> {
        if let Some(text) = self.held.get(path) {
            return Some(text.to_string());
        }
        let bytes = std::fs::read(path).ok()?;
        source::decode_utf8(bytes).ok().map(|s| s.text)
    }

    fn editable(&self, path: &Path) -> bool {
        !self.finished.contains(path) && (self.held.contains_key(path) || self.scanned.contains(path))
    }
}

pub(super) fn run(deferred: &mut Vec<Deferred>, done: &[FileResult], scanned: &[PathBuf], settings: &Settings) {
    if settings.project_transforms.is_empty() || !deferred.iter().any(|d| d.project_candidate) {
        return;
    }
    let finished: FxHashSet<&Path> = done.iter().map(|r| r.path.as_path()).collect();
    let scanned_set: FxHashSet<&Path> = scanned.iter().map(PathBuf::as_path).collect();
    let modules = Modules::new();
    let mut parsers = Parsers::new();
    let mut project: Option<Project> = None;
    for transform in &settings.project_transforms {
        let name = transform.meta().name;
        let view = project.get_or_insert_with(|| {
            let candidates = deferred
                .iter()
                .filter(|d| d.project_candidate)
                .map(|d| CandidateFile {
                    path: d.path.clone(),
                    text: d.current.clone(),
                    facts: d.project_facts.clone(),
                    tree: match d.project_facts {
                        Facts::Unread => d.fix.tree.clone(),
                        _ => None,
                    },
                })
                .collect();
            let texts = HeldTexts {
                held: deferred
                    .iter()
                    .map(|d| (d.path.as_path(), d.current.as_str()))
                    .collect(),
                finished: &finished,
                scanned: &scanned_set,
            };
            Project::build(candidates, scanned, &texts, &modules, settings.target, &settings.cwd)
        });
        let outcome = transform.run(view);
        let mut changed = false;
        for (path, note) in outcome.notes {
            if let Some(file) = held(deferred, &path, &finished, settings) {
                let note = Note {
                    offset: file.map.to_original(note.offset),
                    message: note.message,
                };
                if !file.fix.notes.iter().any(|(n, seen)| *n == name && *seen == note) {
                    file.fix.notes.push((name, note));
                }
            }
        }
        for (path, edits) in outcome.edits {
            // Only a scanned file the file phase did not skip is changed.
            let scanned_file = scanned_set.contains(path.as_path()) || deferred.iter().any(|d| d.path == path);
            if !scanned_file {
                continue;
            }
            let Some(file) = held(deferred, &path, &finished, settings) else {
                continue;
            };
            if apply(file, &edits, name, &mut parsers) {
                file.fix.needs = file.fix.needs.max(outcome.needs);
                changed = true;
            }
        }
        if let Some(first) = deferred.iter_mut().find(|d| d.project_candidate) {
            first.fix.held_back += outcome.held_back;
        }
        if changed {
            // The next rule reads the project as this one left it.
            project = None;
        }
    }
}

/// The file the engine holds for `path`, read from disk and held from now on when it is a
/// module the file phase did not look at; `None` for a file already finished (skipped).
fn held<'d>(
    deferred: &'d mut Vec<Deferred>,
    path: &Path,
    finished: &FxHashSet<&Path>,
    settings: &Settings,
) -> Option<&'d mut Deferred> {
    if finished.contains(path) {
        return None;
    }
    if let Some(i) = deferred.iter().position(|d| d.path == path) {
        return Some(&mut deferred[i]);
    }
    let lang = Lang::from_path(path)?;
    let bytes = std::fs::read(path).ok()?;
    let Source { text, bom, fingerprint } = source::decode_utf8(bytes).ok()?;
    let display = display_path(path, &settings.cwd);
    deferred.push(Deferred::as_read(
        path.to_path_buf(),
        display,
        Source { text, bom, fingerprint },
        lang,
    ));
    deferred.last_mut()
}

/// Applies one rule's edits to a held file, or leaves it as it was with a finding.
fn apply(file: &mut Deferred, edits: &[Edit], name: &'static str, parsers: &mut Parsers) -> bool {
    let refuse = |file: &mut Deferred, why: String| {
        let message = format!("{name}'s change to this file {why}, so it was dropped — please report this file");
        file.fix.notes.push((name, Note::at(0, message)));
        false
    };
    let next = match apply_edits(&file.current, edits) {
        Ok(next) => next,
        Err(error) => return refuse(file, format!("had conflicting edits ({error})")),
    };
    if next == file.current {
        return false;
    }
    let parsed = parsers.parse(file.lang, &next, None);
    let Some(tree) = parsed.filter(|t| !t.root_node().has_error()) else {
        return refuse(file, "would not parse".into());
    };
    if let crate::verify::Verdict::Valid(input) = crate::verify::check(&file.original, &file.path)
        && let Err(problem) = check_output(&input, &next, &file.path)
    {
        return refuse(file, problem);
    }
    file.map.push(edits);
    file.current = next;
    file.fix.tree = Some(tree);
    file.project_facts = Facts::Unread;
    if !file.fix.applied.contains(&name) {
        file.fix.applied.push(name);
    }
    true
}
