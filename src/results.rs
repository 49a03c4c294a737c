//! What a run produces: one result per file that carries something (a change, a finding), and
//! the run's totals. The engine makes them; the reporter prints them and the CLI writes their
//! bytes. Nothing here knows how they were made.

use crate::fix::{Edit, Finding, line_col};
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
    /// The pending change as replacements of the file's bytes (only when the settings ask: SARIF).
    pub replacements: Vec<Replacement>,
}

/// One replacement of a pending change, in the bytes of the file as read (a BOM counted): what
/// SARIF's fixes carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    pub byte_offset: usize,
    pub byte_length: usize,
    pub inserted: String,
    /// 1-based line and column (in characters) of its start.
    pub line: usize,
    pub column: usize,
}

/// The replacements that turn `old` into `new`, in the bytes of a file that holds `old` after
/// `prefix` bytes (3 for a BOM).
pub fn replacements(old: &str, new: &str, prefix: usize) -> Vec<Replacement> {
    edits_between(old, new)
        .into_iter()
        .map(|edit| {
            let (line, column) = line_col(old, edit.start);
            Replacement {
                byte_offset: edit.start + prefix,
                byte_length: edit.end - edit.start,
                inserted: edit.text,
                line,
                column,
            }
        })
        .collect()
}

/// The edits that turn `old` into `new`: one per run of changed lines, narrowed to the bytes
/// that differ, in order and never overlapping. Applied to `old` with `fix::apply_edits`, they
/// give `new`.
pub fn edits_between(old: &str, new: &str) -> Vec<Edit> {
    let line_starts = |text: &str| -> Vec<usize> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        if starts.last() == Some(&text.len()) && !text.is_empty() {
            starts.pop();
        }
        starts.push(text.len());
        starts
    };
    let (old_lines, new_lines) = (line_starts(old), line_starts(new));
    let byte_of = |starts: &[usize], line: usize| starts[line.min(starts.len() - 1)];
    let diff = similar::TextDiff::from_lines(old, new);
    let mut edits = Vec::new();
    let mut hunk: Option<(std::ops::Range<usize>, std::ops::Range<usize>)> = None;
    let mut flush = |hunk: &mut Option<(std::ops::Range<usize>, std::ops::Range<usize>)>| {
        let Some((old_range, new_range)) = hunk.take() else {
            return;
        };
        let (mut start, mut old_end) = (byte_of(&old_lines, old_range.start), byte_of(&old_lines, old_range.end));
        let (mut new_start, mut new_end) = (byte_of(&new_lines, new_range.start), byte_of(&new_lines, new_range.end));
        // Narrowed to the bytes that differ, on character boundaries.
        let common_prefix = old[start..old_end]
            .chars()
            .zip(new[new_start..new_end].chars())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a.len_utf8())
            .sum::<usize>();
        start += common_prefix;
        new_start += common_prefix;
        let common_suffix = old[start..old_end]
            .chars()
            .rev()
            .zip(new[new_start..new_end].chars().rev())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a.len_utf8())
            .sum::<usize>();
        old_end -= common_suffix;
        new_end -= common_suffix;
        if start != old_end || new_start != new_end {
            edits.push(Edit::replace(start..old_end, &new[new_start..new_end]));
        }
    };
    for op in diff.ops() {
        if let similar::DiffOp::Equal { .. } = op {
            flush(&mut hunk);
            continue;
        }
        let (old_range, new_range) = (op.old_range(), op.new_range());
        hunk = Some(match hunk.take() {
            Some((o, n)) => (o.start..old_range.end, n.start..new_range.end),
            None => (old_range, new_range),
        });
    }
    flush(&mut hunk);
    edits
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

impl FileResult {
    /// What a run that writes nothing says of this file: it would be changed or created.
    pub fn pending(&self) -> Option<&'static str> {
        match self.status {
            Status::Created => Some("would create"),
            Status::Changed => Some("would change"),
            _ => None,
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply_edits;

    #[test]
    fn edits_between_two_texts_give_the_new_text() {
        let cases = [
            ("a\nb\nc\n", "a\nB\nc\n"),
            ("", "export const x = 1;\n"),
            ("one\ntwo", "one\ntwo\nthree"),
            ("x\ny\nz\n", "z\n"),
            (
                "import { useFormState } from 'react-dom';\nuseFormState(a);\n",
                "import { useActionState } from 'react';\nuseActionState(a);\n",
            ),
            ("é\nü\n", "é\nüü\n"),
            ("same\n", "same\n"),
            ("a\r\nb\r\n", "a\r\nc\r\n"),
        ];
        for (old, new) in cases {
            let edits = edits_between(old, new);
            assert_eq!(apply_edits(old, &edits).unwrap(), new, "{old:?} -> {new:?}");
        }
        assert_eq!(edits_between("a\nb\nc\n", "a\nB\nc\n"), vec![Edit::replace(2..3, "B")]);
        assert!(edits_between("same\n", "same\n").is_empty());
    }

    #[test]
    fn replacements_count_a_bom_and_say_where_they_start() {
        let found = replacements("a\nxyz\n", "a\nxYz\n", 3);
        assert_eq!(
            found,
            vec![Replacement {
                byte_offset: 6,
                byte_length: 1,
                inserted: "Y".into(),
                line: 2,
                column: 2
            }]
        );
    }
}
