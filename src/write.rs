//! Atomic writes: a temp file in the same folder, the original's permissions, then a rename.
//! A file that changed on disk since it was read is not overwritten.

use crate::engine::fingerprint_of;
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
    let io = |error: std::io::Error| WriteError::Io {
        path: shown.to_string(),
        reason: io_reason(&error),
    };
    let permissions = match expected {
        Some(fingerprint) => {
            let metadata = std::fs::metadata(path).map_err(io)?;
            if metadata.permissions().readonly() {
                return Err(WriteError::ReadOnly(shown.to_string()));
            }
            let current = std::fs::read(path).map_err(io)?;
            if fingerprint_of(&current) != fingerprint {
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
    // Dropping a temp file that was not persisted deletes it, so no temp file is left behind.
    temp.persist(path).map_err(|e| io(e.error))?;
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
