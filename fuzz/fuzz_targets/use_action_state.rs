//! use-action-state on any input; see `fuzz/common/mod.rs` for the properties checked.
#![no_main]

#[path = "../common/mod.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::check(Some("use-action-state"), data));
