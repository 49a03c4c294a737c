//! The first stage, on the walker's threads as it finds files: read each file once, look for the
//! words of the selected transforms, and keep the candidates (with their bytes, within a budget).
//! The queries the candidates will need start compiling on the pool meanwhile.

use super::Settings;
use super::assemble::skipped;
use super::folder_phase::sibling_of;
use crate::parse::Lang;
use crate::prefilter::Prefilter;
use crate::results::FileResult;
use crate::source;
use crate::transforms::QuerySet;
use crate::versions;
use crate::walk::{WalkError, WalkProblem, display_path, io_reason, walk_each};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// A file that holds the words of at least one selected transform, or is a sibling module.
pub(super) struct Candidate {
    pub(super) path: PathBuf,
    /// The path as the user sees it, made once here and carried to the file's result.
    pub(super) display: String,
    pub(super) size: usize,
    /// The bytes the scan read, kept while they fit `KEPT_BYTES_BUDGET`; else read again.
    pub(super) bytes: Option<Vec<u8>>,
    /// Per transform (file transforms, then folder transforms): may it match?
    pub(super) wanted: Vec<bool>,
    /// It holds the words of an import that needs newer versions (`useActionState`, ...).
    pub(super) imports_needy: bool,
}

/// Bytes of candidate files carried from the scan to the file phase. Past it, files are read
/// again, so memory does not grow with a tree full of trigger words.
const KEPT_BYTES_BUDGET: usize = 64 << 20;

thread_local! {
    /// One read buffer per walker thread: most files are read, searched and dropped without an
    /// allocation.
    static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// What the walk found: the candidates (each path once, in path order), the files it could not
/// read, its problems, the package.json files, and how many files it looked at.
pub(super) struct Scanned {
    pub(super) candidates: Vec<Candidate>,
    pub(super) unreadable: Vec<FileResult>,
    pub(super) problems: Vec<WalkProblem>,
    pub(super) manifests: Vec<PathBuf>,
    pub(super) scanned: usize,
    /// Every code file walked, in path order, when project transforms run (their rules count
    /// the uses of a function in all of them); else empty.
    pub(super) paths: Vec<PathBuf>,
}

/// The run's prefilters, one per set of file transforms that apply to a path (a next.config, a
/// file under `pages/`, any other file), each made when a first such path is met: a file is
/// searched only for the words of the rules that may run on it, so the thirty option names of
/// the next.config rules are looked for in next.config files alone.
struct Prefilters<'w> {
    /// Per transform, as the scan orders them (file transforms first).
    groups: &'w [&'w [&'w [&'w str]]],
    built: Mutex<Vec<(Vec<bool>, Arc<Prefilter>)>>,
}

impl Prefilters<'_> {
    /// The prefilter for files where `applies[t]` tells whether file transform `t` applies.
    fn for_files_where(&self, applies: &[bool]) -> Arc<Prefilter> {
        let mut built = self.built.lock().expect("prefilters lock");
        if let Some((_, prefilter)) = built.iter().find(|(made_for, _)| made_for == applies) {
            return Arc::clone(prefilter);
        }
        let groups: Vec<Option<&[&[&str]]>> = self
            .groups
            .iter()
            .enumerate()
            .map(|(i, &group)| applies.get(i).copied().unwrap_or(true).then_some(group))
            .collect();
        let prefilter = Arc::new(Prefilter::new(&groups));
        built.push((applies.to_vec(), Arc::clone(&prefilter)));
        prefilter
    }
}

pub(super) fn scan(settings: &Settings, sibling_names: &[&str]) -> Result<Scanned, WalkError> {
    let word_groups: Vec<&[&[&str]]> = settings
        .file_transforms
        .iter()
        .map(|t| t.meta().words)
        .chain(settings.folder_transforms.iter().map(|t| t.meta().words))
        .chain(settings.project_transforms.iter().map(|t| t.meta().words))
        // Last: the imports whose versions the check reads.
        .chain([versions::USE_WORDS])
        .collect();
    let prefilters = Prefilters {
        groups: &word_groups,
        built: Mutex::new(Vec::new()),
    };
    let scanned = AtomicUsize::new(0);
    let kept = AtomicUsize::new(0);
    let candidates = Mutex::new(Vec::new());
    let unreadable = Mutex::new(Vec::new());
    let keep_paths = !settings.project_transforms.is_empty();
    let paths = Mutex::new(Vec::new());
    // The queries compile on the pool while the walker's threads read: neither waits for the other.
    // Each transform's queries, in the order of the prefilter's `wanted` (file transforms, then
    // folder transforms).
    let queries: Vec<&[&QuerySet]> = settings
        .file_transforms
        .iter()
        .map(|t| t.meta())
        .chain(settings.folder_transforms.iter().map(|t| t.meta()))
        .chain(settings.project_transforms.iter().map(|t| t.meta()))
        .map(|meta| meta.queries)
        .collect();
    // Compiling a query costs milliseconds per grammar (tree-sitter scans the grammar's whole parse
    // table for each): only the queries of a transform some candidate wants, for its grammar,
    // started when the first such candidate is found.
    let warming: Vec<[AtomicBool; 2]> = queries.iter().map(|_| Default::default()).collect();
    let queries = &queries;
    let warming = &warming;
    let walked = rayon::scope(|scope| {
        let warm = |lang: Lang, wanted: &[bool]| {
            for (i, _) in wanted.iter().enumerate().filter(|(_, wanted)| **wanted) {
                let (Some(flags), Some(transform_queries)) = (warming.get(i), queries.get(i)) else {
                    continue;
                };
                if !flags[lang.index()].swap(true, Ordering::Relaxed) {
                    for &query in transform_queries.iter() {
                        scope.spawn(move |_| query.warm(lang));
                    }
                }
            }
        };
        walk_each(&settings.paths, settings.jobs, &|path: &Path| {
            scanned.fetch_add(1, Ordering::Relaxed);
            if keep_paths && Lang::from_path(path).is_some() {
                paths.lock().expect("paths lock").push(path.to_path_buf());
            }
            BUFFER.with_borrow_mut(|buffer| {
                buffer.clear();
                let read = std::fs::File::open(path).and_then(|mut file| std::io::Read::read_to_end(&mut file, buffer));
                if let Err(error) = read {
                    let reason = format!("could not be read: {}", io_reason(&error));
                    unreadable.lock().expect("results lock").push(skipped(
                        path,
                        display_path(path, &settings.cwd),
                        settings,
                        &reason,
                    ));
                    return;
                }
                // UTF-16 (Windows editors save it so) is decoded only to tell whether the user
                // should hear of it: the file phase skips it with a finding.
                let bytes = source::searchable(buffer);
                let applies: Vec<bool> = settings.file_transforms.iter().map(|t| t.applies_to(path)).collect();
                let mut wanted = prefilters.for_files_where(&applies).candidates(&bytes);
                let imports_needy = wanted.pop().unwrap_or(false);
                // A transform may look closer at the bytes before asking for a parse.
                for (wanted, transform) in wanted.iter_mut().zip(&settings.file_transforms) {
                    *wanted = *wanted && transform.wants_text(&bytes);
                }
                let project_start = settings.file_transforms.len() + settings.folder_transforms.len();
                for (wanted, transform) in wanted.iter_mut().skip(project_start).zip(&settings.project_transforms) {
                    *wanted = *wanted && transform.wants_text(&bytes);
                }
                let any = wanted.iter().any(|wanted| *wanted);
                if !any && !imports_needy && sibling_of(path, sibling_names).is_none() {
                    return;
                }
                if let (true, Some(lang)) = (any, Lang::from_path(path)) {
                    warm(lang, &wanted);
                }
                let keep = kept.fetch_add(buffer.len(), Ordering::Relaxed) + buffer.len() <= KEPT_BYTES_BUDGET;
                let candidate = Candidate {
                    path: path.to_path_buf(),
                    display: display_path(path, &settings.cwd),
                    size: buffer.len(),
                    bytes: keep.then(|| buffer.clone()),
                    wanted,
                    imports_needy,
                };
                candidates.lock().expect("candidates lock").push(candidate);
            });
        })
    });
    let (problems, manifests) = walked?;
    let mut candidates = candidates.into_inner().expect("candidates lock");
    // A file named twice on the command line is looked at once.
    candidates.sort_by(|a, b| a.path.cmp(&b.path));
    candidates.dedup_by(|a, b| a.path == b.path);
    let mut paths = paths.into_inner().expect("paths lock");
    paths.sort();
    paths.dedup();
    Ok(Scanned {
        paths,
        candidates,
        unreadable: unreadable.into_inner().expect("results lock"),
        problems,
        manifests,
        scanned: scanned.into_inner(),
    })
}
