//! Which files to look at: the PATH arguments walked in parallel with the `ignore` crate,
//! honouring .gitignore/.ignore and always skipping node_modules, .next and .git.

use crate::parse::Lang;
use ignore::{WalkBuilder, WalkState};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Folders never entered, whatever the ignore files say.
pub const ALWAYS_SKIPPED: &[&str] = &["node_modules", ".next", ".git"];

#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error("{0}: no such file or folder")]
    Missing(PathBuf),
}

/// Walk problems that are not fatal (an unreadable folder, a symlink loop): reported, and the
/// walk goes on.
#[derive(Debug, Clone)]
pub struct WalkProblem {
    pub path: PathBuf,
    pub message: String,
}

/// Calls `visit` with every source file under `paths`, from the walker's threads, as it finds
/// them: reading can start before the walk ends. Returns the problems met on the way, and the
/// package.json files met (the version check reads them).
///
/// Symlinks met in the walk are neither followed nor reported, as ripgrep does: a linked
/// folder is usually a shared package seen elsewhere in the tree, or something outside it. A
/// PATH argument that is a symlink is followed.
pub fn walk_each(
    paths: &[PathBuf],
    threads: usize,
    visit: &(dyn Fn(&Path) + Sync),
) -> Result<(Vec<WalkProblem>, Vec<PathBuf>), WalkError> {
    for path in paths {
        if std::fs::symlink_metadata(path).is_err() {
            return Err(WalkError::Missing(path.clone()));
        }
    }
    let problems = Mutex::new(Vec::new());
    let manifests = Mutex::new(Vec::new());
    let mut builder = WalkBuilder::new(&paths[0]);
    for path in &paths[1..] {
        builder.add(path);
    }
    builder
        .threads(threads)
        .hidden(false)
        .parents(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .ignore(true)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            !(is_dir && entry.depth() > 0 && entry.file_name().to_str().is_some_and(|n| ALWAYS_SKIPPED.contains(&n)))
        });
    builder.build_parallel().run(|| {
        let problems = &problems;
        let manifests = &manifests;
        Box::new(move |entry| {
            match entry {
                Ok(entry) => {
                    // A root given as a symlink is followed (its entry has depth 0); links below
                    // it are not, and say nothing.
                    let is_file = if entry.depth() == 0 {
                        entry.path().is_file()
                    } else {
                        entry.file_type().is_some_and(|t| t.is_file())
                    };
                    let linked = entry.path_is_symlink() && entry.depth() > 0;
                    if linked {
                        // Not followed, not reported.
                    } else if is_file && Lang::from_path(entry.path()).is_some() {
                        visit(entry.path());
                    } else if is_file && entry.file_name() == "package.json" {
                        manifests.lock().expect("walk lock").push(entry.into_path());
                    } else if is_file && is_leftover_temp_file(entry.path()) {
                        let path = entry.into_path();
                        let message = "a temp file left by an nsa-migrate run that was killed while writing; \
                                       the file beside it is whole — delete this one"
                            .to_string();
                        problems.lock().expect("walk lock").push(WalkProblem { path, message });
                    }
                }
                Err(error) => {
                    let path = error_path(&error).unwrap_or_default();
                    let message = describe(&error);
                    problems.lock().expect("walk lock").push(WalkProblem { path, message });
                }
            }
            WalkState::Continue
        })
    });
    let mut problems = problems.into_inner().expect("walk lock");
    problems.sort_by(|a, b| a.path.cmp(&b.path));
    let mut manifests = manifests.into_inner().expect("walk lock");
    manifests.sort();
    Ok((problems, manifests))
}

/// Every source file under `paths`, sorted, each once.
pub fn walk(paths: &[PathBuf], threads: usize) -> Result<(Vec<PathBuf>, Vec<WalkProblem>), WalkError> {
    let found = Mutex::new(Vec::new());
    let (problems, _) = walk_each(paths, threads, &|path: &Path| {
        found.lock().expect("walk lock").push(path.to_path_buf())
    })?;
    let mut found = found.into_inner().expect("walk lock");
    found.sort();
    found.dedup();
    Ok((found, problems))
}

/// `write::write_atomically`'s temp files (`.nsa-migrate-XXXXXX.tmp`): one can only outlive its
/// run when the run was killed (SIGKILL, power loss) in the middle of a write.
fn is_leftover_temp_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with(".nsa-migrate-") && n.ends_with(".tmp"))
}

fn error_path(error: &ignore::Error) -> Option<PathBuf> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => error_path(err),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::Partial(errors) => errors.first().and_then(error_path),
        _ => None,
    }
}

fn describe(error: &ignore::Error) -> String {
    match error {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => describe(err),
        ignore::Error::Loop { ancestor, .. } => {
            format!("symlink loop back to {}; not followed", ancestor.display())
        }
        ignore::Error::Io(io) => format!("could not be read: {}", io_reason(io)),
        other => other.to_string(),
    }
}

/// A short reason for an I/O error, without the "(os error 13)" noise.
pub fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "it no longer exists".into(),
        _ => {
            let text = error.to_string();
            text.split(" (os error").next().unwrap_or(&text).to_lowercase()
        }
    }
}

/// The path as the user should see it: relative to the current folder (`../package.json` for a
/// parent, never with a leading `./`); always with forward slashes.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let shown = if path.is_absolute() {
        relative_to(&lexical(path), &lexical(cwd))
    } else {
        path.components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect()
    };
    let text = shown.to_string_lossy().replace('\\', "/");
    if text.is_empty() { ".".into() } else { text }
}

/// `path` without `.` and with each `..` taken back (lexically: for display only).
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` relative to `base`, both absolute: `..` for each folder of `base` not shared.
fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let path_parts: Vec<_> = path.components().collect();
    let base_parts: Vec<_> = base.components().collect();
    let shared = path_parts.iter().zip(&base_parts).take_while(|(a, b)| a == b).count();
    // Nothing in common (another drive): no relative path exists.
    if shared == 0 {
        return path.to_path_buf();
    }
    let mut out = PathBuf::new();
    for _ in shared..base_parts.len() {
        out.push("..");
    }
    for part in &path_parts[shared..] {
        out.push(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths_are_relative_without_dot_slash() {
        let cwd = Path::new("/work/app");
        assert_eq!(display_path(Path::new("./src/a.ts"), cwd), "src/a.ts");
        assert_eq!(display_path(Path::new("/work/app/src/a.ts"), cwd), "src/a.ts");
        assert_eq!(display_path(Path::new("/elsewhere/a.ts"), cwd), "../../elsewhere/a.ts");
        assert_eq!(display_path(Path::new("/work/package.json"), cwd), "../package.json");
        assert_eq!(display_path(Path::new("/work/other/x.ts"), cwd), "../other/x.ts");
        assert_eq!(display_path(Path::new("/work/app/../lib/x.ts"), cwd), "../lib/x.ts");
        assert_eq!(display_path(Path::new("/work/app"), cwd), ".");
        assert_eq!(display_path(Path::new("../x/a.ts"), cwd), "../x/a.ts");
    }
}
