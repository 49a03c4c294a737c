//! Every transform, file and folder, in the engine's order; see `fuzz/common/mod.rs`.
#![no_main]

#[path = "../common/mod.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::check(None, data));
