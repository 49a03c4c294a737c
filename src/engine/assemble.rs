//! A file's result from its input and what the transforms made of it: findings with line and
//! column, its status, its diff, the bytes to write.

use super::Settings;
use crate::apply::FileFix;
use crate::fix::{Finding, line_col};
use crate::results::{FileResult, Status, replacements, unified_diff};
use std::path::{Path, PathBuf};

/// Builds the result of one file from its input and what the transforms made of it.
#[allow(clippy::too_many_arguments)]
pub(super) fn finish(
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
        let (line, column) = line_col(original, fix.skipped_at);
        findings.push(Finding {
            path: display.clone(),
            line,
            column,
            transform: "skipped".into(),
            message: reason.clone(),
        });
    }
    findings.sort();
    let replacements = match (&fix.output, &fix.skipped) {
        (Some(output), None) if settings.replacements => replacements(original, output, if bom { 3 } else { 0 }),
        _ => Vec::new(),
    };
    let (status, diff, new_bytes) = match (&fix.output, &fix.skipped) {
        (Some(output), None) => {
            let diff = settings
                .diffs
                .then(|| unified_diff(&display, original, output, created));
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
        replacements,
    }
}

pub(super) fn skipped(path: &Path, display: String, settings: &Settings, reason: &str) -> FileResult {
    let fix = FileFix {
        skipped: Some(reason.to_string()),
        ..FileFix::default()
    };
    finish(path.to_path_buf(), display, "", false, None, fix, settings, false)
}
