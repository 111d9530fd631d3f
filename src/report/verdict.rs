//! Text rendering of a [`Verdict`]: one line per check, the claims (marked
//! unverified unless valid), and the verdict line.

use colored::Colorize;
use serde_json::Value;

use super::{Out, pretty};
use crate::verify::Verdict;

/// Prints `verify`'s result: the JSON document (`-o json`, then the reason
/// on stderr), the text report, or under `--quiet` only the reason of a
/// rejection.
pub fn show(out: &Out, v: &Verdict, now: i64) {
    if out.is_json() {
        out.json(v);
    } else {
        // nothing under -q
        out.print(&text(v, now));
    }
    // The one-line reason on stderr in every output mode, so
    // `oidcat verify ... >/dev/null` still says why.
    if let Some(e) = &v.error {
        out.error_line(&format!(
            "{} ({}): {}",
            v.word(),
            e.kind,
            crate::sanitize::escape(&e.message)
        ));
    }
}

pub fn text(v: &Verdict, now: i64) -> String {
    let width = v
        .checks
        .iter()
        .map(|c| c.check.as_str().len())
        .max()
        .unwrap_or(0);
    let mut s = String::new();
    for c in &v.checks {
        let mark = if c.ok {
            "✓".green().bold()
        } else {
            "✗".red().bold()
        };
        s.push_str(&format!(
            "{mark} {:<width$}  {}\n",
            c.check,
            crate::sanitize::escape(&c.detail)
        ));
    }
    if let Some(claims) = v.claims.as_ref().map(|c| c.map()) {
        let label = if v.valid {
            "Claims:".bold()
        } else {
            "Claims (NOT verified, do not trust):".yellow().bold()
        };
        let note = |k: &str, val: &Value| super::time_note(k, val, now);
        s.push_str(&format!("{label}\n{}\n", pretty::object(claims, &note)));
    }
    match (&v.error, v.valid) {
        (None, true) => s.push_str(&format!(
            "{}",
            "VALID: the signature and every check hold".green().bold()
        )),
        (Some(e), _) => s.push_str(&format!(
            "{} ({}): {}",
            v.word().red().bold(),
            e.kind,
            crate::sanitize::escape(&e.message)
        )),
        (None, false) => s.push_str(&format!("{}", "REJECTED".red().bold())),
    }
    s
}
