//! Reading and checking a policy file: every problem becomes a [`Diag`] at
//! its place, and a file with none becomes a [`PolicyFile`].

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::policy::glob::Glob;

use super::raw::*;
use super::*;
use crate::config::KeySource;
use crate::keys::{self, Alg, KeySet};
use crate::policy::{ClaimAssertion, Policy};

/// 1-based line and column of a byte offset.
pub(super) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

struct Diags<'a> {
    text: &'a str,
    list: Vec<Diag>,
}

impl Diags<'_> {
    fn at(&mut self, span: std::ops::Range<usize>, message: impl Into<String>) {
        let (line, col) = line_col(self.text, span.start);
        self.list.push(Diag {
            line,
            col,
            message: message.into(),
        });
    }
}

/// Parses one `claims` entry with the `--claim` parser.
fn claim(d: &mut Diags, s: &S<String>) -> Option<ClaimAssertion> {
    match s.get_ref().parse::<ClaimAssertion>() {
        Ok(c) => Some(c),
        Err(e) => {
            d.at(s.span(), e.replace("--claim ", "claim "));
            None
        }
    }
}

fn assert_ok(d: &mut Diags, s: &S<String>) -> Option<String> {
    match crate::policy::validate_assert(s.get_ref()) {
        Ok(()) => Some(s.get_ref().clone()),
        Err(e) => {
            d.at(s.span(), format!("assert {:?}: {e}", s.get_ref()));
            None
        }
    }
}

/// An `assert` that holds for every token (a warning, not an error).
/// The `assert` expressions of an issuer or route that compile; a warning
/// for each that is always true (`owner`: "issuer NAME" or "route NAME").
fn checked_asserts(
    d: &mut Diags,
    list: &[S<String>],
    warnings: &mut Vec<String>,
    owner: &str,
) -> Vec<String> {
    let asserts: Vec<String> = list.iter().filter_map(|a| assert_ok(d, a)).collect();
    for a in &asserts {
        if always_true(a) {
            warnings.push(format!("{owner}: assert {a:?} is always true"));
        }
    }
    asserts
}

fn always_true(expr: &str) -> bool {
    matches!(expr.trim(), "true" | "(true)" | "1 == 1" | "true or false")
}

fn algorithms(d: &mut Diags, list: &S<Vec<S<String>>>) -> Vec<Alg> {
    let mut out = Vec::new();
    for a in list.get_ref() {
        match Alg::parse(a.get_ref()) {
            Some(alg) if alg.is_hmac() => d.at(
                a.span(),
                format!(
                    "algorithm {}: HMAC needs a shared secret, which policy files do not take",
                    alg.name()
                ),
            ),
            Some(alg) => out.push(alg),
            None => d.at(
                a.span(),
                format!(
                    "algorithm {:?} is not supported: use {}",
                    a.get_ref(),
                    Alg::list(&Alg::DEFAULT)
                ),
            ),
        }
    }
    if list.get_ref().is_empty() {
        d.at(list.span(), "algorithms is empty: no token could pass");
    }
    out
}

/// Reads and checks a policy file. `allow_http` is `--allow-http`.
pub fn load(path: &Path, allow_http: bool) -> Result<PolicyFile, FileError> {
    let file = path.display().to_string();
    let whole = |message: String| FileError {
        file: file.clone(),
        diags: vec![Diag {
            line: 0,
            col: 0,
            message,
        }],
    };
    let bytes = crate::input::read_document(path, MAX_POLICY_BYTES)
        .map_err(|e| whole(format!("cannot read: {e}")))?
        .ok_or_else(|| whole("larger than 1 MiB".into()))?;
    let text = String::from_utf8(bytes).map_err(|_| whole("not UTF-8".into()))?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    parse(&text, &file, &base, allow_http)
}

/// Checks a policy file's text; relative paths are taken from `base`.
pub fn parse(
    text: &str,
    file: &str,
    base: &Path,
    allow_http: bool,
) -> Result<PolicyFile, FileError> {
    let mut d = Diags {
        text,
        list: Vec::new(),
    };
    let raw: RawFile = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let (line, col) = e.span().map_or((0, 0), |s| line_col(text, s.start));
            return Err(FileError {
                file: file.to_string(),
                diags: vec![Diag {
                    line,
                    col,
                    message: e.message().trim().to_string(),
                }],
            });
        }
    };
    let mut warnings = Vec::new();
    let default_algs = raw.algorithms.as_ref().map(|a| algorithms(&mut d, a));
    let default_leeway = raw.leeway.as_ref().map(|l| (*l.get_ref(), l.span()));
    let mut issuers: Vec<FileIssuer> = Vec::new();
    let mut spans: Vec<std::ops::Range<usize>> = Vec::new();
    for entry in &raw.issuer {
        let span = entry.span();
        let i = entry.get_ref();
        let url = crate::issuer::resolve(i.url.get_ref());
        if let Err(e) = crate::issuer::validate(&url, allow_http) {
            d.at(i.url.span(), e.message);
        }
        let name = i
            .name
            .as_ref()
            .map_or_else(|| i.url.get_ref().clone(), |n| n.get_ref().clone());
        if name.is_empty() {
            d.at(span.clone(), "issuer name is empty");
        }
        if let Some(prev) = issuers.iter().position(|p| p.url == url) {
            let (line, _) = line_col(text, spans[prev].start);
            d.at(
                i.url.span(),
                format!("duplicate issuer {url} (first at line {line})"),
            );
        } else if let Some(prev) = issuers.iter().position(|p| p.name == name) {
            let (line, _) = line_col(text, spans[prev].start);
            let at = i.name.as_ref().map_or(i.url.span(), |n| n.span());
            d.at(
                at,
                format!("duplicate issuer name {name:?} (first at line {line})"),
            );
        }
        // Keys: discovery from `url`, or exactly one explicit source.
        let given: Vec<(&str, &S<String>)> = [
            ("jwks_uri", &i.jwks_uri),
            ("jwks_file", &i.jwks_file),
            ("key_file", &i.key_file),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
        .collect();
        if given.len() > 1 {
            d.at(
                given[1].1.span(),
                format!(
                    "{} and {} both given: an issuer has one key source",
                    given[0].0, given[1].0
                ),
            );
        }
        let rel = |p: &str| {
            let p = Path::new(p);
            if p.is_absolute() {
                p.to_path_buf()
            } else {
                base.join(p)
            }
        };
        let (source, keys) = match given.first() {
            Some(("jwks_uri", u)) => {
                if let Err(e) = url::Url::parse(u.get_ref()) {
                    d.at(u.span(), format!("jwks_uri {:?}: {e}", u.get_ref()));
                }
                (KeySource::JwksUri(u.get_ref().clone()), u.get_ref().clone())
            }
            Some(("jwks_file", f)) => {
                let p = rel(f.get_ref());
                if !p.is_file() {
                    d.at(f.span(), format!("jwks_file {}: no such file", p.display()));
                }
                let label = p.display().to_string();
                (KeySource::JwksFile(p), label)
            }
            Some((_, f)) => {
                let p: PathBuf = rel(f.get_ref());
                let label = p.display().to_string();
                let key = crate::input::read_document(&p, crate::http::MAX_BODY)
                    .map_err(|e| format!("key_file {label}: {e}"))
                    .and_then(|b| b.ok_or_else(|| format!("key_file {label}: larger than 1 MiB")))
                    .and_then(|b| keys::pem::load_key_file(&b, &label).map_err(|e| e.to_string()));
                match key {
                    Ok(k) => (
                        KeySource::Static(Arc::new(KeySet::single(k, &label))),
                        label,
                    ),
                    Err(e) => {
                        d.at(f.span(), e);
                        (KeySource::Static(Arc::new(KeySet::default())), label)
                    }
                }
            }
            None => (
                KeySource::Issuer(url.clone()),
                format!("discovery from {url}"),
            ),
        };
        let any = i
            .any_audience
            .as_ref()
            .map(|a| *a.get_ref())
            .or(raw.any_audience)
            .unwrap_or(false);
        let audiences = match (&i.audience, any) {
            (Some(a), true) if i.any_audience.is_some() => {
                d.at(a.span(), "audience and any_audience both given: choose one");
                None
            }
            (Some(a), _) if a.get_ref().is_empty() => {
                d.at(
                    a.span(),
                    "audience is empty: give at least one, or any_audience = true",
                );
                None
            }
            (Some(a), _) => Some(a.get_ref().clone()),
            (None, _) if raw.audience.is_some() && !any => raw.audience.clone(),
            (None, true) => {
                warnings.push(format!(
                    "issuer {name}: any_audience = true accepts tokens minted for any service"
                ));
                None
            }
            (None, false) => {
                d.at(
                    span.clone(),
                    format!(
                        "issuer {name}: no audience: give audience = [...] or any_audience = true"
                    ),
                );
                None
            }
        };
        let algs = match &i.algorithms {
            Some(a) => algorithms(&mut d, a),
            None => default_algs
                .clone()
                .unwrap_or_else(|| Alg::DEFAULT.to_vec()),
        };
        let leeway = match i
            .leeway
            .as_ref()
            .map(|l| (*l.get_ref(), l.span()))
            .or(default_leeway.clone())
        {
            Some((l, _)) if l <= 600 => l as i64,
            Some((l, s)) => {
                d.at(s, format!("leeway {l} is more than 600 seconds"));
                60
            }
            None => 60,
        };
        let mut claims: Vec<ClaimAssertion> =
            i.claims.iter().filter_map(|c| claim(&mut d, c)).collect();
        // The CI claim keys, by the CI claim flags' own parser (one key at a
        // time, so each problem points at its key).
        for (key, value) in [
            ("repo", &i.repo),
            ("ref", &i.ref_),
            ("workflow", &i.workflow),
            ("environment", &i.environment),
            ("event", &i.event),
        ] {
            let Some(value) = value else { continue };
            let v = Some(value.get_ref().clone());
            let mut flags = crate::policy::ci::CiFlags::default();
            match key {
                "repo" => flags.repo = v,
                "ref" => flags.git_ref = v,
                "workflow" => flags.workflow = v,
                "environment" => flags.environment = v,
                _ => flags.event = v,
            }
            match crate::policy::ci::resolve(&flags, Some(&url)) {
                Ok(list) => claims.extend(list),
                Err(e) => d.at(value.span(), e.replacen(&format!("--{key}"), key, 1)),
            }
        }
        let asserts = checked_asserts(&mut d, &i.assert, &mut warnings, &format!("issuer {name}"));
        let policy = Policy {
            algs,
            issuer: Some(url.clone()),
            audiences,
            require_exp: i.require_exp.or(raw.require_exp).unwrap_or(true),
            leeway,
            max_age: i
                .max_age
                .or(raw.max_age)
                .map(|m| m.min(i64::MAX as u64) as i64),
            typ: i.typ.clone().or_else(|| raw.typ.clone()),
            claims,
            require: i.require.clone(),
            asserts,
        };
        if !policy.require_exp {
            warnings.push(format!(
                "issuer {name}: require_exp = false accepts tokens that never expire"
            ));
        }
        spans.push(span);
        issuers.push(FileIssuer {
            name,
            url,
            source,
            keys,
            policy,
            forward_claims: i.forward_claims.clone(),
        });
    }
    if raw.issuer.is_empty() {
        d.list.push(Diag {
            line: 0,
            col: 0,
            message: "no [[issuer]]: a policy needs at least one".into(),
        });
    }
    let mut routes: Vec<Route> = Vec::new();
    for entry in &raw.route {
        let r = entry.get_ref();
        let path = r.path.get_ref().clone();
        if !path.starts_with('/') && path != "*" {
            d.at(r.path.span(), format!("path {path:?} must start with /"));
        }
        let name = r
            .name
            .as_ref()
            .map_or_else(|| path.clone(), |n| n.get_ref().clone());
        if let Some(n) = &r.name
            && routes.iter().any(|x| x.name == name)
        {
            d.at(n.span(), format!("duplicate route name {name:?}"));
        }
        let issuers_of_route = match &r.issuers {
            None => {
                if !r.deny {
                    warnings.push(format!(
                        "route {name}: no issuers list: every issuer of the file may call it"
                    ));
                }
                None
            }
            Some(list) => {
                let mut idx = Vec::new();
                for n in list {
                    match issuers.iter().position(|i| &i.name == n.get_ref()) {
                        Some(i) => idx.push(i),
                        None => d.at(
                            n.span(),
                            format!(
                                "unknown issuer {:?} (the file's issuers: {})",
                                n.get_ref(),
                                issuers
                                    .iter()
                                    .map(|i| i.name.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ),
                    }
                }
                Some(idx)
            }
        };
        let methods = r
            .methods
            .iter()
            .flatten()
            .map(|m| m.get_ref().to_ascii_uppercase())
            .collect();
        let asserts = checked_asserts(&mut d, &r.assert, &mut warnings, &format!("route {name}"));
        let rules = Policy {
            require_exp: false,
            leeway: 0,
            claims: r.claims.iter().filter_map(|c| claim(&mut d, c)).collect(),
            require: r.require.clone(),
            asserts,
            ..Policy::new(Vec::new())
        };
        let host = r.host.as_ref().map(|h| h.get_ref().to_ascii_lowercase());
        routes.push(Route {
            name,
            path_glob: Glob::new(&path),
            path,
            host_glob: host.as_deref().map(Glob::new),
            host,
            methods,
            issuers: issuers_of_route,
            rules,
            deny: r.deny,
        });
    }
    if !d.list.is_empty() {
        return Err(FileError {
            file: file.to_string(),
            diags: d.list,
        });
    }
    Ok(PolicyFile {
        file: file.to_string(),
        issuers,
        routes,
        warnings,
    })
}
