//! oidcat: inspect and verify OpenID Connect tokens.
//!
//! The library holds everything; `main.rs` only calls [`run`]. This file
//! parses arguments, decides colour once, dispatches, and hands the
//! [`Exit`](error::Exit) a command returned (or its error's category) to the
//! operating system.

// Printing happens only in `report/` and in `serve`'s access log
// (`serve/log.rs`), which allow these lints; everything else returns data or
// sends a `note::Note`.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod cache;
pub mod claims;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod error;
pub mod github;
pub mod http;
pub mod input;
pub mod issuer;
pub mod json;
pub mod jwt;
pub mod keys;
pub mod mistakes;
pub mod note;
pub mod policy;
pub mod report;
pub mod sanitize;
pub mod serve;
pub mod sign;
pub mod surrogate;
pub mod verify;

use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::error::Exit;
use crate::report::Out;

/// Parses the command line, runs the subcommand, and returns its exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::parse_args(std::env::args_os().collect()) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap: help and version exit 0; everything else is a usage error.
            return if e.use_stderr() {
                Exit::Usage
            } else {
                Exit::Ok
            }
            .into();
        }
    };
    let out = Out::from_args(&cli.global);
    let exit = match dispatch(&cli, &out) {
        Ok(exit) => exit,
        Err(err) => {
            out.fail(&err);
            err.exit()
        }
    };
    exit.into()
}

fn dispatch(cli: &Cli, out: &Out) -> error::Result<Exit> {
    use commands::*;
    mistakes::check_arguments(cli)?;
    match &cli.command {
        Command::Decode(a) => decode::run(a, out),
        Command::Discover(a) => discover::run(a, &cli.global, out),
        Command::Jwks(a) => jwks::run(a, &cli.global, out),
        Command::Verify(a) => verify::run(a, &cli.global, out),
        Command::Token(a) => token::run(a, &cli.global, out),
        Command::Serve(a) => serve::run(a, &cli.global, out),
        Command::Policy(a) => policy::run(a, &cli.global, out),
        Command::Sign(a) => {
            let token = sign::run(a)?;
            if out.is_json() {
                out.json(&serde_json::json!({ "token": token }));
            } else {
                Out::stdout(&token);
            }
            Ok(Exit::Ok)
        }
        Command::Keygen(a) => {
            Out::stdout(&keygen::run(a)?);
            Ok(Exit::Ok)
        }
        Command::Completions { shell } => {
            Out::stdout(&String::from_utf8_lossy(&generate::completions(*shell)));
            Ok(Exit::Ok)
        }
        Command::Man { subcommand } => {
            let page = generate::man(subcommand.as_deref()).map_err(|e| {
                error::Error::caused_by(error::Kind::Io, format!("man page: {e}"), e)
            })?;
            Out::stdout(&String::from_utf8_lossy(&page));
            Ok(Exit::Ok)
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
