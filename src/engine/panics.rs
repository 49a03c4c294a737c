//! A panic on one file becomes a finding for that file, not a dead run: the work runs under
//! `catch_unwind`, and a panic hook keeps such panics quiet on stderr.

use std::cell::{Cell, RefCell};
use std::panic::{AssertUnwindSafe, catch_unwind};

thread_local! {
    /// Set while this thread runs code under [`catching`]: its panics become findings.
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    /// Where the last caught panic of this thread happened.
    static PANIC_LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs (once) a panic hook that keeps quiet about the panics [`catching`] turns into
/// findings, rather than printing a message and a backtrace hint on stderr for each; every other
/// panic goes to the hook that was there before.
pub(crate) fn quiet_caught_panics() {
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
pub(crate) fn catching<T>(work: impl FnOnce() -> T) -> Result<T, String> {
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
