//! The folder phase: the folder transforms, one call per folder with candidates, folders in
//! parallel, the transforms in a fixed order. A folder's change is applied whole or not at all.

use super::Settings;
use super::assemble::finish;
use super::panics::catching;
use crate::apply::{FileFix, FolderEntry, FolderRun, fix_folder, parse_fixable};
use crate::fix::Note;
use crate::fix::OffsetMap;
use crate::parse::{Lang, Parsers};
use crate::project::Facts;
use crate::results::FileResult;
use crate::source::{self, Source};
use crate::transforms::FolderRule;
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
    /// The bytes read, `None` for a file the folder phase creates.
    pub(super) fingerprint: Option<(u64, u64)>,
    pub(super) current: String,
    pub(super) map: OffsetMap,
    pub(super) fix: FileFix,
    pub(super) lang: Lang,
    /// Index of the folder transform that wants it as a candidate, if any.
    pub(super) candidate_of: Vec<usize>,
    /// It holds the words of a project transform.
    pub(super) project_candidate: bool,
    /// What the project view reads of its current text, when known.
    pub(super) project_facts: Facts,
}

impl Deferred {
    /// A file read from the disk as it is: no rule has changed it, no phase holds its tree.
    pub(super) fn as_read(path: PathBuf, display: String, source: Source, lang: Lang) -> Deferred {
        Deferred {
            path,
            display,
            current: source.text.clone(),
            original: source.text,
            bom: source.bom,
            fingerprint: Some(source.fingerprint),
            map: OffsetMap::default(),
            fix: FileFix::default(),
            lang,
            candidate_of: Vec::new(),
            project_candidate: false,
            project_facts: Facts::Unread,
        }
    }
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
    transform: &dyn FolderRule,
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
        files.push(Deferred::as_read(
            path,
            display,
            Source { text, bom, fingerprint },
            lang,
        ));
    }
    // Display paths are made once: the known files' own, a created file's here.
    let displays: Vec<(PathBuf, String)> = files.iter().map(|f| (f.path.clone(), f.display.clone())).collect();
    let display = |path: &Path| match displays.iter().find(|(p, _)| p == path) {
        Some((_, display)) => display.clone(),
        None => display_path(path, &settings.cwd),
    };
    let run = FolderRun {
        folder,
        target: settings.target,
        options: &settings.options,
        display: &display,
    };
    let mut entries: Vec<FolderEntry> = files
        .iter_mut()
        .map(|f| {
            FolderEntry::new(
                f.path.clone(),
                f.lang,
                f.current.clone(),
                f.fix.tree.take(),
                f.candidate_of.contains(&index),
                std::mem::take(&mut f.map),
            )
        })
        .collect();
    let fixed = fix_folder(transform, &run, &mut entries, parsers);
    for entry in entries {
        let file = match files.iter_mut().position(|f| f.path == entry.path) {
            Some(i) => &mut files[i],
            None => {
                files.push(Deferred {
                    display: display(&entry.path),
                    path: entry.path.clone(),
                    original: String::new(),
                    bom: false,
                    fingerprint: None,
                    current: String::new(),
                    map: OffsetMap::default(),
                    fix: FileFix::default(),
                    lang: entry.lang,
                    candidate_of: Vec::new(),
                    project_candidate: false,
                    project_facts: Facts::Unread,
                });
                files.last_mut().expect("just pushed")
            }
        };
        if entry.changed {
            file.fix.needs = file.fix.needs.max(fixed.needs);
            if !file.fix.applied.contains(&name) {
                file.fix.applied.push(name);
            }
        }
        file.current = entry.text;
        file.fix.tree = entry.tree;
        file.map = entry.map;
    }
    for (path, tag, note) in fixed.notes {
        if let Some(file) = files.iter_mut().find(|f| f.path == path) {
            file.fix.notes.push((tag, note));
        }
    }
}

/// A file a folder transform would change for an editor's buffer: its text before and after.
#[derive(Debug)]
pub(crate) struct BufferChangeFile {
    pub path: PathBuf,
    pub original: String,
    pub new: String,
    pub created: bool,
}

/// What `transform` would make of the folder of `path` when `path` holds `text` (an editor's
/// buffer, the one candidate): the same step as a run's, with its checks. Its siblings come
/// from `open` (other buffers) or else from the disk. Returns the changed files and the notes
/// for the buffer (offsets into `text`).
pub(crate) fn run_on_buffer(
    transform: &dyn FolderRule,
    (path, text, lang): (&Path, &str, Lang),
    open: &[(PathBuf, String)],
    target: crate::target::Target,
    options: &crate::transforms::Options,
    parsers: &mut Parsers,
) -> (Vec<BufferChangeFile>, Vec<(&'static str, Note)>) {
    let Some(folder) = path.parent() else {
        return (Vec::new(), Vec::new());
    };
    let settings = Settings {
        paths: Vec::new(),
        jobs: 1,
        target,
        options: options.clone(),
        file_transforms: Vec::new(),
        folder_transforms: Vec::new(),
        project_transforms: Vec::new(),
        diffs: false,
        replacements: false,
        keep_output: false,
        progress: false,
        cwd: folder.to_path_buf(),
    };
    let deferred = |path: &Path, text: &str, lang: Lang, candidate_of: Vec<usize>| Deferred {
        path: path.to_path_buf(),
        display: display_path(path, folder),
        original: text.to_string(),
        bom: false,
        fingerprint: Some((0, 0)),
        current: text.to_string(),
        map: OffsetMap::default(),
        fix: FileFix::default(),
        lang,
        candidate_of,
        project_candidate: false,
        project_facts: Facts::Unread,
    };
    let mut files = vec![deferred(path, text, lang, vec![0])];
    for (open_path, open_text) in open {
        let is_sibling = transform.siblings().iter().any(|s| folder.join(s) == *open_path);
        if let (true, Some(lang)) = (is_sibling, Lang::from_path(open_path)) {
            files.push(deferred(open_path, open_text, lang, Vec::new()));
        }
    }
    run_folder_transform(transform, 0, folder, &mut files, &settings, parsers);
    let mut notes = Vec::new();
    let mut changed = Vec::new();
    for file in files {
        if file.path == path {
            notes = file.fix.notes;
        }
        if file.current != file.original {
            changed.push(BufferChangeFile {
                created: file.fingerprint.is_none(),
                path: file.path,
                original: file.original,
                new: file.current,
            });
        }
    }
    (changed, notes)
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
    let created = fingerprint.is_none();
    let fix = FileFix {
        output: (current != original).then_some(current),
        ..fix
    };
    finish(path, display, &original, bom, fingerprint, fix, settings, created)
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
