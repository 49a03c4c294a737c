//! The allocator. A parse allocates a node at a time: with glibc's malloc, allocation was about
//! a tenth of a run. mimalloc serves both Rust (`#[global_allocator]` in the binaries) and
//! tree-sitter's C code (installed here).

use std::ffi::c_void;

/// Routes tree-sitter's allocations to mimalloc. Call it first thing in `main`, before any
/// tree-sitter object exists; the binaries do, and tests run with tree-sitter's default.
pub fn install_for_tree_sitter() {
    let allocator = tree_sitter::Allocator {
        malloc: ts_malloc,
        calloc: ts_calloc,
        realloc: ts_realloc,
        free: ts_free,
    };
    // SAFETY: one allocator family (mimalloc) for all four functions, which never return null
    // (they abort instead, as tree-sitter's default does) and align as malloc does; called from
    // `main` before any other tree-sitter call, while no other thread exists.
    unsafe { tree_sitter::set_allocator(Some(allocator)) }
}

/// mimalloc's `mi_option_purge_delay` (its place in `mi_option_e`, mimalloc.h; the Rust binding
/// names the options around it but not this one). A test checks it holds that option's default.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Gives freed memory back to the system after 50 ms instead of mimalloc 3's 1,000: a run frees
/// trees, texts and oxc arenas at a high rate, and the pages kept for a second were a fifth of
/// its peak memory (20,000 files: 99 MiB → 79 MiB, in the same time). A run shorter than the
/// delay never pays for purging (at 1 ms, a one-file run spent twice the system time on it).
/// Call it first thing in `main`.
pub fn return_freed_memory_promptly() {
    // SAFETY: sets one option of the allocator; allowed at any time, from any thread.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 50) }
}

fn non_null(pointer: *mut c_void, size: usize) -> *mut c_void {
    if pointer.is_null() && size != 0 {
        eprintln!("nsa-migrate: out of memory ({size} bytes)");
        std::process::abort();
    }
    pointer
}

unsafe extern "C" fn ts_malloc(size: usize) -> *mut c_void {
    // SAFETY: plain C allocation.
    non_null(unsafe { libmimalloc_sys::mi_malloc(size) }, size)
}

unsafe extern "C" fn ts_calloc(count: usize, size: usize) -> *mut c_void {
    let Some(bytes) = count.checked_mul(size) else {
        return non_null(std::ptr::null_mut(), usize::MAX);
    };
    // SAFETY: plain C allocation, zeroed as calloc's is.
    non_null(unsafe { libmimalloc_sys::mi_zalloc(bytes) }, bytes)
}

unsafe extern "C" fn ts_realloc(pointer: *mut c_void, size: usize) -> *mut c_void {
    // SAFETY: `pointer` came from this allocator (tree-sitter frees and reallocates only its own).
    non_null(unsafe { libmimalloc_sys::mi_realloc(pointer, size) }, size)
}

unsafe extern "C" fn ts_free(pointer: *mut c_void) {
    // SAFETY: as for realloc.
    unsafe { libmimalloc_sys::mi_free(pointer) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // mimalloc 3's default purge delay is 1,000 ms (options.c; mimalloc.h still says 10); no
        // neighbour of it in `mi_option_e` defaults to 1,000, so a shifted numbering fails here.
        // SAFETY: reads an option.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }, 1000);
    }
}
