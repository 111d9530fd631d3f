//! `policy check`'s output: the summary document and its text form.

use serde::Serialize;

use crate::policy::PolicyFile;

/// The JSON document of `policy check -o json` (docs/policy.md#policy-check).
#[derive(Debug, Serialize)]
pub struct PolicyDoc<'a> {
    pub file: &'a str,
    pub issuers: Vec<IssuerDoc<'a>>,
    pub routes: Vec<RouteDoc<'a>>,
    pub warnings: &'a [String],
}

#[derive(Debug, Serialize)]
pub struct IssuerDoc<'a> {
    pub name: &'a str,
    pub url: &'a str,
    pub keys: &'a str,
    /// `null`: any audience.
    pub audience: Option<&'a [String]>,
    pub rules: usize,
}

#[derive(Debug, Serialize)]
pub struct RouteDoc<'a> {
    pub name: &'a str,
    pub path: &'a str,
    /// `null`: every issuer.
    pub issuers: Option<Vec<&'a str>>,
    pub rules: usize,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub deny: bool,
}

impl<'a> PolicyDoc<'a> {
    pub fn of(p: &'a PolicyFile) -> Self {
        PolicyDoc {
            file: &p.file,
            issuers: p
                .issuers
                .iter()
                .map(|i| IssuerDoc {
                    name: &i.name,
                    url: &i.url,
                    keys: &i.keys,
                    audience: i.policy.audiences.as_deref(),
                    rules: i.rule_count(),
                })
                .collect(),
            routes: p
                .routes
                .iter()
                .map(|r| RouteDoc {
                    name: &r.name,
                    path: &r.path,
                    issuers: r
                        .issuers
                        .as_ref()
                        .map(|l| l.iter().map(|&i| p.issuers[i].name.as_str()).collect()),
                    rules: r.rule_count(),
                    deny: r.deny,
                })
                .collect(),
            warnings: &p.warnings,
        }
    }

    /// The summary for people.
    pub fn text(&self) -> String {
        use std::fmt::Write;
        let mut s = format!(
            "{}: OK, {} issuer(s), {} route(s)\n",
            self.file,
            self.issuers.len(),
            self.routes.len()
        );
        for i in &self.issuers {
            let aud = i.audience.map_or("any".to_string(), |a| a.join(", "));
            let _ = writeln!(
                s,
                "issuer {}: iss {}, keys: {}, audience: {aud}, {} rule(s)",
                crate::sanitize::escape(i.name),
                crate::sanitize::escape(i.url),
                crate::sanitize::escape(i.keys),
                i.rules
            );
        }
        for r in &self.routes {
            let who = match &r.issuers {
                None => "every issuer".to_string(),
                Some(l) => l.join(", "),
            };
            let _ = writeln!(
                s,
                "route {}: path {}, {}{} rule(s)",
                crate::sanitize::escape(r.name),
                crate::sanitize::escape(r.path),
                if r.deny {
                    "DENY, ".to_string()
                } else {
                    format!("issuers: {who}, ")
                },
                r.rules
            );
        }
        s
    }
}
