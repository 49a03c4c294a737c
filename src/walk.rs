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
/// them: reading can start before the walk ends. Returns the problems met on the way.
pub fn walk_each(
    paths: &[PathBuf],
    threads: usize,
    visit: &(dyn Fn(&Path) + Sync),
) -> Result<Vec<WalkProblem>, WalkError> {
    for path in paths {
        if std::fs::symlink_metadata(path).is_err() {
            return Err(WalkError::Missing(path.clone()));
        }
    }
    let problems = Mutex::new(Vec::new());
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
        Box::new(move |entry| {
            match entry {
                Ok(entry) => {
                    let is_file = entry.file_type().is_some_and(|t| t.is_file());
                    if entry.path_is_symlink() {
                        if let Some(message) = symlink_problem(entry.path()) {
                            let path = entry.into_path();
                            problems.lock().expect("walk lock").push(WalkProblem { path, message });
                        }
                    } else if is_file && Lang::from_path(entry.path()).is_some() {
                        visit(entry.path());
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
    Ok(problems)
}

/// Every source file under `paths`, sorted, each once.
pub fn walk(paths: &[PathBuf], threads: usize) -> Result<(Vec<PathBuf>, Vec<WalkProblem>), WalkError> {
    let found = Mutex::new(Vec::new());
    let problems = walk_each(paths, threads, &|path: &Path| {
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

/// Why a symlink met in the walk is not followed, when the user may have expected it to be: a
/// loop, a linked folder, or a linked source file. Links to other files are left unsaid.
/// Symlinks are never followed, so nothing outside the tree is read or written through one.
fn symlink_problem(path: &Path) -> Option<String> {
    let target = std::fs::read_link(path)
        .map(|t| t.display().to_string())
        .unwrap_or_else(|_| "?".into());
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        // ELOOP: the link resolves to itself, directly or through other links.
        Err(error) if error.raw_os_error() == Some(40) => {
            return Some(format!("symlink loop (-> {target}); not followed"));
        }
        // A dangling link: nothing to migrate.
        Err(_) => return None,
    };
    if metadata.is_dir() {
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let resolved = std::fs::canonicalize(path).ok();
        if let (Some(resolved), Ok(parent)) = (resolved, std::fs::canonicalize(parent))
            && parent.starts_with(&resolved)
        {
            return Some(format!("symlink loop (-> {target}, a folder above it); not followed"));
        }
        return Some(format!(
            "symlink to the folder {target}; not followed (run nsa-migrate on the folder itself)"
        ));
    }
    Lang::from_path(path).map(|_| {
        format!("symlink to {target}; not followed (nsa-migrate edits only regular files: run it on the target itself)")
    })
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

/// The path as the user should see it: relative to the current folder when it is under it
/// (never with a leading `./`), else as given; always with forward slashes.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let shown = if path.is_absolute() {
        path.strip_prefix(cwd)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf())
    } else {
        path.components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect()
    };
    let text = shown.to_string_lossy().replace('\\', "/");
    if text.is_empty() { ".".into() } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths_are_relative_without_dot_slash() {
        let cwd = Path::new("/work/app");
        assert_eq!(display_path(Path::new("./src/a.ts"), cwd), "src/a.ts");
        assert_eq!(display_path(Path::new("/work/app/src/a.ts"), cwd), "src/a.ts");
        assert_eq!(display_path(Path::new("/elsewhere/a.ts"), cwd), "/elsewhere/a.ts");
        assert_eq!(display_path(Path::new("../x/a.ts"), cwd), "../x/a.ts");
    }
}
