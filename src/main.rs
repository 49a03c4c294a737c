use clap::Parser;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    nsa_migrate::alloc::install_for_tree_sitter();
    nsa_migrate::alloc::return_freed_memory_promptly();
    nsa_migrate::cli::main_with(nsa_migrate::cli::Args::parse())
}
