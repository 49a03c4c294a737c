//! Atomic writes: a temp file in the same folder, the original's permissions, then a rename.
//! A file that changed on disk since it was read is not overwritten.

use crate::source;
use crate::walk::io_reason;
use std::io::Write;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{0}: changed on disk since it was read; not overwritten — run nsa-migrate again")]
    ChangedSinceRead(String),
    #[error("{0}: exists already (created since the run started); not overwritten")]
    AppearedSinceRead(String),
    #[error("{0}: read-only; not written (make it writable and run again)")]
    ReadOnly(String),
    #[error("{0}: is a symlink; not written through (run nsa-migrate on the file it points to)")]
    Symlink(String),
    #[error("{path}: could not be written: {reason}; the original is intact")]
    Io { path: String, reason: String },
}

/// Replaces (or creates, when `expected` is `None`) `path` with `bytes`, all at once.
pub fn write_atomically(
    path: &Path,
    shown: &str,
    bytes: &[u8],
    expected: Option<(u64, u64)>,
) -> Result<(), WriteError> {
    write_atomically_with(path, shown, bytes, expected, |temp, path| {
        temp.persist(path).map(|_| ()).map_err(|e| e.error)
    })
}

/// [`write_atomically`] with the final rename passed in, so that tests can make it fail.
pub fn write_atomically_with(
    path: &Path,
    shown: &str,
    bytes: &[u8],
    expected: Option<(u64, u64)>,
    rename: impl FnOnce(tempfile::NamedTempFile, &Path) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    let io = |error: std::io::Error| WriteError::Io {
        path: shown.to_string(),
        reason: io_reason(&error),
    };
    // A rename would replace the link itself with a regular file: refuse rather than guess.
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(WriteError::Symlink(shown.to_string()));
    }
    let permissions = match expected {
        Some(fingerprint) => {
            let metadata = std::fs::metadata(path).map_err(io)?;
            if metadata.permissions().readonly() {
                return Err(WriteError::ReadOnly(shown.to_string()));
            }
            let current = std::fs::read(path).map_err(io)?;
            if source::fingerprint(&current) != fingerprint {
                return Err(WriteError::ChangedSinceRead(shown.to_string()));
            }
            Some(metadata.permissions())
        }
        None => {
            if path.exists() {
                return Err(WriteError::AppearedSinceRead(shown.to_string()));
            }
            None
        }
    };
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".nsa-migrate-")
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(io)?;
    temp.write_all(bytes).map_err(io)?;
    temp.as_file().sync_all().map_err(io)?;
    let permissions = permissions.unwrap_or_else(default_permissions);
    temp.as_file().set_permissions(permissions).map_err(io)?;
    // A temp file that was not renamed is deleted when dropped, so none is left behind.
    rename(temp, path).map_err(io)?;
    Ok(())
}

#[cfg(unix)]
fn default_permissions() -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    std::fs::Permissions::from_mode(0o644)
}

#[cfg(not(unix))]
fn default_permissions() -> std::fs::Permissions {
    std::fs::metadata(".")
        .map(|m| m.permissions())
        .expect("the current folder is readable")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(folder: &Path) -> Vec<String> {
        std::fs::read_dir(folder)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".nsa-migrate-"))
            .collect()
    }

    #[test]
    fn a_failed_rename_leaves_the_original_and_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ts");
        std::fs::write(&path, "old\n").unwrap();
        let expected = Some(source::fingerprint(b"old\n"));
        let error = write_atomically_with(&path, "a.ts", b"new\n", expected, |temp, _| {
            // The temp file is complete and beside the original when the rename fails.
            assert_eq!(std::fs::read(temp.path()).unwrap(), b"new\n");
            Err(std::io::Error::other("simulated rename failure"))
        })
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "a.ts: could not be written: simulated rename failure; the original is intact"
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"old\n");
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ts");
        std::fs::write(&path, "edited by someone else\n").unwrap();
        let error = write_atomically(&path, "a.ts", b"new\n", Some(source::fingerprint(b"old\n"))).unwrap_err();
        assert!(matches!(error, WriteError::ChangedSinceRead(_)), "{error}");
        assert_eq!(std::fs::read(&path).unwrap(), b"edited by someone else\n");
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.ts");
        std::fs::write(&target, "old\n").unwrap();
        let link = dir.path().join("link.ts");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let error = write_atomically(&link, "link.ts", b"new\n", Some(source::fingerprint(b"old\n"))).unwrap_err();
        assert!(matches!(error, WriteError::Symlink(_)), "{error}");
        assert_eq!(std::fs::read(&target).unwrap(), b"old\n");
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    }
}
