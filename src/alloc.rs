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
