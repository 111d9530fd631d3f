//! Text rendering of a [`Verdict`]: one line per check, the claims (marked
//! unverified unless valid), and the verdict line.

use colored::Colorize;
use serde_json::Value;

use super::pretty;
use crate::verify::Verdict;

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
        let note = |k: &str, val: &Value| crate::commands::time_note(k, val, now);
        s.push_str(&format!("{label}\n{}\n", pretty::object(claims, &note)));
    }
    match (&v.error, v.valid) {
        (None, true) => s.push_str(&format!(
            "{}",
            "VALID: the signature and every check hold".green().bold()
        )),
        (Some(e), _) => s.push_str(&format!(
            "{} ({}): {}",
            "REJECTED".red().bold(),
            e.kind,
            crate::sanitize::escape(&e.message)
        )),
        (None, false) => s.push_str(&format!("{}", "REJECTED".red().bold())),
    }
    s
}
