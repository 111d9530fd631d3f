//! `--claim` (= != ~ !~) and `--require` assertions: pure functions over
//! the claims; no I/O.
//!
//! Semantics (docs/policy.md, docs/hostile-inputs.md D13): a string claim
//! compares as text; numbers, booleans, null and objects compare by their
//! JSON text; an array claim matches `=`/`~` when one element does, and
//! `!=`/`!~` when none does. A missing claim satisfies none of the four
//! (fail closed). Globs are anchored; `*` matches any run including `/`, `?`
//! one character.

use std::str::FromStr;

use serde_json::Value;

use crate::error::{Error, Kind};
use crate::sanitize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Glob,
    NotGlob,
}

impl Op {
    fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Glob => "~",
            Op::NotGlob => "!~",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ClaimAssertion {
    pub name: String,
    pub op: Op,
    pub value: String,
    glob: Option<super::glob::Glob>,
    /// Set when a CI claim flag (`--repo`, ...) made this assertion: it is
    /// shown as that flag, and a failure gets the flag's near-miss hints.
    origin: Option<super::ci::Origin>,
    /// "`self` holds", the detail of a passing check, made once.
    holds: String,
}

impl std::fmt::Display for ClaimAssertion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.origin {
            Some(o) => write!(f, "{} {}", o.flag.name(), self.value),
            None => write!(f, "{}{}{}", self.name, self.op.symbol(), self.value),
        }
    }
}

impl FromStr for ClaimAssertion {
    type Err = String;
    /// The first of `=`, `!=`, `~`, `!~` splits name from value.
    fn from_str(s: &str) -> Result<Self, String> {
        let i = s.find(['=', '!', '~']).ok_or_else(|| {
            format!("--claim {s:?}: expected NAME=VALUE, NAME!=VALUE, NAME~GLOB or NAME!~GLOB")
        })?;
        let (name, rest) = s.split_at(i);
        let (op, value) = if let Some(v) = rest.strip_prefix("!=") {
            (Op::Ne, v)
        } else if let Some(v) = rest.strip_prefix("!~") {
            (Op::NotGlob, v)
        } else if let Some(v) = rest.strip_prefix('=') {
            (Op::Eq, v)
        } else if let Some(v) = rest.strip_prefix('~') {
            (Op::Glob, v)
        } else {
            return Err(format!("--claim {s:?}: `!` must be followed by `=` or `~`"));
        };
        if name.is_empty() {
            return Err(format!("--claim {s:?}: the claim name is empty"));
        }
        let glob = matches!(op, Op::Glob | Op::NotGlob).then(|| super::glob::Glob::new(value));
        Ok(ClaimAssertion {
            name: name.to_string(),
            op,
            value: value.to_string(),
            glob,
            origin: None,
            holds: String::new(),
        }
        .shown())
    }
}

/// The text a claim value compares as.
pub fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The text a claim is passed on as (a header, a job output): arrays
/// comma-joined, element by element as [`text`].
pub fn joined_text(v: &Value) -> String {
    match v {
        Value::Array(a) => a.iter().map(text).collect::<Vec<_>>().join(","),
        other => text(other),
    }
}

impl ClaimAssertion {
    /// The same assertion, made by a CI claim flag.
    pub(super) fn with_origin(mut self, origin: super::ci::Origin) -> Self {
        self.origin = Some(origin);
        self.shown()
    }

    /// Sets the texts that depend on how the assertion is shown.
    fn shown(mut self) -> Self {
        self.holds = format!("{self} holds");
        self
    }

    /// The detail of a passing check: "`NAME=VALUE` holds" (or the CI flag).
    pub fn holds_text(&self) -> &str {
        &self.holds
    }

    /// Whether the assertion holds on a string claim, compared in place: the
    /// usual case, decided without building a JSON value. Equal to
    /// `check_value(Some(&Value::String(s))).is_ok()`.
    pub fn holds_on_str(&self, s: &str) -> bool {
        self.holds_if_matched(self.matches_text(s))
    }

    /// `=` and `~` hold when a value matched; `!=` and `!~` when none did.
    fn holds_if_matched(&self, matched: bool) -> bool {
        match self.op {
            Op::Eq | Op::Glob => matched,
            Op::Ne | Op::NotGlob => !matched,
        }
    }

    fn matches_text(&self, t: &str) -> bool {
        match &self.glob {
            Some(g) => g.matches(t),
            None => t == self.value,
        }
    }

    fn matches_one(&self, v: &Value) -> bool {
        // A string claim is compared in place; other values by their JSON text.
        match v {
            Value::String(s) => self.matches_text(s),
            other => self.matches_text(&other.to_string()),
        }
    }

    /// `Ok(())` when the assertion holds on the claim's value (`None`: the
    /// claim is missing, see [`crate::claims::Claims::lookup`]), else why
    /// not: `missing_claim` or `claim_mismatch` and a message.
    pub fn check_value(&self, v: Option<&Value>) -> Result<(), Error> {
        let Some(v) = v else {
            let mut message = format!("claim `{}` is missing", sanitize::truncate(&self.name, 64));
            if let Some(o) = self.origin {
                message.push_str(o.missing_hint());
            }
            return Err(Error::new(Kind::MissingClaim, message));
        };
        let any = match v {
            Value::Array(a) => a.iter().any(|e| self.matches_one(e)),
            other => self.matches_one(other),
        };
        if self.holds_if_matched(any) {
            Ok(())
        } else {
            let shown = sanitize::truncate(
                &match v {
                    Value::String(s) => format!("{s:?}"),
                    other => other.to_string(),
                },
                120,
            );
            let hint = match (self.op, v) {
                (_, Value::String(s)) if self.origin.is_some() => self
                    .origin
                    .and_then(|o| o.hint(&self.value, s))
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default(),
                (Op::Eq, Value::String(s)) if s.eq_ignore_ascii_case(&self.value) => {
                    " (differs only in letter case)".into()
                }
                (Op::Eq, Value::String(s)) if s.trim() == self.value => {
                    " (differs only in surrounding whitespace)".into()
                }
                (Op::Eq, Value::String(s)) if s == "true" || s == "false" => {
                    " (the claim is the string, not the boolean)".into()
                }
                _ => String::new(),
            };
            Err(Error::new(
                Kind::ClaimMismatch,
                format!("`{}` is {shown}{hint}", sanitize::truncate(&self.name, 64)),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Map, Value, json};

    fn claims() -> Map<String, Value> {
        json!({
            "repository": "acme/app",
            "sub": "repo:acme/app:ref:refs/heads/main",
            "email_verified": true,
            "n": 5,
            "groups": ["dev", "ops"],
            "a.b": "top",
            "a": {"b": "nested"},
            "o": {"deep": {"x": "y"}},
            "s_true": "true"
        })
        .as_object()
        .unwrap()
        .clone()
    }

    fn check(s: &str) -> Result<(), Error> {
        let a = s.parse::<ClaimAssertion>().unwrap();
        let claims = crate::claims::Claims::from_map(&claims());
        a.check_value(claims.lookup(&a.name).as_ref())
    }

    fn ok(s: &str) -> bool {
        check(s).is_ok()
    }

    fn kind(s: &str) -> Kind {
        check(s).unwrap_err().kind
    }

    #[test]
    fn operators() {
        assert!(ok("repository=acme/app"));
        assert!(!ok("repository=acme/App"));
        assert!(ok("repository!=acme/other"));
        assert!(ok("sub~repo:acme/*"));
        assert!(ok("sub~repo:acme/*:ref:refs/heads/main"));
        assert!(!ok("sub~repo:acme/app-evil*"));
        assert!(ok("sub!~repo:other/*"));
        assert!(ok("repository~acme/ap?"));
        // anchored: a prefix glob must not match a longer value
        assert!(!ok("sub~repo:acme/app"));
    }

    #[test]
    fn types_arrays_paths() {
        assert!(ok("email_verified=true"));
        assert!(ok("n=5"));
        assert!(ok("s_true=true"));
        assert!(ok("groups=ops"));
        assert!(!ok("groups!=ops"));
        assert!(ok("groups!=admin"));
        assert!(ok("groups~o*"));
        assert!(ok("a.b=top"));
        assert!(ok("o.deep.x=y"));
        assert_eq!(kind("missing=x"), Kind::MissingClaim);
        assert_eq!(kind("missing!=x"), Kind::MissingClaim);
        assert_eq!(kind("missing!~x"), Kind::MissingClaim);
        assert_eq!(kind("repository=x"), Kind::ClaimMismatch);
    }

    #[test]
    fn string_fast_path_agrees_with_check_value() {
        for a in [
            "repository=acme/app",
            "repository=acme/App",
            "repository!=acme/app",
            "repository!=x",
            "sub~repo:acme/*",
            "sub!~repo:acme/*",
            "sub~x*",
            "sub!~x*",
        ] {
            let a: ClaimAssertion = a.parse().unwrap();
            for v in ["acme/app", "repo:acme/app:ref:refs/heads/main", "x", ""] {
                assert_eq!(
                    a.holds_on_str(v),
                    a.check_value(Some(&Value::String(v.into()))).is_ok(),
                    "{a} on {v}"
                );
            }
            assert_eq!(a.holds_text(), format!("{a} holds"));
        }
    }

    #[test]
    fn parsing() {
        let a: ClaimAssertion = "url=https://x/?a=b".parse().unwrap();
        assert_eq!(
            (a.name.as_str(), a.op, a.value.as_str()),
            ("url", Op::Eq, "https://x/?a=b")
        );
        let a: ClaimAssertion = "k!~v=1".parse().unwrap();
        assert_eq!(a.op, Op::NotGlob);
        assert!("novalue".parse::<ClaimAssertion>().is_err());
        assert!("=x".parse::<ClaimAssertion>().is_err());
        assert!("a!b".parse::<ClaimAssertion>().is_err());
    }
}
