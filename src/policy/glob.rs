//! The one glob of policies: `*` (any run, `/` included) and `?` (one
//! character), anchored at both ends, as `wildmatch` matches them. Used by
//! `--claim NAME~GLOB` and a policy file's route `path` and `host`.
//!
//! Fast path: the pattern's literal prefix (everything before its first
//! wildcard) is compared first. Most patterns start with one (`/deploy/*`,
//! `repo:acme/*`), and a value that does not start with it cannot match, so
//! `serve --policy` rules out most routes of a request with one comparison.
//! [`Glob::matches`] equals `WildMatch::matches` on every input (the test
//! below and the fuzz target `glob` hold them to it).

use wildmatch::WildMatch;

#[derive(Debug, Clone)]
pub struct Glob {
    /// The literal text before the first `*` or `?` (the whole pattern when
    /// it has neither).
    prefix: String,
    /// `None`: no wildcard, the pattern is `prefix` exactly.
    wild: Option<WildMatch>,
}

impl Glob {
    pub fn new(pattern: &str) -> Glob {
        let cut = pattern.find(['*', '?']);
        Glob {
            prefix: pattern[..cut.unwrap_or(pattern.len())].to_string(),
            wild: cut.map(|_| WildMatch::new(pattern)),
        }
    }

    pub fn matches(&self, value: &str) -> bool {
        if !value.starts_with(&self.prefix) {
            return false;
        }
        match &self.wild {
            Some(w) => w.matches(value),
            None => value.len() == self.prefix.len(),
        }
    }
}

/// The reference: `wildmatch` alone (tests and the fuzz target).
pub fn reference_matches(pattern: &str, value: &str) -> bool {
    WildMatch::new(pattern).matches(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn literal_prefix_then_wildmatch() {
        for (p, v, want) in [
            ("/deploy/*", "/deploy/x", true),
            ("/deploy/*", "/deploy/", true),
            ("/deploy/*", "/deploy", false),
            ("/deploy/*", "/admin", false),
            ("/health", "/health", true),
            ("/health", "/healthz", false),
            ("/health", "/healt", false),
            ("*", "", true),
            ("", "", true),
            ("", "x", false),
            ("a?c", "abc", true),
            ("a?c", "ac", false),
            ("repo:acme/*", "repo:acme/app:ref:refs/heads/main", true),
            ("caf\u{e9}*", "caf\u{e9}s", true),
            ("?", "\u{e9}", true),
        ] {
            assert_eq!(Glob::new(p).matches(v), want, "{p} {v}");
            assert_eq!(reference_matches(p, v), want, "reference {p} {v}");
        }
    }

    proptest! {
        #[test]
        fn equals_wildmatch(p in "[ab/*?\u{e9}]{0,8}", v in "[ab/\u{e9}]{0,10}") {
            prop_assert_eq!(Glob::new(&p).matches(&v), reference_matches(&p, &v));
        }
    }
}
