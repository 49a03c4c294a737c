use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    nsa_migrate::cli::main_with(nsa_migrate::cli::Args::parse())
}
