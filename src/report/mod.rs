//! The only code that writes to stdout and stderr. Formatters elsewhere return
//! data; this module decides colour once and prints text or JSON.

pub mod pretty;
pub mod verdict;

use std::io::{IsTerminal, Write};

use colored::Colorize;
use serde::Serialize;

use crate::cli::{ColorChoice, GlobalArgs, OutputFormat};
use crate::error::Error;

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
