//! Test hooks: environment variables that only the tests set, each honoured in one place, so a
//! test can make a rare event happen on cue. Unset (always, outside tests), they change nothing.
//! They exist in debug builds (what `cargo test` runs) and with the `test-hooks` feature
//! (`cargo test --release --features test-hooks`); a release build compiles them to nothing, so
//! the shipped binary neither reads these variables nor can be made to panic or pause by them.
//!
//! - `NSA_MIGRATE_PANIC_ON=<file name>`: a panic while transforming every file of that name,
//!   between two transforms (in `apply::fix_to_fixpoint`). Tests panic isolation.
//! - `NSA_MIGRATE_PAUSE_BEFORE_WRITE=<folder>`, with `NSA_MIGRATE_PAUSE_AT=<n>` (default 0):
//!   `--write` creates `<folder>/paused` before writing its n-th file (0-based, in path order),
//!   then waits up to 60 s for `<folder>/resume`. Tests a file changed between the read and the
//!   write, and a kill in the middle of the writes.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Whether this build honours the hooks: a constant, so a release build drops their code.
const ENABLED: bool = cfg!(any(debug_assertions, feature = "test-hooks"));

fn panic_on() -> Option<&'static str> {
    static NAME: OnceLock<Option<String>> = OnceLock::new();
    NAME.get_or_init(|| std::env::var("NSA_MIGRATE_PANIC_ON").ok().filter(|n| !n.is_empty()))
        .as_deref()
}

/// Panics when `path` is the file `NSA_MIGRATE_PANIC_ON` names.
pub fn maybe_panic(path: &Path) {
    if !ENABLED {
        return;
    }
    if let Some(name) = panic_on()
        && path.file_name().is_some_and(|n| n == name)
    {
        panic!("test hook NSA_MIGRATE_PANIC_ON={name}");
    }
}

/// Pauses before the `index`-th write when `NSA_MIGRATE_PAUSE_BEFORE_WRITE` asks for it.
pub fn before_write(index: usize) {
    if !ENABLED {
        return;
    }
    let Some(folder) = std::env::var_os("NSA_MIGRATE_PAUSE_BEFORE_WRITE").map(PathBuf::from) else {
        return;
    };
    let at = std::env::var("NSA_MIGRATE_PAUSE_AT")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    if index != at {
        return;
    }
    let _ = std::fs::write(folder.join("paused"), b"");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !folder.join("resume").exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
}
