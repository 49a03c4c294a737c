//! The run: walk → prefilter → parse → transforms → apply → results, in parallel; then the
//! folder transforms, in a fixed order; then the version check. Only results leave this module:
//! every file's text and tree are dropped as soon as its result is made (a folder transform's
//! candidates wait for their folder, their trees kept within `KEPT_TREES_BUDGET`).

use crate::apply::{FileFix, OffsetMap, fix_to_fixpoint, parse_fixable, parses_cleanly};
use crate::fix::{Finding, Note, line_col};
use crate::parse::{Lang, Parsers};
use crate::prefilter::Prefilter;
use crate::target::{Needs, Target};
use crate::transforms::{
    FileContext, FolderFile, FolderInput, FolderOutput, FolderTransform, Options, QuerySet, Transform,
};
use crate::versions::{self, FileNeeds};
use crate::walk::{WalkError, display_path, io_reason, walk_each};
use rayon::prelude::*;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

pub struct Settings {
    pub paths: Vec<PathBuf>,
    pub jobs: usize,
    pub target: Target,
    pub options: Options,
    pub file_transforms: Vec<&'static dyn Transform>,
    pub folder_transforms: Vec<&'static dyn FolderTransform>,
    /// Make unified diffs (dry runs and JSON output need them; `--write` and `--check` do not).
    pub diffs: bool,
    /// Keep the new bytes of changed files (only `--write` needs them).
    pub keep_output: bool,
    /// Show a progress bar on stderr (the caller decides: a terminal and a long run).
    pub progress: bool,
    pub cwd: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Changed,
    Created,
    Skipped,
    Unchanged,
}

/// What became of one file. Only results that carry something (a change, a finding) are kept.
#[derive(Debug)]
pub struct FileResult {
    pub path: PathBuf,
    pub display: String,
    pub status: Status,
    pub applied: Vec<&'static str>,
    pub diff: Option<String>,
    /// The bytes to write (BOM restored), for changed and created files.
    pub new_bytes: Option<Vec<u8>>,
    /// Length and hash of the bytes that were read, to detect a file changed since.
    pub fingerprint: Option<(u64, u64)>,
    pub findings: Vec<Finding>,
    /// What the resulting code needs: this run's edits and what the file already imports.
    pub needs: Needs,
    /// Changes held back because they need a newer Next.js than the target.
    pub held_back: usize,
    /// nsa-migrate panicked on this file (the panic is one of its findings; nothing was changed).
    pub crashed: bool,
}

#[derive(Debug, Default)]
pub struct RunResult {
    /// Files with a change or a finding, sorted by path.
    pub files: Vec<FileResult>,
    /// Findings about no single source file (walk problems, package.json versions), sorted.
    pub other_findings: Vec<Finding>,
    pub scanned: usize,
    /// Changes not made because they need a newer Next.js than `--to` (counted in the summary).
    pub held_back: usize,
    /// Upgrade commands for the apps this run leaves below Next 15 / React 19 (the next steps).
    pub upgrades: Vec<String>,
}

impl RunResult {
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        let mut all: Vec<&Finding> = self
            .files
            .iter()
            .flat_map(|f| &f.findings)
            .chain(&self.other_findings)
            .collect();
        all.sort();
        all.into_iter()
    }

    pub fn count(&self, status: Status) -> usize {
        self.files.iter().filter(|f| f.status == status).count()
    }

    /// How many files nsa-migrate panicked on.
    pub fn crashes(&self) -> usize {
        self.files.iter().filter(|f| f.crashed).count()
    }
}

/// A file a folder transform will look at, held back from the parallel phase's results.
struct Deferred {
    path: PathBuf,
    display: String,
    original: String,
    bom: bool,
    fingerprint: (u64, u64),
    current: String,
    map: OffsetMap,
    fix: FileFix,
    lang: Lang,
    /// Index of the folder transform that wants it as a candidate, if any.
    candidate_of: Vec<usize>,
}

enum Processed {
    Nothing,
    Done(FileResult),
    Deferred(Box<Deferred>),
}

pub fn run(settings: &Settings) -> Result<RunResult, WalkError> {
    quiet_caught_panics();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.jobs.max(1))
        .build()
        .expect("a thread pool of the asked size");
    pool.install(|| run_in_pool(settings))
}

/// A file that holds the words of at least one selected transform, or is a sibling module.
struct Candidate {
    path: PathBuf,
    size: usize,
    /// The bytes the first phase read, kept while they fit `KEPT_BYTES_BUDGET`; else read again.
    bytes: Option<Vec<u8>>,
    /// Per transform (file transforms, then folder transforms): may it match?
    wanted: Vec<bool>,
    /// It holds the words of an import that needs newer versions (`useActionState`, ...).
    imports_needy: bool,
}

/// Bytes of candidate files carried from the first phase to the second. Past it, files are read
/// again, so memory does not grow with a tree full of trigger words.
const KEPT_BYTES_BUDGET: usize = 64 << 20;

/// Text bytes of the files whose trees are held from the file phase to the folder phase (a tree
/// takes about 30 bytes per byte of text: this is ~30 MiB). Past it, the folder phase parses
/// again, so memory does not grow with the number of folder candidates.
const KEPT_TREES_BUDGET: usize = 1 << 20;

thread_local! {
    /// One read buffer per walker thread: most files are read, searched and dropped without an
    /// allocation.
    static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn run_in_pool(settings: &Settings) -> Result<RunResult, WalkError> {
    let word_groups: Vec<&[&[&str]]> = settings
        .file_transforms
        .iter()
        .map(|t| t.meta().words)
        .chain(settings.folder_transforms.iter().map(|t| t.meta().words))
        // Last: the imports whose versions the check reads.
        .chain([versions::USE_WORDS])
        .collect();
    let prefilter = Prefilter::new(&word_groups);
    let sibling_names: Vec<&str> = settings
        .folder_transforms
        .iter()
        .flat_map(|t| t.siblings().iter().copied())
        .collect();

    // Phase 1, on the walker's threads as it finds files: read, and look for the words.
    let scanned = AtomicUsize::new(0);
    let kept = AtomicUsize::new(0);
    let candidates = Mutex::new(Vec::new());
    let unreadable = Mutex::new(Vec::new());
    // The queries compile on the pool while the walker's threads read: neither waits for the other.
    // Each transform's queries, in the order of the prefilter's `wanted` (file transforms, then
    // folder transforms).
    let queries: Vec<&[&QuerySet]> = settings
        .file_transforms
        .iter()
        .map(|t| t.meta())
        .chain(settings.folder_transforms.iter().map(|t| t.meta()))
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
            BUFFER.with_borrow_mut(|buffer| {
                buffer.clear();
                let read = std::fs::File::open(path).and_then(|mut file| std::io::Read::read_to_end(&mut file, buffer));
                if let Err(error) = read {
                    let reason = format!("could not be read: {}", io_reason(&error));
                    unreadable
                        .lock()
                        .expect("results lock")
                        .push(skipped(path, settings, &reason));
                    return;
                }
                // UTF-16 (Windows editors save it so) is decoded only to tell whether the user
                // should hear of it: phase 2 skips it with a finding.
                let utf16 = utf16_text(buffer);
                let bytes = utf16.as_ref().map_or(&buffer[..], |text| text.as_bytes());
                let mut wanted = prefilter.candidates(bytes);
                let imports_needy = wanted.pop().unwrap_or(false);
                for (wanted, transform) in wanted.iter_mut().zip(&settings.file_transforms) {
                    *wanted = *wanted && transform.wants_text(bytes);
                }
                let by_name = |(i, wanted): (usize, &bool)| {
                    *wanted && settings.file_transforms.get(i).is_none_or(|t| t.applies_to(path))
                };
                let any = wanted.iter().enumerate().any(by_name);
                if !any && !imports_needy && sibling_of(path, &sibling_names).is_none() {
                    return;
                }
                if let (true, Some(lang)) = (any, Lang::from_path(path)) {
                    warm(lang, &wanted);
                }
                let keep = kept.fetch_add(buffer.len(), Ordering::Relaxed) + buffer.len() <= KEPT_BYTES_BUDGET;
                let candidate = Candidate {
                    path: path.to_path_buf(),
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
    // Largest first: a 2 MB generated file started last would finish last, alone.
    candidates.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.path.cmp(&b.path)));
    let progress = progress_bar(settings.progress, candidates.len());

    // Phase 2, in parallel: parse, transform, verify.
    let kept_trees = AtomicUsize::new(0);
    // One file per task: files cost from microseconds to a second, and rayon's default split
    // (even halves, split again only when stolen) left one thread idle for a second while the
    // other worked through a half it could not hand over.
    let processed: Vec<Processed> = candidates
        .into_par_iter()
        .with_max_len(1)
        .map_init(Parsers::new, |parsers, candidate| {
            let path = candidate.path.clone();
            let result = catching(|| process_file(candidate, parsers, &sibling_names, &kept_trees, settings));
            progress.inc(1);
            result.unwrap_or_else(|panic| {
                *parsers = Parsers::new();
                let reason =
                    format!("nsa-migrate crashed on this file ({panic}); nothing was changed — please report it");
                let mut result = skipped(&path, settings, &reason);
                result.crashed = true;
                Processed::Done(result)
            })
        })
        .collect();
    progress.finish_and_clear();

    let mut results = unreadable.into_inner().expect("results lock");
    let mut deferred = Vec::new();
    for item in processed {
        match item {
            Processed::Nothing => {}
            Processed::Done(result) => results.push(result),
            Processed::Deferred(d) => deferred.push(*d),
        }
    }
    results.extend(run_folder_transforms(deferred, settings, &sibling_names));
    results.sort_by(|a, b| a.display.cmp(&b.display));

    let mut other_findings: Vec<Finding> = problems
        .into_iter()
        .map(|p| Finding {
            path: display_path(&p.path, &settings.cwd),
            line: 1,
            column: 1,
            transform: "skipped".into(),
            message: p.message,
        })
        .collect();
    let file_needs: Vec<FileNeeds> = results
        .iter()
        .filter(|r| r.status != Status::Skipped)
        .map(|r| FileNeeds {
            path: &r.path,
            display: &r.display,
            needs: r.needs,
        })
        .collect();
    let versions = versions::check(&file_needs, &manifests, settings.target, &settings.cwd);
    other_findings.extend(versions.findings);
    other_findings.sort();
    let held_back = results.iter().map(|r| r.held_back).sum();
    Ok(RunResult {
        files: results,
        other_findings,
        scanned: scanned.into_inner(),
        held_back,
        upgrades: versions.upgrades,
    })
}

fn process_file(
    candidate: Candidate,
    parsers: &mut Parsers,
    sibling_names: &[&str],
    kept_trees: &AtomicUsize,
    settings: &Settings,
) -> Processed {
    let Candidate {
        path,
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
            return Processed::Done(skipped(
                path,
                settings,
                &format!("could not be read: {}", io_reason(&error)),
            ));
        }
    };
    let bytes = &bytes[..];
    let candidates = wanted;
    let file_count = settings.file_transforms.len();
    let file_transforms: Vec<&dyn Transform> = settings
        .file_transforms
        .iter()
        .zip(&candidates)
        .filter(|(t, wanted)| **wanted && t.applies_to(path))
        .map(|(t, _)| *t)
        .collect();
    let candidate_of: Vec<usize> = candidates[file_count..]
        .iter()
        .enumerate()
        .filter(|(_, wanted)| **wanted)
        .map(|(i, _)| i)
        .collect();
    let is_sibling = sibling_of(path, sibling_names).is_some();
    if file_transforms.is_empty() && candidate_of.is_empty() && !is_sibling && !imports_needy {
        return Processed::Nothing;
    }
    if utf16_text(&bytes[..bytes.len().min(2)]).is_some() {
        return Processed::Done(skipped(
            path,
            settings,
            "UTF-16 text (it starts with a UTF-16 byte-order mark); nothing was changed — save it as UTF-8 to migrate it",
        ));
    }
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Processed::Done(skipped(
            path,
            settings,
            "binary file (it holds NUL bytes); nothing was changed",
        ));
    }
    if let Some(reason) = minified(bytes) {
        return Processed::Done(skipped(path, settings, &reason));
    }
    let fingerprint = fingerprint(bytes);
    let text = match String::from_utf8(bytes.to_vec()) {
        Ok(text) => text,
        Err(error) => {
            let offset = error.utf8_error().valid_up_to();
            return Processed::Done(skipped(
                path,
                settings,
                &format!("not valid UTF-8 (first bad byte at offset {offset}); nothing was changed"),
            ));
        }
    };
    let (bom, text) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (true, rest.to_string()),
        None => (false, text),
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
    let display = display_path(path, &settings.cwd);
    if fix.skipped.is_none() && (!candidate_of.is_empty() || is_sibling) {
        let current = fix.output.clone().unwrap_or_else(|| text.clone());
        let map = fix.map.clone();
        // A tree is many times its text: held for every candidate until the folder phase, trees
        // made memory grow with the number of candidates. Past the budget, the folder phase
        // parses again.
        let mut fix = fix;
        let size = current.len();
        let keep_tree = fix.tree.is_some() && kept_trees.fetch_add(size, Ordering::Relaxed) + size <= KEPT_TREES_BUDGET;
        if !keep_tree {
            fix.tree = None;
        }
        return Processed::Deferred(Box::new(Deferred {
            path: path.clone(),
            display,
            original: text,
            bom,
            fingerprint,
            current,
            map,
            fix,
            lang,
            candidate_of,
        }));
    }
    Processed::Done(finish(
        path.clone(),
        display,
        &text,
        bom,
        Some(fingerprint),
        fix,
        settings,
        false,
    ))
}

/// The text of a file that starts with a UTF-16 byte-order mark.
fn utf16_text(bytes: &[u8]) -> Option<String> {
    let (body, little_endian) = match bytes {
        [0xff, 0xfe, body @ ..] => (body, true),
        [0xfe, 0xff, body @ ..] => (body, false),
        _ => return None,
    };
    let units: Vec<u16> = body
        .chunks_exact(2)
        .map(|pair| {
            let pair = [pair[0], pair[1]];
            if little_endian {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            }
        })
        .collect();
    Some(String::from_utf16_lossy(&units))
}

/// Files at least this big are looked at for minification.
const MINIFIED_MIN_BYTES: usize = 1 << 20;
/// ... and skipped when their lines are this long on average.
const MINIFIED_MEAN_LINE: usize = 1000;

/// Why a file is skipped as minified: a bundle is build output, not code to migrate, and its
/// megabyte-long lines make every step slow for nothing.
fn minified(bytes: &[u8]) -> Option<String> {
    if bytes.len() < MINIFIED_MIN_BYTES {
        return None;
    }
    let lines = bytes.iter().filter(|&&b| b == b'\n').count() + usize::from(!bytes.ends_with(b"\n"));
    if bytes.len() / lines < MINIFIED_MEAN_LINE {
        return None;
    }
    Some(format!(
        "looks minified ({:.1} MB in {} line{}); nothing was changed — migrate its source instead",
        bytes.len() as f64 / 1e6,
        lines,
        if lines == 1 { "" } else { "s" }
    ))
}

/// Builds the result of one file from its input and what the transforms made of it.
#[allow(clippy::too_many_arguments)]
fn finish(
    path: PathBuf,
    display: String,
    original: &str,
    bom: bool,
    fingerprint: Option<(u64, u64)>,
    fix: FileFix,
    settings: &Settings,
    created: bool,
) -> FileResult {
    let mut findings: Vec<Finding> = fix
        .notes
        .iter()
        .map(|(transform, note)| {
            let (line, column) = line_col(original, note.offset);
            Finding {
                path: display.clone(),
                line,
                column,
                transform: transform.to_string(),
                message: note.message.clone(),
            }
        })
        .collect();
    if let Some(reason) = &fix.skipped {
        findings.push(Finding {
            path: display.clone(),
            line: 1,
            column: 1,
            transform: "skipped".into(),
            message: reason.clone(),
        });
    }
    findings.sort();
    let (status, diff, new_bytes) = match (&fix.output, &fix.skipped) {
        (Some(output), None) => {
            let diff = settings
                .diffs
                .then(|| crate::report::unified_diff(&display, original, output, created));
            let bytes = settings.keep_output.then(|| {
                let mut bytes = Vec::with_capacity(output.len() + 3);
                if bom {
                    bytes.extend_from_slice("\u{feff}".as_bytes());
                }
                bytes.extend_from_slice(output.as_bytes());
                bytes
            });
            (if created { Status::Created } else { Status::Changed }, diff, bytes)
        }
        (_, Some(_)) => (Status::Skipped, None, None),
        (None, None) => (Status::Unchanged, None, None),
    };
    FileResult {
        path,
        display,
        status,
        applied: fix.applied,
        diff,
        new_bytes,
        fingerprint,
        findings,
        needs: fix.needs,
        held_back: fix.held_back,
        crashed: false,
    }
}

fn skipped(path: &Path, settings: &Settings, reason: &str) -> FileResult {
    let fix = FileFix {
        skipped: Some(reason.to_string()),
        ..FileFix::default()
    };
    finish(
        path.to_path_buf(),
        display_path(path, &settings.cwd),
        "",
        false,
        None,
        fix,
        settings,
        false,
    )
}

/// The folder a sibling module (`app/actions.ts`, `app/actions/index.ts`) belongs to.
fn sibling_of(path: &Path, sibling_names: &[&str]) -> Option<PathBuf> {
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
fn run_folder_transforms(deferred: Vec<Deferred>, settings: &Settings, sibling_names: &[&str]) -> Vec<FileResult> {
    // Folder → (candidates, siblings), both in path order.
    let mut folders: BTreeMap<PathBuf, Vec<Deferred>> = BTreeMap::new();
    for d in deferred {
        let folder = if d.candidate_of.is_empty() {
            sibling_of(&d.path, sibling_names)
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
        match parse_fixable(&file.current, file.lang, parsers) {
            Ok(tree) => file.fix.tree = Some(tree),
            Err(reason) => {
                file.fix.skipped = Some(reason);
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
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let Some(lang) = Lang::from_path(&path) else {
            continue;
        };
        let fingerprint = fingerprint(&bytes);
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        let (bom, text) = match text.strip_prefix('\u{feff}') {
            Some(rest) => (true, rest.to_string()),
            None => (false, text),
        };
        let display = display_path(&path, &settings.cwd);
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
        let parses = match tree {
            // The transform parsed this very text (incrementally, from the trees it was given).
            Some(tree) => !tree.root_node().has_error(),
            None => parses_cleanly(parsers, lang, text),
        };
        if !parses {
            let Some(file) = files.iter_mut().find(|f| f.candidate_of.contains(&index)) else {
                return;
            };
            let note = Note::at(
                0,
                format!(
                    "{name}'s output for {} would not parse, so the change to this folder was dropped — please report this file",
                    display_path(path, &settings.cwd)
                ),
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

fn fingerprint(bytes: &[u8]) -> (u64, u64) {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    (bytes.len() as u64, hasher.finish())
}

pub fn fingerprint_of(bytes: &[u8]) -> (u64, u64) {
    fingerprint(bytes)
}

thread_local! {
    /// Set while this thread runs code under [`catching`]: its panics become findings.
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    /// Where the last caught panic of this thread happened.
    static PANIC_LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs (once) a panic hook that keeps quiet about the panics [`catching`] turns into
/// findings, rather than printing a message and a backtrace hint on stderr for each; every other
/// panic goes to the hook that was there before.
fn quiet_caught_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CATCHING.with(Cell::get) {
                let location = info.location().map(|l| format!("{}:{}", l.file(), l.line()));
                PANIC_LOCATION.with(|slot| *slot.borrow_mut() = location);
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `work`; a panic in it becomes `Err("<message> at <file>:<line>")`.
fn catching<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    let was = CATCHING.with(|c| c.replace(true));
    let result = catch_unwind(AssertUnwindSafe(work));
    CATCHING.with(|c| c.set(was));
    result.map_err(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into());
        match PANIC_LOCATION.with(|slot| slot.borrow_mut().take()) {
            Some(location) => format!("{message} at {location}"),
            None => message,
        }
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_minified_files_and_utf16_apart() {
        let bundle = "var a=1;".repeat(200_000) + "\nvar b=2;\n";
        assert_eq!(
            minified(bundle.as_bytes()).as_deref(),
            Some("looks minified (1.6 MB in 2 lines); nothing was changed — migrate its source instead")
        );
        let long_source = "const a = 1;\n".repeat(200_000);
        assert_eq!(minified(long_source.as_bytes()), None);
        let mut le = vec![0xff, 0xfe];
        le.extend("use".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(utf16_text(&le).as_deref(), Some("use"));
        let mut be = vec![0xfe, 0xff];
        be.extend("use".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(utf16_text(&be).as_deref(), Some("use"));
        assert_eq!(utf16_text(b"use"), None);
    }

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
