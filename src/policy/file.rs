//! Policy files (docs/policy.md): several issuers and per-route rules in one
//! TOML file, read strictly. Every problem is a [`Diag`] with the line and
//! column it is at; a file with any problem is never used. The claim,
//! assert and CI-flag syntax is parsed by the same functions as the flags.

use super::Policy;
use crate::config::KeySource;

/// Policy files larger than this are refused.
pub const MAX_POLICY_BYTES: u64 = 1024 * 1024;

/// One problem in a policy file, at a 1-based line and column (0: the whole file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diag {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

/// Why a policy file cannot be used: every problem found, each with its place.
#[derive(Debug, Clone)]
pub struct FileError {
    pub file: String,
    pub diags: Vec<Diag>,
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, d) in self.diags.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            if d.line == 0 {
                write!(f, "{}: {}", self.file, d.message)?;
            } else {
                write!(f, "{}:{}:{}: {}", self.file, d.line, d.col, d.message)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for FileError {}

/// A policy file, checked and ready to decide with.
#[derive(Debug, Clone)]
pub struct PolicyFile {
    pub file: String,
    pub issuers: Vec<FileIssuer>,
    pub routes: Vec<Route>,
    pub warnings: Vec<String>,
}

/// One `[[issuer]]`: where its keys come from and the checks of `verify`.
#[derive(Debug, Clone)]
pub struct FileIssuer {
    pub name: String,
    /// `iss` must equal this (presets expanded).
    pub url: String,
    pub source: KeySource,
    /// How the key source is shown in summaries and metrics.
    pub keys: String,
    /// Every check of `verify`, with `issuer` pinned to `url`.
    pub policy: Policy,
    pub forward_claims: Vec<String>,
}

/// One `[[route]]`.
#[derive(Debug, Clone)]
pub struct Route {
    pub name: String,
    pub path: String,
    path_glob: super::glob::Glob,
    pub host: Option<String>,
    host_glob: Option<super::glob::Glob>,
    /// Upper case; empty: every method.
    pub methods: Vec<String>,
    /// Indices into [`PolicyFile::issuers`]; `None`: every issuer.
    pub issuers: Option<Vec<usize>>,
    /// Only `claims`, `require` and `asserts` are used.
    pub rules: Policy,
    pub deny: bool,
}

impl Route {
    /// Whether this route's `path`, `host` and `methods` match a normalised request.
    pub fn matches(&self, req: &crate::policy::Request) -> bool {
        if !self.path_glob.matches(&req.path) {
            return false;
        }
        if let Some(h) = &self.host_glob {
            match &req.host {
                Some(host) if h.matches(host) => {}
                _ => return false,
            }
        }
        if !self.methods.is_empty() {
            match &req.method {
                Some(m) if self.methods.iter().any(|x| x == m) => {}
                _ => return false,
            }
        }
        true
    }

    /// The number of rules beyond matching (claims, require, assert).
    pub fn rule_count(&self) -> usize {
        self.rules.claims.len() + self.rules.require.len() + self.rules.asserts.len()
    }
}

impl FileIssuer {
    pub fn rule_count(&self) -> usize {
        self.policy.claims.len() + self.policy.require.len() + self.policy.asserts.len()
    }
}
mod check;
mod raw;

#[cfg(test)]
use check::line_col;
pub use check::{load, parse};

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn check(text: &str) -> Result<PolicyFile, FileError> {
        parse(text, "p.toml", Path::new("."), false)
    }

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }

    #[test]
    fn a_good_file_reads() {
        let p = check(
            r#"
leeway = 30
[[issuer]]
name = "github"
url = "github"
audience = ["api"]
repo = "acme/*"
ref = "refs/heads/main"
[[route]]
path = "/deploy/*"
issuers = ["github"]
methods = ["post"]
"#,
        )
        .unwrap();
        assert_eq!(
            p.issuers[0].url,
            "https://token.actions.githubusercontent.com"
        );
        assert_eq!(p.issuers[0].policy.leeway, 30);
        assert_eq!(p.issuers[0].policy.claims.len(), 2);
        assert_eq!(p.issuers[0].policy.claims[0].name, "repository");
        assert_eq!(p.routes[0].methods, ["POST"]);
        assert_eq!(p.routes[0].issuers, Some(vec![0]));
    }

    #[test]
    fn each_mistake_has_its_place() {
        let e = check(
            "[[issuer]]\nurl = \"https://a.example\"\naudience = [\"x\"]\nclaims = [\"nope\"]\nassert = [\".a ==\"]\n[[route]]\npath = \"/x\"\nissuers = [\"b\"]\n",
        )
        .unwrap_err();
        let s = e.to_string();
        assert!(s.contains("p.toml:4:11: claim \"nope\""), "{s}");
        assert!(s.contains("p.toml:5:11: assert"), "{s}");
        assert!(s.contains("p.toml:8:12: unknown issuer \"b\""), "{s}");
        let e = check("[[issuer]]\nurl = \"https://a.example\"\nany_audience = true\nbogus = 1\n")
            .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("p.toml:4:1: unknown field `bogus`"),
            "{e}"
        );
    }
}
