//! The floor of row 6 of the benchmark: how long tree-sitter takes to compile the one query a
//! `useFormState` candidate's rule needs (use-action-state's, for the TSX grammar), timed in one
//! process so that no start-up is counted. tree-sitter analyses the grammar's whole parse table
//! for every query it compiles, whatever the pattern, so a run with one candidate pays this on
//! top of what a run with none costs.
//!
//! `cargo run --release --example query-compile -- [COMPILES]`   # prints the median in ms

use nsa_migrate::parse::Lang;
use std::time::Instant;

// The same allocators as the binary: the compile allocates as it does there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const QUERY: &str = include_str!("../transforms/use-action-state.scm");

fn main() {
    nsa_migrate::alloc::install_for_tree_sitter();
    nsa_migrate::alloc::return_freed_memory_promptly();
    let compiles: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(20);
    let mut times: Vec<f64> = (0..compiles.max(1))
        .map(|_| {
            let start = Instant::now();
            let query = tree_sitter::Query::new(Lang::Tsx.language(), QUERY);
            let elapsed = start.elapsed().as_secs_f64() * 1000.0;
            if let Err(error) = query {
                eprintln!("query-compile: the query does not compile: {error}");
                std::process::exit(1);
            }
            elapsed
        })
        .collect();
    // The first compile reads the grammar's tables from memory, as the one compile of a run does.
    let first = times[0];
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!(
        "compiles={} first_ms={first:.3} median_ms={median:.3} min_ms={:.3} max_ms={:.3}",
        times.len(),
        times[0],
        times[times.len() - 1]
    );
}
