//! The only code that writes to stdout and stderr (besides `serve`'s access
//! log): commands hand it data, the library hands it [`Note`]s, and it
//! decides colour once and prints text or JSON. The crate denies clippy's
//! `print_stdout` / `print_stderr` everywhere else (lib.rs).
#![allow(clippy::print_stdout, clippy::print_stderr)]

pub mod decode;
pub mod discover;
pub mod jwks;
pub mod policy;
pub mod pretty;
pub mod verdict;

use std::io::{IsTerminal, Write};

use colored::Colorize;
use serde::Serialize;

use serde_json::Value;

use crate::cli::{ColorChoice, GlobalArgs, OutputFormat};
use crate::clock;
use crate::error::Error;
use crate::note::{Note, Notes};

/// Output settings decided once at start-up.
#[derive(Debug, Clone)]
pub struct Out {
    pub format: OutputFormat,
    pub quiet: bool,
    pub verbose: bool,
}

/// `--color`, then NO_COLOR / CLICOLOR_FORCE, then whether stdout is a terminal.
pub fn decide_color(choice: ColorChoice, stdout_is_tty: bool) -> bool {
    let env_set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if env_set("NO_COLOR") {
                false
            } else if std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0")
            {
                true
            } else {
                stdout_is_tty
            }
        }
    }
}

impl Out {
    pub fn from_args(g: &GlobalArgs) -> Self {
        // Colour is global to the process (the `colored` crate reads it).
        colored::control::set_override(decide_color(g.color, std::io::stdout().is_terminal()));
        Out {
            format: g.output,
            quiet: g.quiet,
            verbose: g.verbose,
        }
    }

    pub fn is_json(&self) -> bool {
        self.format == OutputFormat::Json
    }

    /// Prints text to stdout unless `--quiet`. A closed pipe is not an error.
    pub fn print(&self, text: &str) {
        if self.quiet {
            return;
        }
        Self::stdout(text);
    }

    /// Prints to stdout even under `--quiet` (the data the user asked for, e.g. a token).
    pub fn stdout(text: &str) {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        if !text.ends_with('\n') {
            let _ = out.write_all(b"\n");
        }
        let _ = out.flush();
    }

    /// One JSON document on stdout (always printed: scripts read it).
    pub fn json<T: Serialize>(&self, doc: &T) {
        match serde_json::to_string_pretty(doc) {
            Ok(s) => Self::stdout(&s),
            Err(e) => self.error_line(&format!("could not serialise output: {e}")),
        }
    }

    pub fn warn(&self, msg: &str) {
        if self.quiet {
            return;
        }
        eprintln!("{} {}", "warning:".yellow().bold(), msg);
    }

    /// Diagnostics for `-v`.
    pub fn debug(&self, msg: &str) {
        if self.verbose {
            eprintln!("{} {}", "*".dimmed(), msg);
        }
    }

    /// A sink that prints notes the way the command line shows them:
    /// [`Note::Trace`] and [`Note::Detail`] only under `-v`.
    pub fn notes(&self) -> Notes {
        notes(self.verbose)
    }

    /// A workflow command for the GitHub Actions runner, alone on its line
    /// on stderr (the runner reads both streams), even under `--quiet`.
    pub fn workflow_command(&self, command: &str) {
        eprintln!("{command}");
    }

    pub fn error_line(&self, msg: &str) {
        eprintln!("{} {}", "error:".red().bold(), msg);
    }

    /// Reports a failure: JSON `{"error": {...}}` on stdout in JSON mode (one
    /// document, also on failure), and always one line on stderr.
    pub fn fail(&self, err: &Error) {
        if self.is_json() {
            self.json(&serde_json::json!({
                "error": {"kind": err.kind, "message": err.message}
            }));
        }
        self.error_line(&err.message);
    }
}

/// Prints one note on stderr, uncoloured: `serve`'s lines share the stream
/// with its access log.
pub fn print_note(note: &Note, verbose: bool) {
    match note {
        Note::Trace(t) if verbose => eprintln!("* {t}"),
        Note::Detail(t) if verbose => eprintln!("{t}"),
        Note::Trace(_) | Note::Detail(_) => {}
        Note::Warning(t) => eprintln!("warning: {t}"),
        Note::Status(t) => eprintln!("{t}"),
    }
}

/// A sink printing with [`print_note`], `-v` deciding the diagnostics
/// (the command line's and `serve`'s).
pub fn notes(verbose: bool) -> Notes {
    Notes::new(move |n| print_note(&n, verbose))
}

/// Note for a time claim in text output: RFC 3339 and a relative phrase.
pub fn time_note(name: &str, value: &Value, now: i64) -> Option<String> {
    if !matches!(name, "exp" | "nbf" | "iat" | "auth_time") {
        return None;
    }
    let at = match clock::numeric_date(Some(value)) {
        Ok(Some(at)) => at,
        Ok(None) => return None,
        Err(e) => return Some(format!("{name} {e}")),
    };
    let when = clock::rfc3339(at);
    let rel = clock::relative(at, now);
    Some(match name {
        "exp" if at <= now => format!("{when} (expired {rel})"),
        "exp" => format!("{when} (expires {rel})"),
        "nbf" if at > now => format!("{when} (not valid until {rel})"),
        _ => format!("{when} ({rel})"),
    })
}
