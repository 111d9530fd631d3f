//! oidcat: inspect and verify OpenID Connect tokens.
//!
//! The library holds everything; `main.rs` only calls [`run`]. This file
//! parses arguments, decides colour once, dispatches, and is the one place
//! that turns errors into exit codes.

pub mod cache;
pub mod claims;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod error;
pub mod fastargs;
pub mod github;
pub mod http;
pub mod input;
pub mod issuer;
pub mod json;
pub mod jwt;
pub mod keys;
pub mod policy;
pub mod report;
pub mod sanitize;
pub mod serve;
pub mod sign;
pub mod verify;

use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::error::EXIT_USAGE;
use crate::report::Out;

/// Parses the command line, runs the subcommand, and returns its exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::parse_args(std::env::args_os().collect()) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap: help and version exit 0; everything else is a usage error.
            return ExitCode::from(if e.use_stderr() { EXIT_USAGE } else { 0 });
        }
    };
    let out = Out::from_args(&cli.global);
    let code = match dispatch(&cli, &out) {
        Ok(code) => code,
        Err(err) => {
            out.fail(&err);
            err.exit_code()
        }
    };
    ExitCode::from(code)
}

fn dispatch(cli: &Cli, out: &Out) -> error::Result<u8> {
    use commands::*;
    match &cli.command {
        Command::Decode(a) => decode::run(a, out),
        Command::Discover(a) => discover::run(a, &cli.global, out),
        Command::Jwks(a) => jwks::run(a, &cli.global, out),
        Command::Verify(a) => verify::run(a, &cli.global, out),
        Command::Token(a) => token::run(a, &cli.global, out),
        Command::Serve(a) => serve::run(a, &cli.global, out),
        Command::Sign(a) => {
            let token = sign::run(a)?;
            if out.is_json() {
                out.json(&serde_json::json!({ "token": token }));
            } else {
                Out::stdout(&token);
            }
            Ok(0)
        }
        Command::Keygen(a) => {
            Out::stdout(&keygen::run(a)?);
            Ok(0)
        }
        Command::Completions { shell } => {
            Out::stdout(&String::from_utf8_lossy(&generate::completions(*shell)));
            Ok(0)
        }
        Command::Man => {
            let page = generate::man().map_err(|e| error::Error::io(format!("man page: {e}")))?;
            Out::stdout(&String::from_utf8_lossy(&page));
            Ok(0)
        }
    }
}

// No #[global_allocator]: mimalloc (v3) was measured here and removed. It saved
// ~2 us per RS256 verification in `cargo bench --bench verify` (26.1 -> 24.2),
// but at every process start it read ~30 options from the environment,
// reserved a 1 GiB arena and madvise(MADV_HUGEPAGE)d it, so the first
// allocations faulted in and zeroed two 2 MiB huge pages: ~25% of the
// one-shot `oidcat --version`/`verify` CPU time (perf: clear_page_erms).
// With glibc malloc a cached `oidcat verify` ran in 1.45 ms instead of 2.09 ms
// (hyperfine minimum, bench/cli-vs-jwt.sh setup).
