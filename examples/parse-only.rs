//! The reference pass of the benchmark: walk + read + tree-sitter parse of every file, no
//! prefilter and no transforms, built from the engine's own walker, grammars and thread pool.
//!
//! `cargo run --release --example parse-only -- [--jobs N] PATH...`

use nsa_migrate::parse::{Lang, Parsers};
use rayon::prelude::*;
use std::path::PathBuf;

// The same allocators as the binary: the reference is built from the same code.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    nsa_migrate::alloc::install_for_tree_sitter();
    nsa_migrate::alloc::return_freed_memory_promptly();
    let mut jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut paths = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--jobs" | "-j" => jobs = args.next().and_then(|n| n.parse().ok()).unwrap_or(jobs),
            _ => paths.push(PathBuf::from(arg)),
        }
    }
    if paths.is_empty() {
        paths.push(PathBuf::from("."));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .expect("thread pool");
    let (parsed, errors) = pool.install(|| {
        let (sources, _) = nsa_migrate::walk::walk(&paths, jobs).expect("paths exist");
        sources
            .par_iter()
            .with_max_len(1)
            .map_init(Parsers::new, |parsers, source| {
                let Some(lang) = Lang::from_path(source) else {
                    return (0, 0);
                };
                let Ok(text) = std::fs::read_to_string(source) else {
                    return (0, 1);
                };
                match parsers.parse(lang, &text, None) {
                    Some(tree) if !tree.root_node().has_error() => (1, 0),
                    _ => (1, 1),
                }
            })
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    });
    println!("parsed {parsed} files, {errors} with errors or unreadable");
}
