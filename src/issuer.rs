//! Issuers: presets, the discovery URL (OIDC Discovery §4.1), fetching via the
//! cache, and the checks on the discovery document (exact `issuer`, §4.3;
//! `jwks_uri` https or loopback; required metadata missing is a warning).

use serde_json::{Map, Value};
use url::Url;

use crate::cache::{self, Mode};
use crate::clock;
use crate::error::{Error, Kind, Result};
use crate::http::{self, Fetcher, Trust};
use crate::note::{Note, Notes};
use crate::sanitize;

pub const PRESETS: [(&str, &str); 3] = [
    ("github", "https://token.actions.githubusercontent.com"),
    ("gitlab", "https://gitlab.com"),
    ("google", "https://accounts.google.com"),
];

/// Google's issuer (the `google` preset).
pub const GOOGLE: &str = "https://accounts.google.com";
/// The second spelling of `iss` that Google documents for its ID tokens.
pub const GOOGLE_BARE: &str = "accounts.google.com";

/// Whether a token's `iss` satisfies the pinned issuer: byte-equal, with the
/// one exception Google needs (its ID tokens carry either spelling; go-oidc
/// makes the same exception). No other issuer is matched loosely
/// (docs/differences.md#the-google-issuer).
pub fn iss_matches(pinned: &str, iss: &str) -> bool {
    iss == pinned || (pinned == GOOGLE && iss == GOOGLE_BARE)
}

/// Expands a preset name; anything else is used as given.
pub fn resolve(s: &str) -> String {
    PRESETS
        .iter()
        .find(|(name, _)| *name == s)
        .map_or_else(|| s.to_string(), |(_, url)| url.to_string())
}

/// Checks an issuer the user named (docs/hostile-inputs.md E1): https (or loopback
/// http, or `--allow-http`), no query, fragment or credentials.
pub fn validate(issuer: &str, allow_http: bool) -> Result<Url> {
    let url = Url::parse(issuer).map_err(|e| {
        // A bare host name: say which URL (or preset) was probably meant.
        let hint = if issuer == GOOGLE_BARE {
            " (for Google write --issuer google: it accepts both spellings of iss that Google uses)"
                .to_string()
        } else if !issuer.contains("://")
            && !issuer.starts_with(['/', '.', '~'])
            && Url::parse(&format!("https://{issuer}"))
                .is_ok_and(|u| u.host_str().is_some_and(|h| h.contains('.')))
        {
            format!(" (did you mean https://{}?)", sanitize::truncate(issuer, 200))
        } else {
            String::new()
        };
        Error::usage(format!(
            "issuer {:?} is not a URL ({e}){hint}; use a URL like https://idp.example or a preset: github, gitlab, google",
            sanitize::truncate(issuer, 200)
        ))
        .with_source(e)
    })?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::usage(format!(
            "issuer {issuer} must not have a query or fragment"
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::usage(format!(
            "issuer {issuer} must not hold credentials"
        )));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if http::is_loopback(&url) || allow_http => Ok(url),
        "http" => Err(Error::usage(format!(
            "issuer {issuer} uses plain http: only loopback issuers may (add --allow-http to permit it)"
        ))),
        s => Err(Error::usage(format!(
            "issuer {issuer}: scheme {s:?} is not supported (https)"
        ))),
    }
}

/// Issuer without trailing `/` + `/.well-known/openid-configuration`.
///
/// ```
/// assert_eq!(
///     oidcat::issuer::discovery_url("https://kc.example/realms/x/"),
///     "https://kc.example/realms/x/.well-known/openid-configuration"
/// );
/// ```
pub fn discovery_url(issuer: &str) -> String {
    format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    )
}

/// Explains an issuer that almost matches (SPEC: near misses).
pub fn near_miss(expected: &str, got: &str) -> Option<String> {
    let (e, g) = (expected.trim_end_matches('/'), got.trim_end_matches('/'));
    if e == g {
        return Some("they differ only by a trailing slash".into());
    }
    if e.eq_ignore_ascii_case(g) {
        return Some("they differ only in letter case (issuers compare exactly)".into());
    }
    if let Some(rest) = g.strip_prefix(e).filter(|r| r.starts_with('/')) {
        return Some(format!(
            "the token's issuer has an extra path {}",
            sanitize::truncate(rest, 60)
        ));
    }
    if let Some(rest) = e.strip_prefix(g).filter(|r| r.starts_with('/')) {
        return Some(format!(
            "the expected issuer has an extra path {}",
            sanitize::truncate(rest, 60)
        ));
    }
    if e.contains('{') {
        return Some("the expected issuer is a template ({...}): templates are not wildcards; give the concrete issuer".into());
    }
    None
}

/// How a document was obtained, for `-v` and messages.
#[derive(Debug, Clone)]
pub struct Provenance {
    pub from_cache: bool,
    pub fetched_at: i64,
    /// What the fetch had to say about the answer (content type), for the
    /// caller to show.
    pub warnings: Vec<String>,
}

/// Cache plus network, with the document checked *before* it is cached.
pub struct Loader {
    pub fetcher: Fetcher,
    pub cache: cache::Cache,
    /// Where cache hits, stale entries and failed cache writes are told.
    pub notes: Notes,
}

impl Loader {
    /// Gets `url` from the cache (fresh entry) or the network. `check` turns the
    /// bytes into a value; a failing check is never cached, and a cached entry
    /// that fails it is treated as a miss. `bypass` skips the cache read.
    pub fn document<T>(
        &self,
        url: &str,
        trust: Trust,
        derived: bool,
        bypass: bool,
        check: impl Fn(&[u8]) -> Result<T>,
    ) -> Result<(T, Provenance)> {
        let now = clock::system_now();
        if !bypass && let Some(entry) = self.cache.get(url) {
            let fresh = entry.is_fresh(now);
            if (fresh || self.cache.mode == Mode::Offline)
                && let Ok(v) = check(entry.body.as_bytes())
            {
                self.notes.send(Note::Trace(format!(
                    "GET {url} -> cache hit{}, {} bytes, age {}s, max-age {}s",
                    if fresh { "" } else { " (stale, --offline)" },
                    entry.body.len(),
                    entry.age(now),
                    entry.max_age
                )));
                if !fresh {
                    self.notes.send(Note::Warning(format!(
                        "using a stale cached copy of {url} ({} old) because of --offline",
                        clock::human_duration(entry.age(now))
                    )));
                }
                return Ok((
                    v,
                    Provenance {
                        from_cache: true,
                        fetched_at: entry.fetched_at,
                        warnings: vec![],
                    },
                ));
            }
        }
        if self.cache.mode == Mode::Offline {
            return Err(Error::new(
                Kind::OfflineMiss,
                format!(
                    "--offline: {url} is not in the cache{}",
                    match self.cache.dir() {
                        Some(d) => format!(" ({})", d.display()),
                        None => String::new(),
                    }
                ),
            ));
        }
        let fetched = self.fetcher.get_json(url, trust, derived)?;
        let value = check(&fetched.body)?;
        // `Cache-Control: no-store` is never written (RFC 9111 §5.2.2.5: an
        // issuer retiring a key in a hurry says so this way).
        if !fetched.no_store
            && let Err(e) = self.cache.put(
                url,
                &fetched.body,
                cache::clamp_max_age(fetched.max_age),
                now,
            )
        {
            self.notes
                .send(Note::Trace(format!("cache not written: {e}")));
        }
        Ok((
            value,
            Provenance {
                from_cache: false,
                fetched_at: now,
                warnings: fetched.warnings,
            },
        ))
    }

    /// Fetches and checks the discovery document of `issuer`.
    pub fn discover(&self, issuer: &str) -> Result<(Discovery, Provenance)> {
        let (disc_url, trust) = discovery_target(issuer, self.fetcher.allow_http())?;
        let (mut d, prov) = self
            .document(&disc_url, trust, false, false, |bytes| {
                check_document(bytes, issuer, &disc_url, trust, self.fetcher.allow_http())
            })
            .map_err(|e| {
                crate::mistakes::explain_discovery_failure(issuer, e, || {
                    self.cache.mode != Mode::Offline
                        && self
                            .fetcher
                            .get_json(issuer, trust, false)
                            .is_ok_and(|f| crate::mistakes::is_key_set(&f.body))
                })
            })?;
        d.warnings.extend(prov.warnings.iter().cloned());
        Ok((d, prov))
    }
}

/// The discovery URL of a (validated) issuer, and how far URLs reached from
/// it are trusted.
fn discovery_target(issuer: &str, allow_http: bool) -> Result<(String, Trust)> {
    let url = validate(issuer, allow_http)?;
    Ok((discovery_url(issuer), Trust::of(&url)))
}

/// [`Loader::discover`] without the disk cache: `serve` keeps its keys in
/// memory and refreshes them on its own schedule.
pub fn discover_uncached(fetcher: &Fetcher, issuer: &str) -> Result<Discovery> {
    let (disc_url, trust) = discovery_target(issuer, fetcher.allow_http())?;
    let fetched = fetcher
        .get_json(&disc_url, trust, false)
        .map_err(|e| crate::mistakes::explain_discovery_failure(issuer, e, || false))?;
    let mut d = check_document(
        &fetched.body,
        issuer,
        &disc_url,
        trust,
        fetcher.allow_http(),
    )?;
    d.warnings.extend(fetched.warnings);
    Ok(d)
}

/// Reads and checks a saved discovery document (`discover --file`): the
/// expected issuer is `expected` when given, else the document's own.
pub fn read_document_file(
    path: &std::path::Path,
    expected: Option<&str>,
    allow_http: bool,
) -> Result<Discovery> {
    let label = path.display().to_string();
    let bytes = crate::input::read_bounded(path, http::MAX_BODY)
        .map_err(|e| Error::io(format!("{label}: {e}")))?
        .ok_or_else(|| Error::io(format!("{label}: larger than 1 MiB")))?;
    let issuer = match expected {
        Some(i) => resolve(i),
        None => match crate::json::parse_strict(&bytes) {
            Ok(Value::Object(m)) => match m.get("issuer") {
                Some(Value::String(s)) => s.clone(),
                _ => {
                    return Err(Error::new(
                        Kind::DiscoveryInvalid,
                        format!("discovery document {label}: has no `issuer` string"),
                    ));
                }
            },
            // check_document names what is wrong
            _ => String::new(),
        },
    };
    let trust = Url::parse(&issuer).map_or(Trust::Remote, |u| Trust::of(&u));
    check_document(&bytes, &issuer, &label, trust, allow_http)
}

/// A checked discovery document.
#[derive(Debug, Clone)]
pub struct Discovery {
    pub issuer: String,
    pub url: String,
    pub raw: Vec<u8>,
    pub document: Map<String, Value>,
    pub jwks_uri: String,
    pub warnings: Vec<String>,
    /// The trust of the issuer URL, which its `jwks_uri` inherits.
    pub trust: Trust,
}

impl Discovery {
    /// Where the issuer's keys are: its `jwks_uri`, a URL from a document.
    pub fn jwks_source(&self) -> crate::keys::source::SetSource {
        crate::keys::source::SetSource::Url {
            url: self.jwks_uri.clone(),
            trust: self.trust,
            derived: true,
        }
    }
}

/// Whether a discovery warning is about metadata the provider omits (not
/// something the user can fix: `verify` shows it only with -v).
pub fn is_omission(warning: &str) -> bool {
    warning.ends_with(OMISSION)
}

const OMISSION: &str = "is missing (OIDC Discovery calls it required)";

/// Metadata OIDC Discovery §3 calls REQUIRED (real providers omit some: a warning).
const REQUIRED: [&str; 5] = [
    "authorization_endpoint",
    "response_types_supported",
    "subject_types_supported",
    "id_token_signing_alg_values_supported",
    "jwks_uri",
];

pub fn check_document(
    bytes: &[u8],
    issuer: &str,
    url: &str,
    trust: Trust,
    allow_http: bool,
) -> Result<Discovery> {
    let invalid = |why: String| {
        Error::new(
            Kind::DiscoveryInvalid,
            format!("discovery document {url}: {why}"),
        )
    };
    let doc = match crate::json::parse_strict(bytes) {
        Ok(Value::Object(m)) => m,
        Ok(other) => {
            return Err(invalid(format!(
                "expected a JSON object, found {}",
                crate::jwt::json_type(&other)
            )));
        }
        Err(e) => return Err(invalid(format!("not valid JSON: {e}"))),
    };
    let got = match doc.get("issuer") {
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(invalid("`issuer` is not a string".into())),
        None => return Err(invalid("has no `issuer`".into())),
    };
    if got != issuer {
        let hint = near_miss(issuer, &got)
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        return Err(Error::new(
            Kind::IssuerMismatch,
            format!(
                "discovery document {url} names issuer {:?}, but {:?} was requested{hint}; OIDC Discovery §4.3 requires them to be identical",
                sanitize::truncate(&got, 200),
                issuer
            ),
        ));
    }
    let jwks_uri = match doc.get("jwks_uri") {
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(invalid("`jwks_uri` is not a string".into())),
        None => return Err(invalid("has no `jwks_uri`: no keys to verify with".into())),
    };
    let parsed = Url::parse(&jwks_uri)
        .map_err(|e| invalid(format!("`jwks_uri` is not a URL: {e}")).with_source(e))?;
    http::check_url(&parsed, trust, true, allow_http).map_err(|e| {
        Error::new(
            Kind::DiscoveryInvalid,
            format!("discovery document {url}: jwks_uri {}", e.message),
        )
    })?;
    let mut warnings: Vec<String> = REQUIRED
        .iter()
        .filter(|k| !doc.contains_key(**k))
        .map(|k| format!("`{k}` {OMISSION}"))
        .collect();
    if let Some(Value::Array(algs)) = doc.get("id_token_signing_alg_values_supported")
        && algs
            .iter()
            .any(|a| a.as_str().is_some_and(|s| s.eq_ignore_ascii_case("none")))
    {
        warnings.push("advertises alg `none`: oidcat never accepts unsigned tokens".into());
    }
    Ok(Discovery {
        issuer: got,
        url: url.to_string(),
        raw: bytes.to_vec(),
        document: doc,
        jwks_uri,
        warnings,
        trust,
    })
}

#[cfg(test)]
mod tests;
