//! What a run produces: one result per file that carries something (a change, a finding), and
//! the run's totals. The engine makes them; the reporter prints them and the CLI writes their
//! bytes. Nothing here knows how they were made.

use crate::fix::Finding;
use crate::target::Needs;
use std::path::PathBuf;

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

/// A git-style unified diff with 3 lines of context (`--- /dev/null` for a created file): made
/// while a file's texts are at hand (they are dropped after), carried by its result.
pub fn unified_diff(path: &str, old: &str, new: &str, created: bool) -> String {
    let old_header = if created {
        "/dev/null".to_string()
    } else {
        format!("a/{path}")
    };
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&old_header, &format!("b/{path}"))
        .to_string()
}
