//! The file phase, in parallel, one candidate per task: decode its bytes, parse, run the file
//! transforms to a fixpoint, and make its result — or hand it to the folder phase, when a folder
//! transform wants it.

use super::Settings;
use super::assemble::{finish, skipped};
use super::folder_phase::{Deferred, sibling_of};
use super::panics::catching;
use super::scan::Candidate;
use crate::apply::{FileFix, fix_to_fixpoint};
use crate::parse::{Lang, Parsers};
use crate::project::Facts;
use crate::results::FileResult;
use crate::source::{self, Source};
use crate::transforms::{FileContext, Transform};
use crate::versions;
use crate::walk::io_reason;
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Text bytes of the files whose trees are held from the file phase to the folder phase (a tree
/// takes about 30 bytes per byte of text: this is ~240 MiB at most, reached only by thousands of
/// hoist candidates; at 1 MiB, a corpus of 1,000 candidates spent a third of its folder phase
/// parsing again). Past it, the folder phase parses again, so memory does not grow with the
/// number of folder candidates.
const KEPT_TREES_BUDGET: usize = 8 << 20;

enum Processed {
    Nothing,
    Done(Box<FileResult>),
    Deferred(Box<Deferred>),
}

/// The results of the candidates finished here (in candidate order; the caller sorts), and the
/// files the folder phase takes on.
pub(super) fn run(
    mut candidates: Vec<Candidate>,
    settings: &Settings,
    sibling_names: &[&str],
) -> (Vec<FileResult>, Vec<Deferred>) {
    // Largest first: a 2 MB generated file started last would finish last, alone.
    candidates.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.path.cmp(&b.path)));
    let progress = progress_bar(settings.progress, candidates.len());

    let kept_trees = AtomicUsize::new(0);
    // The folders a folder rule will look into: a sibling module elsewhere is read by no folder
    // rule, so its tree is not worth holding.
    let file_count = settings.file_transforms.len();
    let folder_end = file_count + settings.folder_transforms.len();
    let candidate_folders: HashSet<PathBuf> = candidates
        .iter()
        .filter(|c| {
            c.wanted
                .get(file_count..folder_end)
                .is_some_and(|w| w.iter().any(|x| *x))
        })
        .filter_map(|c| c.path.parent().map(Path::to_path_buf))
        .collect();
    let held = TreesHeld {
        text_bytes: &kept_trees,
        folders: &candidate_folders,
    };
    // One file per task: files cost from microseconds to a second, and rayon's default split
    // (even halves, split again only when stolen) left one thread idle for a second while the
    // other worked through a half it could not hand over.
    let processed: Vec<Processed> = candidates
        .into_par_iter()
        .with_max_len(1)
        .map_init(Parsers::new, |parsers, candidate| {
            let (path, display) = (candidate.path.clone(), candidate.display.clone());
            let result = catching(|| process_file(candidate, parsers, sibling_names, &held, settings));
            progress.inc(1);
            result.unwrap_or_else(|panic| {
                *parsers = Parsers::new();
                let reason =
                    format!("nsa-migrate crashed on this file ({panic}); nothing was changed — please report it");
                let mut result = skipped(&path, display, settings, &reason);
                result.crashed = true;
                Processed::Done(Box::new(result))
            })
        })
        .collect();
    progress.finish_and_clear();

    let mut results = Vec::new();
    let mut deferred = Vec::new();
    for item in processed {
        match item {
            Processed::Nothing => {}
            Processed::Done(result) => results.push(*result),
            Processed::Deferred(d) => deferred.push(*d),
        }
    }
    (results, deferred)
}

/// Which trees the file phase hands to the folder phase.
struct TreesHeld<'a> {
    /// Text bytes of the files whose trees are held so far.
    text_bytes: &'a AtomicUsize,
    /// The folders holding a folder rule's candidate.
    folders: &'a HashSet<PathBuf>,
}

fn process_file(
    candidate: Candidate,
    parsers: &mut Parsers,
    sibling_names: &[&str],
    held: &TreesHeld,
    settings: &Settings,
) -> Processed {
    let Candidate {
        path,
        display,
        bytes,
        wanted,
        imports_needy,
        ..
    } = candidate;
    let path = &path;
    let Some(lang) = Lang::from_path(path) else {
        return Processed::Nothing;
    };
    let bytes = match bytes.map_or_else(|| std::fs::read(path), Ok) {
        Ok(bytes) => bytes,
        Err(error) => {
            return Processed::Done(Box::new(skipped(
                path,
                display,
                settings,
                &format!("could not be read: {}", io_reason(&error)),
            )));
        }
    };
    let candidates = wanted;
    let file_count = settings.file_transforms.len();
    let file_transforms: Vec<&dyn Transform> = settings
        .file_transforms
        .iter()
        .zip(&candidates)
        .filter(|(t, wanted)| **wanted && t.applies_to(path))
        .map(|(t, _)| *t)
        .collect();
    let folder_end = file_count + settings.folder_transforms.len();
    let project_candidate = candidates
        .get(folder_end..)
        .is_some_and(|wanted| wanted.iter().any(|w| *w));
    let candidate_of: Vec<usize> = candidates[file_count..folder_end.min(candidates.len())]
        .iter()
        .enumerate()
        .filter(|(_, wanted)| **wanted)
        .map(|(i, _)| i)
        .collect();
    let sibling_folder = sibling_of(path, sibling_names);
    let is_sibling = sibling_folder.is_some();
    if file_transforms.is_empty() && candidate_of.is_empty() && !is_sibling && !imports_needy && !project_candidate {
        return Processed::Nothing;
    }
    let Source { text, bom, fingerprint } = match source::decode(bytes) {
        Ok(source) => source,
        Err(reason) => return Processed::Done(Box::new(skipped(path, display, settings, &reason.to_string()))),
    };
    let context = FileContext {
        path,
        target: settings.target,
        options: &settings.options,
    };
    // A file no file transform looks at (a sibling module, or a candidate of folder transforms
    // only) is parsed by the folder phase, once, when its folder's turn comes.
    let mut fix = if file_transforms.is_empty() {
        FileFix::default()
    } else {
        fix_to_fixpoint(&text, lang, parsers, &file_transforms, &context)
    };
    if imports_needy && fix.skipped.is_none() {
        // The code as this run leaves it: the output's tree, or the input's.
        let current = fix.output.as_deref().unwrap_or(&text);
        let parsed;
        let tree = match &fix.tree {
            Some(tree) => Some(tree),
            None => {
                parsed = parsers.parse(lang, current, None);
                parsed.as_ref()
            }
        };
        if let Some(tree) = tree {
            fix.needs = fix.needs.max(versions::needs_of_imports(tree, current));
        }
    }
    // With project transforms, every file is held: a project rule may change a module that
    // another file's use of it names.
    let project = !settings.project_transforms.is_empty();
    if fix.skipped.is_none() && (!candidate_of.is_empty() || is_sibling || project) {
        let current = fix.output.clone().unwrap_or_else(|| text.clone());
        let map = fix.map.clone();
        // What the project view reads of a candidate is read here, in parallel, from the tree
        // and scope model the rules left.
        let derived = std::mem::take(&mut fix.derived);
        let project_facts = match (&fix.tree, project_candidate) {
            (Some(tree), true) => Facts::of_candidate(tree, &current, || derived.into_scopes(tree, &current)),
            _ => Facts::Unread,
        };
        // A tree is many times its text: held for every candidate until the folder phase, trees
        // made memory grow with the number of candidates. A folder rule's candidates keep theirs
        // within the budget (past it, the folder phase parses again); a project rule's hand on
        // their facts instead.
        let mut fix = fix;
        let size = current.len();
        let keep_tree = fix.tree.is_some()
            && (!candidate_of.is_empty() || sibling_folder.is_some_and(|folder| held.folders.contains(&folder)))
            && held.text_bytes.fetch_add(size, Ordering::Relaxed) + size <= KEPT_TREES_BUDGET;
        if !keep_tree {
            fix.tree = None;
        }
        return Processed::Deferred(Box::new(Deferred {
            path: path.clone(),
            display,
            original: text,
            bom,
            fingerprint: Some(fingerprint),
            current,
            map,
            fix,
            lang,
            candidate_of,
            project_candidate,
            project_facts,
        }));
    }
    Processed::Done(Box::new(finish(
        path.clone(),
        display,
        &text,
        bom,
        Some(fingerprint),
        fix,
        settings,
        false,
    )))
}

/// Files to parse below which a run is too short for a progress bar to help.
const PROGRESS_MIN_FILES: usize = 500;

fn progress_bar(enabled: bool, total: usize) -> indicatif::ProgressBar {
    if !enabled || total < PROGRESS_MIN_FILES {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(Some(total as u64), indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("parsing {human_pos}/{human_len} candidates {bar:30} {elapsed}")
    {
        bar.set_style(style);
    }
    bar
}
