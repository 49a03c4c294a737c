//! The run, in stages that hand their results on and never look back:
//! - `scan`: walk → read → prefilter, on the walker's threads: the candidate files;
//! - `file_phase`: per candidate, in parallel: decode (`crate::source`), parse, file
//!   transforms to a fixpoint (`apply`);
//! - `project_phase`: the project transforms, over the files that use actions and the modules
//!   their imports resolve to;
//! - `folder_phase`: the folder transforms, per folder, in a fixed order;
//! - then the version check, and the run's [`RunResult`].
//!
//! `assemble` turns a file's fix into its result; `panics` turns a panic on one file into a
//! finding. Only results leave this module: every file's text and tree are dropped as soon as its
//! result is made (a folder transform's candidates wait for their folder, their trees kept within
//! `KEPT_TREES_BUDGET`).

mod assemble;
mod file_phase;
mod folder_phase;
pub(crate) mod panics;
mod project_phase;
mod scan;

/// A folder transform on an editor's buffer (the language server's folder rules).
pub(crate) use folder_phase::{BufferChangeFile, run_on_buffer};

use crate::fix::Finding;
use crate::results::{RunResult, Status};
use crate::target::Target;
use crate::transforms::{FolderRule, Options, ProjectTransform, Transform};
use crate::versions::{self, FileNeeds};
use crate::walk::{WalkError, display_path};
use std::path::PathBuf;

pub struct Settings {
    pub paths: Vec<PathBuf>,
    pub jobs: usize,
    pub target: Target,
    pub options: Options,
    pub file_transforms: Vec<&'static dyn Transform>,
    pub folder_transforms: Vec<&'static dyn FolderRule>,
    pub project_transforms: Vec<&'static dyn ProjectTransform>,
    /// Make unified diffs (dry runs and JSON output need them; `--write` and `--check` do not).
    pub diffs: bool,
    /// Carry each pending change as byte replacements of the file (SARIF's fixes need them).
    pub replacements: bool,
    /// Keep the new bytes of changed files (only `--write` needs them).
    pub keep_output: bool,
    /// Show a progress bar on stderr (the caller decides: a terminal and a long run).
    pub progress: bool,
    pub cwd: PathBuf,
}

pub fn run(settings: &Settings) -> Result<RunResult, WalkError> {
    panics::quiet_caught_panics();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.jobs.max(1))
        .build()
        .expect("a thread pool of the asked size");
    pool.install(|| run_in_pool(settings))
}

fn run_in_pool(settings: &Settings) -> Result<RunResult, WalkError> {
    let sibling_names: Vec<&str> = settings
        .folder_transforms
        .iter()
        .flat_map(|t| t.siblings().iter().copied())
        .collect();

    let scan::Scanned {
        candidates,
        unreadable,
        problems,
        manifests,
        scanned,
        paths,
    } = scan::scan(settings, &sibling_names)?;
    let mut results = unreadable;
    let (done, mut deferred) = file_phase::run(candidates, settings, &sibling_names);
    project_phase::run(&mut deferred, &done, &paths, settings);
    results.extend(done);
    results.extend(folder_phase::run(deferred, settings, &sibling_names));
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
        scanned,
        held_back,
        upgrades: versions.upgrades,
    })
}
