//! GitHub Actions: workflow commands and step files. Everything written here
//! is escaped the way the runner expects, and claims reach `$GITHUB_OUTPUT`
//! only from a verified token (docs/hostile-inputs.md G1, G2).

use std::io::Write;

use crate::claims::Claims;

use crate::policy;
use crate::verify::Verdict;

/// True inside a GitHub Actions job.
pub fn in_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// The runner's escaping for workflow command data (`%`, CR, LF).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// `::error::reason` (one line, never the token).
pub fn error_command(reason: &str) -> String {
    format!("::error::oidcat: {}", escape_data(reason))
}

/// `::warning::message` (one line).
pub fn warning_command(message: &str) -> String {
    format!("::warning::oidcat: {}", escape_data(message))
}

fn random_delimiter() -> String {
    let mut bytes = [0u8; 16];
    // getrandom failing is not fatal: a time-based delimiter is still checked against the value.
    if getrandom::fill(&mut bytes).is_err() {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        bytes = t.to_le_bytes();
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("ghadelimiter_{hex}")
}

/// Output names: letters, digits, `-`, `_` (a dotted claim path becomes `a_b`).
fn output_name(claim: &str) -> String {
    claim
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Why a step file was not written. The texts name the claim escaped for
/// the terminal: they are printed on stderr and in workflow commands (a raw
/// newline in a claim name would start a workflow command of its own).
#[derive(Debug, thiserror::Error)]
pub enum StepFileError {
    #[error("--github-output {claim}: the value contains the delimiter; refused")]
    DelimiterInValue { claim: String },
    #[error("${var} is not set (not in a GitHub Actions job?); nothing written")]
    NotSet { var: String },
    #[error("${var} ({path}): {source}")]
    Write {
        var: String,
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// What `--github-output` writes for a *verified* token: the step-file text,
/// and the names (escaped) of the claims the token lacks, which are written
/// as empty outputs (a job without an `environment:` has no `environment`).
#[derive(Debug, Default)]
pub struct Outputs {
    pub text: String,
    pub absent: Vec<String>,
}

/// The `$GITHUB_OUTPUT` text for the named claims of a *verified* token.
pub fn outputs(claims: &Claims, names: &[String]) -> Result<Outputs, StepFileError> {
    let mut out = Outputs::default();
    for name in names {
        let claim = || crate::sanitize::escape(name);
        let value = match claims.lookup(name) {
            Some(v) => policy::joined_text(&v),
            None => {
                out.absent.push(claim());
                String::new()
            }
        };
        let delim = random_delimiter();
        if value.contains(&delim) {
            return Err(StepFileError::DelimiterInValue { claim: claim() });
        }
        out.text.push_str(&format!(
            "{}<<{delim}\n{value}\n{delim}\n",
            output_name(name)
        ));
    }
    Ok(out)
}

fn md(s: &str) -> String {
    crate::sanitize::escape(s)
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('`', "'")
}

/// A Markdown summary of the checks and claims.
pub fn summary(v: &Verdict) -> String {
    let mut s = format!(
        "### oidcat verify: {}\n\n| check | result | detail |\n|---|---|---|\n",
        if v.valid { "✅ valid" } else { "❌ rejected" }
    );
    for c in &v.checks {
        s.push_str(&format!(
            "| {} | {} | {} |\n",
            md(c.check.as_str()),
            if c.ok { "✅" } else { "❌" },
            md(&c.detail)
        ));
    }
    if let Some(claims) = v.claims.as_ref().map(|c| c.map()) {
        s.push_str(&format!(
            "\n| claim{} | value |\n|---|---|\n",
            if v.valid { "" } else { " (unverified)" }
        ));
        for (k, val) in claims {
            s.push_str(&format!("| {} | {} |\n", md(k), md(&policy::text(val))));
        }
    }
    s.push('\n');
    s
}

/// Appends to the file named by `var` (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY).
pub fn append(var: &str, text: &str) -> Result<(), StepFileError> {
    let path = std::env::var_os(var).ok_or_else(|| StepFileError::NotSet { var: var.into() })?;
    let write = |source| StepFileError::Write {
        var: var.into(),
        path: crate::sanitize::escape(&path.to_string_lossy()),
        source,
    };
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&path)
        .map_err(write)?;
    f.write_all(text.as_bytes()).map_err(write)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escaping_and_outputs() {
        assert_eq!(escape_data("a%b\r\nc"), "a%25b%0D%0Ac");
        let claims =
            json!({"repository": "acme/app\n::add-mask::x", "g": ["a", "b"], "o": {"r": "x"}});
        let out = outputs(
            &Claims::from_map(claims.as_object().unwrap()),
            &["repository".into(), "g".into(), "o.r".into()],
        )
        .unwrap();
        assert!(out.absent.is_empty());
        let out = out.text;
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[0].starts_with("repository<<ghadelimiter_"));
        let delim = lines[0].split("<<").nth(1).unwrap();
        assert_eq!(lines[1], "acme/app");
        assert_eq!(lines[2], "::add-mask::x");
        assert_eq!(lines[3], delim);
        assert!(out.contains("g<<") && out.contains("\na,b\n"));
        assert!(out.contains("o_r<<"));
        // A claim the token lacks: an empty output, and its name (escaped) reported.
        let out = outputs(
            &Claims::from_map(claims.as_object().unwrap()),
            &["environment".into(), "no\npe".into()],
        )
        .unwrap();
        assert_eq!(out.absent, ["environment", "no\\u{a}pe"]);
        let lines: Vec<&str> = out.text.lines().collect();
        assert!(lines[0].starts_with("environment<<ghadelimiter_"));
        assert_eq!(lines[1], "");
        assert_eq!(lines[2], lines[0].split("<<").nth(1).unwrap());
        assert!(lines[3].starts_with("no_pe<<"));
    }
}
