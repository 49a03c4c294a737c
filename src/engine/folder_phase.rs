//! The folder phase: the folder transforms, one call per folder with candidates, folders in
//! parallel, the transforms in a fixed order. A folder's change is applied whole or not at all.

use super::Settings;
use super::assemble::finish;
use super::panics::catching;
use crate::apply::{FileFix, OffsetMap, check_output, parse_fixable, parses_cleanly, unreadable_regions};
use crate::fix::Note;
use crate::parse::{Lang, Parsers};
use crate::results::FileResult;
use crate::source::{self, Source};
use crate::transforms::{FolderFile, FolderInput, FolderOutput, FolderTransform};
use crate::walk::display_path;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A file a folder transform will look at, held back from the file phase's results.
pub(super) struct Deferred {
    pub(super) path: PathBuf,
    pub(super) display: String,
    pub(super) original: String,
    pub(super) bom: bool,
    pub(super) fingerprint: (u64, u64),
    pub(super) current: String,
    pub(super) map: OffsetMap,
    pub(super) fix: FileFix,
    pub(super) lang: Lang,
    /// Index of the folder transform that wants it as a candidate, if any.
    pub(super) candidate_of: Vec<usize>,
    /// It holds the words of a project transform.
    pub(super) project_candidate: bool,
}

/// The folder a sibling module (`app/actions.ts`, `app/actions/index.ts`) belongs to.
pub(super) fn sibling_of(path: &Path, sibling_names: &[&str]) -> Option<PathBuf> {
    sibling_names.iter().find_map(|name| {
        let mut folder = path.to_path_buf();
        for part in name.split('/').rev() {
            if folder.file_name()? != part {
                return None;
            }
            folder.pop();
        }
        Some(folder)
    })
}

/// Runs the folder transforms: one call per folder with candidates, folders in parallel, the
/// files of a folder in path order, so the result never depends on thread scheduling.
pub(super) fn run(deferred: Vec<Deferred>, settings: &Settings, sibling_names: &[&str]) -> Vec<FileResult> {
    // Folder → (candidates, siblings), both in path order.
    let mut folders: BTreeMap<PathBuf, Vec<Deferred>> = BTreeMap::new();
    for d in deferred {
        let folder = if d.candidate_of.is_empty() {
            // A file held for the project phase alone is a group of its own.
            sibling_of(&d.path, sibling_names).or_else(|| Some(d.path.clone()))
        } else {
            d.path.parent().map(Path::to_path_buf)
        };
        folders.entry(folder.unwrap_or_default()).or_default().push(d);
    }
    let groups: Vec<(PathBuf, Vec<Deferred>)> = folders.into_iter().collect();
    groups
        .into_par_iter()
        .with_max_len(1)
        .map_init(Parsers::new, |parsers, (folder, mut files)| {
            files.sort_by(|a, b| a.path.cmp(&b.path));
            let mut crashed: Vec<PathBuf> = Vec::new();
            for (index, transform) in settings.folder_transforms.iter().enumerate() {
                let result =
                    catching(|| run_folder_transform(*transform, index, &folder, &mut files, settings, parsers));
                if let Err(panic) = result {
                    *parsers = Parsers::new();
                    for file in files.iter_mut().filter(|f| f.candidate_of.contains(&index)) {
                        let note = Note::at(
                            0,
                            format!(
                                "nsa-migrate crashed on this folder ({panic}); {} changed nothing — please report it",
                                transform.meta().name
                            ),
                        );
                        file.fix.notes.push((transform.meta().name, note));
                        crashed.push(file.path.clone());
                    }
                }
            }
            files
                .into_iter()
                .map(|d| {
                    let crashed = crashed.contains(&d.path);
                    FileResult {
                        crashed,
                        ..finish_deferred(d, settings)
                    }
                })
                .collect::<Vec<_>>()
        })
        .flatten()
        .collect()
}

fn run_folder_transform(
    transform: &dyn FolderTransform,
    index: usize,
    folder: &Path,
    files: &mut Vec<Deferred>,
    settings: &Settings,
    parsers: &mut Parsers,
) {
    let name = transform.meta().name;
    // Candidates the file phase did not parse, or whose tree it could not keep.
    for file in files
        .iter_mut()
        .filter(|f| f.candidate_of.contains(&index) && f.fix.tree.is_none())
    {
        match parse_fixable(&file.current, file.lang, parsers, &file.path) {
            Ok(fixable) => file.fix.tree = Some(fixable.tree),
            Err(skip) => {
                file.fix.skipped = Some(skip.reason);
                file.fix.skipped_at = file.map.to_original(skip.offset);
                file.candidate_of.clear();
            }
        }
    }
    if !files.iter().any(|f| f.candidate_of.contains(&index)) {
        return;
    }
    // Siblings not walked (outside the PATH arguments, or ignored) are read from disk, so an
    // existing actions module is appended to rather than overwritten.
    for sibling in transform.siblings() {
        let path = folder.join(sibling);
        if files.iter().any(|f| f.path == path) {
            continue;
        }
        let Some(lang) = Lang::from_path(&path) else {
            continue;
        };
        let display = display_path(&path, &settings.cwd);
        // A module that exists but cannot be read as text must not be taken for a missing one:
        // the transform would plan to create it, the write would refuse, and the client would
        // import actions that were never written.
        let unreadable = |why: String, files: &mut Vec<Deferred>| {
            if let Some(file) = files.iter_mut().find(|f| f.candidate_of.contains(&index)) {
                let message = format!("{display} {why}, so the inline actions of this folder were not moved");
                file.fix.notes.push((name, Note::at(0, message)));
            }
        };
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => return unreadable(format!("exists but could not be read ({error})"), files),
        };
        let Ok(Source { text, bom, fingerprint }) = source::decode_utf8(bytes) else {
            return unreadable("exists but is not UTF-8 text".to_string(), files);
        };
        files.push(Deferred {
            path,
            display,
            current: text.clone(),
            original: text,
            bom,
            fingerprint,
            map: OffsetMap::default(),
            fix: FileFix::default(),
            lang,
            candidate_of: Vec::new(),
            project_candidate: false,
        });
    }
    let outcome = {
        let siblings = transform
            .siblings()
            .iter()
            .filter_map(|s| {
                let path = folder.join(s);
                files
                    .iter()
                    .find(|f| f.path == path)
                    .map(|f| (path, f.current.as_str()))
            })
            .collect();
        let input = FolderInput {
            folder,
            files: files
                .iter()
                .filter(|f| f.candidate_of.contains(&index))
                .map(|f| FolderFile {
                    path: &f.path,
                    text: &f.current,
                    lang: f.lang,
                    tree: f.fix.tree.as_ref(),
                })
                .collect(),
            siblings,
            target: settings.target,
            options: &settings.options,
        };
        transform.run(&input, parsers)
    };
    for (path, note) in outcome.notes {
        if let Some(file) = files.iter_mut().find(|f| f.path == path) {
            let note = Note {
                offset: file.map.to_original(note.offset),
                message: note.message,
            };
            file.fix.notes.push((name, note));
        }
    }
    // The change is applied whole or not at all: every new text must parse.
    for FolderOutput { path, text, tree } in &outcome.files {
        let Some(lang) = Lang::from_path(path) else {
            continue;
        };
        // A candidate whose code tree-sitter could not read whole (oxc accepted it) may be looked
        // at, but not changed: the transform's reading of it may rest on what was misread.
        if let Some(file) = files
            .iter_mut()
            .find(|f| f.path == *path && f.fix.tree.as_ref().is_some_and(|t| t.root_node().has_error()))
        {
            let tree = file.fix.tree.as_ref().expect("checked above");
            let at = unreadable_regions(tree, &file.current)
                .first()
                .map_or(0, |r| file.map.to_original(r.range.start));
            let message = format!(
                "valid code that this tool's grammar cannot read here; not edited: {name} ({})",
                transform.meta().summary
            );
            file.fix.notes.push(("skipped", Note::at(at, message)));
            return;
        }
        let parses = match tree {
            // The transform parsed this very text (incrementally, from the trees it was given).
            Some(tree) => !tree.root_node().has_error(),
            None => parses_cleanly(parsers, lang, text),
        };
        let shown = display_of(files, path, &settings.cwd);
        let problem = if parses {
            output_problem(files, path, text).map(|p| format!("{name}'s output for {shown} {p}"))
        } else {
            Some(format!("{name}'s output for {shown} would not parse"))
        };
        if let Some(problem) = problem {
            let Some(file) = files.iter_mut().find(|f| f.candidate_of.contains(&index)) else {
                return;
            };
            let note = Note::at(
                0,
                format!("{problem}, so the change to this folder was dropped — please report this file"),
            );
            file.fix.notes.push((name, note));
            return;
        }
    }
    for FolderOutput { path, text, tree } in outcome.files {
        let file = match files.iter_mut().position(|f| f.path == path) {
            Some(i) => &mut files[i],
            None => {
                let lang = Lang::from_path(&path).unwrap_or(Lang::Tsx);
                let display = display_path(&path, &settings.cwd);
                files.push(Deferred {
                    path,
                    display,
                    original: String::new(),
                    bom: false,
                    fingerprint: (u64::MAX, 0),
                    current: String::new(),
                    map: OffsetMap::default(),
                    fix: FileFix::default(),
                    lang,
                    candidate_of: Vec::new(),
                    project_candidate: false,
                });
                files.last_mut().expect("just pushed")
            }
        };
        file.current = text;
        // The tree of the old text no longer describes it.
        file.fix.tree = tree;
        file.fix.needs = file.fix.needs.max(outcome.needs);
        if !file.fix.applied.contains(&name) {
            file.fix.applied.push(name);
        }
    }
}

/// What is wrong with a folder transform's new text for `path`, held to what oxc says of the
/// inputs: a file's own text, and for a file that is not a candidate (an actions module, created
/// or appended to) the texts of every file of the folder, where its code came from.
fn output_problem(files: &[Deferred], path: &Path, text: &str) -> Option<String> {
    let names_of = |f: &Deferred| match crate::verify::check(&f.original, &f.path) {
        crate::verify::Verdict::Valid(names) => Some(names),
        crate::verify::Verdict::Invalid { .. } => None,
    };
    let own = files.iter().find(|f| f.path == path);
    let is_candidate = own.is_some_and(|f| !f.candidate_of.is_empty());
    let inputs: Vec<_> = if is_candidate {
        own.into_iter().filter_map(names_of).collect()
    } else {
        files
            .iter()
            .filter(|f| !f.original.is_empty())
            .filter_map(names_of)
            .collect()
    };
    if inputs.is_empty() {
        // No input that oxc accepts: nothing to hold the output to.
        return None;
    }
    let allowed = crate::verify::Names::union(&inputs);
    check_output(&allowed, text, path).err()
}

/// The display path of a file of this folder, or of one its transform would create.
fn display_of(files: &[Deferred], path: &Path, cwd: &Path) -> String {
    match files.iter().find(|f| f.path == path) {
        Some(file) => file.display.clone(),
        None => display_path(path, cwd),
    }
}

fn finish_deferred(d: Deferred, settings: &Settings) -> FileResult {
    let Deferred {
        path,
        display,
        original,
        bom,
        fingerprint,
        current,
        fix,
        ..
    } = d;
    let created = fingerprint.0 == u64::MAX;
    let fix = FileFix {
        output: (current != original).then_some(current),
        ..fix
    };
    finish(
        path,
        display,
        &original,
        bom,
        (!created).then_some(fingerprint),
        fix,
        settings,
        created,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    #[test]
    fn finds_the_folder_of_a_sibling_module() {
        let names = ["actions.ts", "actions/index.ts"];
        assert_eq!(
            sibling_of(Path::new("app/x/actions.ts"), &names),
            Some(PathBuf::from("app/x"))
        );
        assert_eq!(
            sibling_of(Path::new("app/x/actions/index.ts"), &names),
            Some(PathBuf::from("app/x"))
        );
        assert_eq!(sibling_of(Path::new("app/x/page.tsx"), &names), None);
    }
}
