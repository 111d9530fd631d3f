//! THE core: token + keys + policy + clock -> [`Verdict`]. Shared by the
//! `verify` command and `serve`. Never prints, never exits, knows no HTTP
//! server; sees keys only through [`KeyProvider`].
//!
//! Every check is evaluated and reported, so a token with a bad signature that
//! is also expired says both. `valid` is true only when a key from the
//! configured source verified the signature *and* every check held; the
//! claims of any other token are reported but never trusted.

use std::borrow::Cow;
use std::sync::Arc;

use jsonwebtoken::Algorithm;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::claims::Claims;
use crate::clock;
use crate::error::{Error, Kind};
use crate::jwt::{self, Jws, json_type};
use crate::keys::{self, Key, KeySet, Material};
use crate::policy::{self, ClaimAssertion};
use crate::sanitize;

/// The default allow-list (SPEC.md); HS* only with a secret.
pub const DEFAULT_ALGS: [Algorithm; 9] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
];

/// Most keys tried for a token without `kid` (SECURITY.md B9).
pub const MAX_TRIES: usize = 8;
/// A token valid for longer than this gets a warning (SECURITY.md D3).
const LONG_LIFETIME: i64 = 366 * 86_400;

/// What a token must satisfy. Built once from flags; cheap to share.
#[derive(Debug, Clone)]
pub struct Policy {
    pub algs: Vec<Algorithm>,
    /// `iss` must equal this exactly.
    pub issuer: Option<String>,
    /// `None`: any audience (`--any-audience`).
    pub audiences: Option<Vec<String>>,
    pub require_exp: bool,
    pub leeway: i64,
    pub max_age: Option<i64>,
    pub typ: Option<String>,
    pub claims: Vec<ClaimAssertion>,
    pub require: Vec<String>,
    pub asserts: Vec<String>,
}

/// Keys for the core. The CLI reads through the disk cache; `serve` keeps an
/// in-memory set with its own refresh rules.
pub trait KeyProvider {
    /// The current key set (loading it if needed).
    fn current(&self) -> Result<Arc<KeySet>, Error>;
    /// Called once when no key has the token's `kid`: a newer set, or `None`
    /// when there is none to be had (a file, a set fetched fresh this run, a
    /// refetch within the cool-down).
    fn refresh(&self) -> Result<Option<Arc<KeySet>>, Error>;
}

/// A provider over a fixed set (a file, `--key`, a secret).
pub struct StaticKeys(pub Arc<KeySet>);

impl KeyProvider for StaticKeys {
    fn current(&self) -> Result<Arc<KeySet>, Error> {
        Ok(self.0.clone())
    }
    fn refresh(&self) -> Result<Option<Arc<KeySet>>, Error> {
        Ok(None)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// A fixed name (`format`, `signature`, ...): borrowed, never allocated.
    pub check: Cow<'static, str>,
    pub ok: bool,
    /// Fixed texts are borrowed, texts about a key are shared from the key
    /// set's [`Memo`]; only details naming token values are built.
    pub detail: Text,
}

/// A check's detail: a fixed text, one built for this token, or one shared
/// by every verdict made with the same key.
#[derive(Debug, Clone)]
pub enum Text {
    Static(&'static str),
    Owned(String),
    Shared(Arc<str>),
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Text::Static(s) => s,
            Text::Owned(s) => s,
            Text::Shared(s) => s,
        }
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        **self == **other
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

impl From<&'static str> for Text {
    fn from(s: &'static str) -> Text {
        Text::Static(s)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::Owned(s)
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        String::deserialize(d).map(Text::Owned)
    }
}

/// Per key and algorithm, what a verification that succeeds with it
/// reports: two check details and the `key` object, built once per key set
/// and shared (`serve` reports the same few keys thousands of times a second;
/// building them cost more than half a microsecond per token).
#[derive(Debug, Default)]
pub struct Memo(std::sync::OnceLock<Box<[AlgSlots]>>);

/// One slot per algorithm a key may verify.
type AlgSlots = [std::sync::OnceLock<Arc<Success>>; ALG_SLOTS];

/// A clone is a new set that may change: it starts with an empty memo.
impl Clone for Memo {
    fn clone(&self) -> Memo {
        Memo::default()
    }
}

const ALG_SLOTS: usize = 12;

#[derive(Debug)]
pub struct Success {
    key_detail: Arc<str>,
    signature_detail: Arc<str>,
    info: Arc<KeyInfo>,
}

impl Memo {
    fn success(&self, set: &KeySet, i: usize, alg: Algorithm) -> Arc<Success> {
        let build = || {
            let key = &set.keys[i];
            let label = key.label();
            let name = keys::alg_name(alg);
            Arc::new(Success {
                key_detail: format!("{label} from {}", set.source).into(),
                signature_detail: format!(
                    "{name} signature verified with key {label} ({})",
                    key.thumbprint
                )
                .into(),
                info: Arc::new(KeyInfo {
                    kid: key.kid.clone(),
                    alg: name.into(),
                    thumbprint: key.thumbprint.clone(),
                    source: set.source.clone(),
                }),
            })
        };
        use Algorithm::*;
        let slot = match alg {
            HS256 => 0,
            HS384 => 1,
            HS512 => 2,
            RS256 => 3,
            RS384 => 4,
            RS512 => 5,
            PS256 => 6,
            PS384 => 7,
            PS512 => 8,
            ES256 => 9,
            ES384 => 10,
            EdDSA => 11,
            #[allow(unreachable_patterns)]
            _ => return build(),
        };
        let slots = self
            .0
            .get_or_init(|| (0..set.keys.len()).map(|_| Default::default()).collect());
        match slots.get(i) {
            Some(s) => s[slot].get_or_init(build).clone(),
            None => build(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct KeyInfo {
    pub kid: Option<String>,
    pub alg: String,
    pub thumbprint: String,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ErrorInfo {
    pub kind: Kind,
    pub message: String,
}

/// Appends `s` as a JSON string, as serde_json writes it: text with nothing
/// JSON must escape (almost every check detail, kid and URL) is copied as
/// is; the rest goes through serde_json. The document `serve` sends with
/// every answer took 0.7 µs through serde, a twentieth of a verification.
fn push_json_str(out: &mut Vec<u8>, s: &str) {
    // No early exit: the whole-string fold vectorises.
    let escape = s
        .bytes()
        .fold(false, |e, b| e | (b < 0x20) | (b == b'"') | (b == b'\\'));
    if escape {
        let _ = serde_json::to_writer(&mut *out, s);
    } else {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    }
}

/// The answer, serialised as the `verify -o json` document of SPEC.md.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    pub valid: bool,
    /// `null` when the token did not parse.
    pub header: Option<Claims>,
    pub claims: Option<Claims>,
    pub key: Option<Arc<KeyInfo>>,
    pub checks: Vec<Check>,
    pub error: Option<ErrorInfo>,
    /// Diagnostics for stderr (skipped keys, long lifetimes); not in the JSON contract.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

impl Verdict {
    /// A verdict for a request that carried no token at all (`serve`).
    pub fn missing_token(message: &str) -> Verdict {
        Verdict {
            valid: false,
            header: None,
            claims: None,
            key: None,
            checks: vec![Check {
                check: "token".into(),
                ok: false,
                detail: message.to_owned().into(),
            }],
            error: Some(ErrorInfo {
                kind: Kind::MissingToken,
                message: message.into(),
            }),
            warnings: vec![],
        }
    }

    /// The same JSON value as serialising the verdict with serde, compact,
    /// with the header and claims embedded as the text that was signed (it
    /// was validated as one strict JSON object when parsed) instead of being
    /// re-read member by member: `serve` writes one per request.
    pub fn to_json_compact(&self) -> Vec<u8> {
        fn object(out: &mut Vec<u8>, c: &Option<Claims>) {
            match c {
                Some(c) => out.extend_from_slice(c.raw().trim().as_bytes()),
                None => out.extend_from_slice(b"null"),
            }
        }
        let raw = |c: &Option<Claims>| c.as_ref().map_or(0, |c| c.raw().len());
        let mut out = Vec::with_capacity(1024 + raw(&self.header) + raw(&self.claims));
        out.extend_from_slice(if self.valid {
            b"{\"valid\":true,\"header\":"
        } else {
            b"{\"valid\":false,\"header\":"
        });
        object(&mut out, &self.header);
        out.extend_from_slice(b",\"claims\":");
        object(&mut out, &self.claims);
        out.extend_from_slice(b",\"key\":");
        match &self.key {
            Some(k) => {
                out.extend_from_slice(b"{\"kid\":");
                match &k.kid {
                    Some(kid) => push_json_str(&mut out, kid),
                    None => out.extend_from_slice(b"null"),
                }
                out.extend_from_slice(b",\"alg\":");
                push_json_str(&mut out, &k.alg);
                out.extend_from_slice(b",\"thumbprint\":");
                push_json_str(&mut out, &k.thumbprint);
                out.extend_from_slice(b",\"source\":");
                push_json_str(&mut out, &k.source);
                out.push(b'}');
            }
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"checks\":[");
        for (i, c) in self.checks.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"check\":");
            push_json_str(&mut out, &c.check);
            out.extend_from_slice(if c.ok {
                b",\"ok\":true,\"detail\":"
            } else {
                b",\"ok\":false,\"detail\":"
            });
            push_json_str(&mut out, &c.detail);
            out.push(b'}');
        }
        out.push(b']');
        out.extend_from_slice(b",\"error\":");
        // Writing to a Vec fails only on a serialisation error these plain
        // types cannot have; the document would then still be the start of it.
        let _ = serde_json::to_writer(&mut out, &self.error);
        out.push(b'}');
        out
    }

    pub fn exit_code(&self) -> u8 {
        match &self.error {
            None if self.valid => 0,
            None => crate::error::EXIT_REJECTED,
            Some(e) => e.kind.exit_code(),
        }
    }

    pub fn kind(&self) -> Option<Kind> {
        self.error.as_ref().map(|e| e.kind)
    }

    /// The claims only when the token is valid, without building the full map.
    pub fn trusted(&self) -> Option<&Claims> {
        if self.valid && self.error.is_none() {
            self.claims.as_ref()
        } else {
            None
        }
    }

    /// The claims only when the token is valid: the one door to trusted claims.
    pub fn trusted_claims(&self) -> Option<&Map<String, Value>> {
        if self.valid && self.error.is_none() {
            self.claims.as_ref().map(Claims::map)
        } else {
            None
        }
    }
}

/// Collects checks; the first failure (in the SPEC's order, which is the
/// order checks are added) becomes `error`.
struct Report {
    checks: Vec<Check>,
    error: Option<ErrorInfo>,
}

impl Report {
    fn pass(&mut self, check: &'static str, detail: impl Into<Text>) {
        self.checks.push(Check {
            check: check.into(),
            ok: true,
            detail: detail.into(),
        });
    }
    fn fail(&mut self, check: &'static str, kind: Kind, detail: impl Into<Text>) {
        let detail = detail.into();
        if self.error.is_none() {
            self.error = Some(ErrorInfo {
                kind,
                message: format!("{check}: {detail}"),
            });
        }
        self.checks.push(Check {
            check: check.into(),
            ok: false,
            detail,
        });
    }
}

fn alg_list(algs: &[Algorithm]) -> String {
    algs.iter()
        .map(|a| keys::alg_name(*a))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "RS256 is allowed", without formatting on the hot path.
fn allowed_text(alg: Algorithm) -> &'static str {
    use Algorithm::*;
    match alg {
        HS256 => "HS256 is allowed",
        HS384 => "HS384 is allowed",
        HS512 => "HS512 is allowed",
        RS256 => "RS256 is allowed",
        RS384 => "RS384 is allowed",
        RS512 => "RS512 is allowed",
        PS256 => "PS256 is allowed",
        PS384 => "PS384 is allowed",
        PS512 => "PS512 is allowed",
        ES256 => "ES256 is allowed",
        ES384 => "ES384 is allowed",
        EdDSA => "EdDSA is allowed",
        _ => "allowed",
    }
}

/// Verifies `token` at Unix time `now`.
pub fn verify(token: &str, provider: &dyn KeyProvider, policy: &Policy, now: i64) -> Verdict {
    let mut r = Report {
        checks: Vec::with_capacity(12),
        error: None,
    };
    let mut warnings = Vec::new();
    let jws = match jwt::parse_jws(token).and_then(|j| check_header(&j).map(|_| j)) {
        Ok(j) => j,
        Err(e) => {
            let e = crit_first(token, e);
            r.fail("format", e.kind, e.message);
            return Verdict {
                valid: false,
                header: None,
                claims: None,
                key: None,
                checks: r.checks,
                error: r.error,
                warnings,
            };
        }
    };
    r.pass("format", "compact JWS, strict base64url and JSON");

    // algorithm
    let alg_text = jws.alg().unwrap_or_default();
    let alg = match keys::parse_alg(&alg_text) {
        Some(a) if policy.algs.contains(&a) => {
            r.pass("algorithm", allowed_text(a));
            Some(a)
        }
        _ => {
            let why = if alg_text.eq_ignore_ascii_case("none") {
                "unsigned tokens (`none`) are never accepted".to_string()
            } else if keys::parse_alg(&alg_text).is_none() {
                format!("{} is not supported", sanitize::truncate(&alg_text, 32))
            } else if alg_text.starts_with("HS") {
                format!(
                    "{alg_text} needs a shared secret (--secret-file or --secret-env); allowed: {}",
                    alg_list(&policy.algs)
                )
            } else {
                format!(
                    "{alg_text} is not allowed (allowed: {})",
                    alg_list(&policy.algs)
                )
            };
            r.fail("algorithm", Kind::AlgNotAllowed, why);
            None
        }
    };

    // key and signature
    let mut key_info = None;
    match alg {
        None => r.fail(
            "signature",
            Kind::BadSignature,
            "not checked: the algorithm is not allowed",
        ),
        Some(alg) => match check_signature(&jws, alg, provider, &mut warnings) {
            Ok((_, _)) if jws.noncanonical_signature.is_some() => {
                r.fail("format", Kind::Malformed, "the signature's base64url has non-zero unused bits: a re-encoded signature is not accepted");
            }
            Ok((i, set)) => {
                let done = set.memo.success(&set, i, alg);
                r.pass("key", Text::Shared(done.key_detail.clone()));
                r.pass("signature", Text::Shared(done.signature_detail.clone()));
                key_info = Some(done.info.clone());
            }
            Err((stage, kind, msg)) => {
                r.fail(stage, kind, msg);
                if stage == "key" {
                    r.fail(
                        "signature",
                        Kind::BadSignature,
                        "not checked: no usable key",
                    );
                }
            }
        },
    }

    let claims = &jws.claims;
    check_issuer(&mut r, claims, policy);
    check_audience(&mut r, claims, policy);
    check_times(&mut r, claims, policy, now, &mut warnings);
    check_typ(&mut r, &jws.header, policy);
    for a in &policy.claims {
        match a.check_value(claims.lookup(&a.name).as_ref()) {
            Ok(()) => r.pass("claim", format!("{a} holds")),
            Err((kind, msg)) => r.fail("claim", kind, format!("{a}: {msg}")),
        }
    }
    for name in &policy.require {
        match claims.lookup(name) {
            Some(_) => r.pass("require", format!("`{name}` is present")),
            None => r.fail(
                "require",
                Kind::MissingClaim,
                format!("claim `{name}` is missing"),
            ),
        }
    }
    for expr in &policy.asserts {
        match policy::run_assert(expr, claims.map(), jws.header.map()) {
            Ok(()) => r.pass("assert", format!("{expr} holds")),
            Err(e) => r.fail("assert", Kind::AssertionFailed, format!("{expr}: {e}")),
        }
    }

    let valid = r.error.is_none() && key_info.is_some();
    Verdict {
        valid,
        header: Some(jws.header),
        claims: Some(jws.claims),
        key: key_info,
        checks: r.checks,
        error: r.error,
        warnings,
    }
}

/// A header naming `crit` or `b64` is refused as such even when the payload
/// does not parse (RFC 7797 detached or unencoded payloads, SECURITY.md A10):
/// "not implemented" is the real reason, not the empty or non-JSON payload.
fn crit_first(token: &str, e: Error) -> Error {
    use base64::Engine;
    if e.kind != Kind::Malformed
        || token.len() > crate::input::MAX_INPUT
        || token.split('.').count() != 3
    {
        return e;
    }
    let header = token.split('.').next().unwrap_or_default();
    let Ok(bytes) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(header) else {
        return e;
    };
    match crate::json::parse_strict(&bytes) {
        Ok(Value::Object(h)) if h.contains_key("crit") || h.contains_key("b64") => Error::new(
            Kind::CritUnsupported,
            format!(
                "header `crit`/`b64` names extensions oidcat does not implement (RFC 7797 unencoded payloads are not supported); also: {}",
                e.message
            ),
        ),
        _ => e,
    }
}

/// Header rules beyond JSON shape (SECURITY.md A9, A10, B1, B8, D12).
fn check_header(jws: &Jws) -> Result<(), Error> {
    let h = &jws.header;
    // A member that is not a string, named with its JSON type.
    let not_string = |name: &str| {
        h.get_text(name).filter(|t| !t.starts_with('"')).map(|_| {
            let v = h.get(name).unwrap_or_default();
            Error::malformed(format!(
                "header `{name}` is {}, not a string",
                json_type(&v)
            ))
        })
    };
    if !h.contains_key("alg") {
        return Err(Error::malformed("header has no `alg`"));
    }
    if let Some(e) = not_string("alg") {
        return Err(e);
    }
    if let Some(crit) = h.get_text("crit") {
        return Err(Error::new(
            Kind::CritUnsupported,
            format!(
                "header `crit` {} names extensions oidcat does not implement (none are)",
                sanitize::truncate(crit, 80)
            ),
        ));
    }
    if h.contains_key("b64") {
        return Err(Error::new(
            Kind::CritUnsupported,
            "header `b64` (RFC 7797 unencoded payload) is not supported",
        ));
    }
    for name in ["kid", "typ", "cty"] {
        if let Some(e) = not_string(name) {
            return Err(e);
        }
    }
    if let Some(kid) = h.get_str("kid")
        && kid.len() > keys::MAX_KID
    {
        return Err(Error::malformed(format!(
            "header `kid` is {} bytes (at most {})",
            kid.len(),
            keys::MAX_KID
        )));
    }
    if let Some(cty) = h.get_str("cty")
        && cty
            .trim_start_matches("application/")
            .eq_ignore_ascii_case("jwt")
    {
        return Err(Error::malformed(
            "nested JWT (`cty: JWT`) is not supported: the inner token would escape these checks",
        ));
    }
    Ok(())
}

type SigError = (&'static str, Kind, String);

fn check_signature(
    jws: &Jws,
    alg: Algorithm,
    provider: &dyn KeyProvider,
    warnings: &mut Vec<String>,
) -> Result<(usize, Arc<KeySet>), SigError> {
    let kid = jws.header.get_str("kid");
    let kid = kid.as_deref();
    let mut set = provider.current().map_err(|e| ("key", e.kind, e.message))?;
    let has_kid = |s: &KeySet| {
        s.single || kid.is_none_or(|k| s.keys.iter().any(|key| key.kid.as_deref() == Some(k)))
    };
    if !has_kid(&set) {
        match provider.refresh() {
            Ok(Some(newer)) => set = newer,
            Ok(None) => {}
            Err(e) => {
                return Err((
                    "key",
                    e.kind,
                    format!(
                        "kid not in the cached key set and refetching failed: {}",
                        e.message
                    ),
                ));
            }
        }
    }
    // A single key the user named (--key, a secret) has no kid to compare.
    let by_kid: Vec<&Key> = set
        .keys
        .iter()
        .filter(|k| kid.is_none() || k.kid.as_deref() == kid || (set.single && k.kid.is_none()))
        .collect();
    if by_kid.is_empty() {
        let age =
            clock::human_duration(clock::system_now().saturating_sub(set.fetched_at).max(0) as u64);
        return Err((
            "key",
            Kind::KeyNotFound,
            format!(
                "no key with kid {} in {} (fetched {age} ago); it holds: {}",
                sanitize::truncate(kid.unwrap_or_default(), 64),
                set.source,
                set.kids()
            ),
        ));
    }
    let mut fitting = Vec::new();
    let mut reasons = Vec::new();
    let mut only_alg_mismatch = true;
    for k in by_kid {
        match keys::fits(k, alg) {
            Ok(()) => fitting.push(k),
            Err(why) => {
                only_alg_mismatch &= why.ends_with(" only");
                reasons.push(format!("key {} {why}", k.label()));
            }
        }
    }
    if fitting.is_empty() {
        let kind = if only_alg_mismatch {
            Kind::AlgNotAllowed
        } else {
            Kind::KeyNotFound
        };
        return Err((
            "key",
            kind,
            format!(
                "no key fits {}: {}",
                keys::alg_name(alg),
                reasons.join("; ")
            ),
        ));
    }
    if fitting.len() > MAX_TRIES {
        warnings.push(format!(
            "{} keys fit and the token has no kid: only the first {MAX_TRIES} are tried",
            fitting.len()
        ));
        fitting.truncate(MAX_TRIES);
    }
    // The signature bytes were decoded once by the parser (leniently as to
    // unused trailing bits, so a re-encoded valid signature is told apart as
    // `malformed` by the caller); each key was parsed once for aws-lc-rs.
    for k in &fitting {
        if k.verify_signature(alg, jws.signing_input(), &jws.signature) {
            let i = set
                .keys
                .iter()
                .position(|x| std::ptr::eq(x, *k))
                .unwrap_or_default();
            return Ok((i, set.clone()));
        }
    }
    let tried: Vec<String> = fitting.iter().map(|k| k.label()).collect();
    Err((
        "signature",
        Kind::BadSignature,
        format!(
            "the signature does not verify with {} ({})",
            if tried.len() == 1 {
                "key"
            } else {
                "any of the keys"
            },
            tried.join(", ")
        ),
    ))
}

fn check_issuer(r: &mut Report, claims: &Claims, policy: &Policy) {
    // The usual case, read in place: `iss` is the pinned string.
    if let Some(want) = &policy.issuer
        && claims
            .get_str("iss")
            .is_some_and(|got| got == want.as_str())
    {
        return r.pass("issuer", format!("iss is {want}"));
    }
    let iss = claims.get("iss");
    let iss = iss.as_ref();
    match (iss, &policy.issuer) {
        (Some(Value::String(got)), Some(want)) if got == want => {
            r.pass("issuer", format!("iss is {want}"))
        }
        (Some(Value::String(got)), Some(want)) => {
            let hint = crate::issuer::near_miss(want, got)
                .map(|h| format!(" ({h})"))
                .unwrap_or_default();
            r.fail(
                "issuer",
                Kind::IssuerMismatch,
                format!(
                    "iss is {:?}, expected {want:?}{hint}",
                    sanitize::truncate(got, 200)
                ),
            );
        }
        (None | Some(Value::Null), Some(want)) => r.fail(
            "issuer",
            Kind::MissingClaim,
            format!("iss is missing, expected {want:?}"),
        ),
        (Some(v), _) if !v.is_string() && !v.is_null() => r.fail(
            "issuer",
            Kind::IssuerMismatch,
            format!("iss is {}; it must be a string", json_type(v)),
        ),
        _ => r.pass("issuer", "not pinned (no --issuer)"),
    }
}

fn check_audience(r: &mut Report, claims: &Claims, policy: &Policy) {
    // The usual case, read in place: `aud` is one string that is accepted.
    if let Some(expected) = &policy.audiences
        && let Some(got) = claims.get_str("aud")
        && let Some(hit) = expected.iter().find(|e| e.as_str() == got)
    {
        return r.pass("audience", format!("aud holds {hit}"));
    }
    let aud = claims.get("aud");
    let aud = aud.as_ref();
    let values: Result<Vec<&str>, String> = match aud {
        None | Some(Value::Null) => Ok(vec![]),
        Some(Value::String(s)) => Ok(vec![s.as_str()]),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str()
                    .ok_or_else(|| format!("aud holds {}; it must hold only strings", json_type(v)))
            })
            .collect(),
        Some(v) => Err(format!(
            "aud is {}; it must be a string or an array of strings",
            json_type(v)
        )),
    };
    let values = match values {
        Ok(v) => v,
        Err(e) => return r.fail("audience", Kind::AudienceMismatch, e),
    };
    let Some(expected) = &policy.audiences else {
        return r.pass("audience", "any audience accepted (--any-audience)");
    };
    if matches!(aud, None | Some(Value::Null)) {
        return r.fail(
            "audience",
            Kind::MissingClaim,
            format!("aud is missing, expected {}", expected.join(" or ")),
        );
    }
    if let Some(hit) = values.iter().find(|v| expected.iter().any(|e| e == *v)) {
        return r.pass("audience", format!("aud holds {hit}"));
    }
    let mut hint = String::new();
    if values.is_empty() {
        hint = " (aud is an empty array)".into();
    } else if let Some(v) = values.iter().find(|v| {
        expected.iter().any(|e| {
            e.eq_ignore_ascii_case(v) || e.trim_end_matches('/') == v.trim_end_matches('/')
        })
    }) {
        hint = format!(" ({v:?} differs only in case or a trailing slash)");
    } else if let Some(Value::String(s)) = aud
        && expected.iter().any(|e| s.split([' ', ',']).any(|p| p == e))
    {
        hint = " (aud is one string holding a list: an array of strings was expected)".into();
    }
    let shown = match aud {
        Some(Value::String(s)) => format!("{:?}", sanitize::truncate(s, 120)),
        Some(v) => sanitize::truncate(&v.to_string(), 200),
        None => String::new(),
    };
    r.fail(
        "audience",
        Kind::AudienceMismatch,
        format!("aud is {shown}, expected {}{hint}", expected.join(" or ")),
    );
}

fn check_times(
    r: &mut Report,
    claims: &Claims,
    policy: &Policy,
    now: i64,
    warnings: &mut Vec<String>,
) {
    let leeway = policy.leeway;
    let date = |name: &str| {
        clock::numeric_date(claims.get(name).as_ref()).map_err(|e| format!("{name} {e}"))
    };
    match date("exp") {
        Err(e) => r.fail("exp", Kind::Malformed, e),
        Ok(None) if policy.require_exp => r.fail(
            "exp",
            Kind::MissingClaim,
            "exp is missing (use --no-require-exp to accept tokens that never expire)",
        ),
        Ok(None) => r.pass("exp", "no exp (allowed by --no-require-exp)"),
        Ok(Some(exp)) => {
            if now as i128 >= exp as i128 + leeway as i128 {
                r.fail(
                    "exp",
                    Kind::Expired,
                    format!(
                        "expired {} ago (leeway {leeway}s), at {}",
                        clock::human_duration((now as i128 - exp as i128).max(0) as u64),
                        clock::rfc3339(exp)
                    ),
                );
            } else {
                let mut d = String::with_capacity(48);
                d.push_str("expires ");
                clock::push_relative(&mut d, exp, now);
                d.push_str(" (");
                clock::push_rfc3339(&mut d, exp);
                d.push(')');
                r.pass("exp", d);
                if exp as i128 - now as i128 > LONG_LIFETIME as i128 {
                    warnings.push(format!(
                        "token is valid for {} more: consider --max-age",
                        clock::human_duration(
                            (exp as i128 - now as i128).min(u64::MAX as i128) as u64
                        )
                    ));
                }
            }
        }
    }
    match date("nbf") {
        Err(e) => r.fail("nbf", Kind::Malformed, e),
        Ok(Some(nbf)) if nbf as i128 > now as i128 + leeway as i128 => r.fail(
            "nbf",
            Kind::NotYetValid,
            format!(
                "not valid until {} ({}, leeway {leeway}s)",
                clock::rfc3339(nbf),
                clock::relative(nbf, now)
            ),
        ),
        Ok(Some(nbf)) => {
            let mut d = String::with_capacity(32);
            d.push_str("valid since ");
            clock::push_rfc3339(&mut d, nbf);
            r.pass("nbf", d)
        }
        Ok(None) => {}
    }
    match date("iat") {
        Err(e) => r.fail("iat", Kind::Malformed, e),
        Ok(Some(iat)) if iat as i128 > now as i128 + leeway as i128 => r.fail(
            "iat",
            Kind::IssuedInFuture,
            format!(
                "issued in the future: {} ({}, leeway {leeway}s)",
                clock::rfc3339(iat),
                clock::relative(iat, now)
            ),
        ),
        Ok(Some(iat)) => {
            let mut d = String::with_capacity(24);
            d.push_str("issued ");
            clock::push_relative(&mut d, iat, now);
            r.pass("iat", d);
            if let Some(max) = policy.max_age {
                let age = now as i128 - iat as i128;
                if age > max as i128 + leeway as i128 {
                    r.fail(
                        "max_age",
                        Kind::TooOld,
                        format!(
                            "issued {} ago, more than --max-age {max}s (leeway {leeway}s)",
                            clock::human_duration(age as u64)
                        ),
                    );
                } else {
                    r.pass("max_age", format!("issued within {max}s"));
                }
            }
        }
        Ok(None) if policy.max_age.is_some() => r.fail(
            "max_age",
            Kind::MissingClaim,
            "iat is missing and --max-age needs it",
        ),
        Ok(None) => {}
    }
}

/// `typ` compares case-insensitively with an optional `application/` (RFC 7515 §4.1.9).
pub fn normalize_typ(t: &str) -> String {
    let lower = t.to_ascii_lowercase();
    lower
        .strip_prefix("application/")
        .unwrap_or(&lower)
        .to_string()
}

fn check_typ(r: &mut Report, header: &Claims, policy: &Policy) {
    let Some(want) = &policy.typ else { return };
    match header.get_str("typ").as_deref() {
        Some(t) if normalize_typ(t) == normalize_typ(want) => {
            r.pass("typ", format!("typ is {}", sanitize::truncate(t, 40)))
        }
        Some(t) => r.fail(
            "typ",
            Kind::TypMismatch,
            format!("typ is {:?}, expected {want:?}", sanitize::truncate(t, 40)),
        ),
        None => r.fail(
            "typ",
            Kind::TypMismatch,
            format!("header has no typ, expected {want:?}"),
        ),
    }
}

/// Builds the HMAC key from a secret, checking its length against the
/// allowed HS algorithms (SECURITY.md C9). Returns the key and the HS algorithms it may verify.
pub fn secret_key(secret: Vec<u8>, explicit: &[Algorithm]) -> Result<(Key, Vec<Algorithm>), Error> {
    use Algorithm::*;
    let need = |a: Algorithm| match a {
        HS256 => 32,
        HS384 => 48,
        _ => 64,
    };
    let hs: Vec<Algorithm> = if explicit.is_empty() {
        vec![HS256, HS384, HS512]
    } else {
        explicit
            .iter()
            .copied()
            .filter(|a| matches!(a, HS256 | HS384 | HS512))
            .collect()
    };
    if secret.is_empty() {
        return Err(Error::usage("the HMAC secret is empty"));
    }
    let usable: Vec<Algorithm> = hs
        .iter()
        .copied()
        .filter(|a| secret.len() >= need(*a))
        .collect();
    if !explicit.is_empty()
        && let Some(a) = hs.iter().find(|a| secret.len() < need(**a))
    {
        return Err(Error::usage(format!(
            "{} needs a secret of at least {} bytes (got {})",
            keys::alg_name(*a),
            need(*a),
            secret.len()
        )));
    }
    if usable.is_empty() {
        return Err(Error::usage(format!(
            "HS256 needs a secret of at least 32 bytes (got {})",
            secret.len()
        )));
    }
    let key = keys::from_material(Material::Hmac { k: secret }, None, None, None, None, vec![])
        .map_err(Error::usage)?;
    Ok((key, usable))
}

#[cfg(test)]
mod tests {
    use super::push_json_str;

    fn agrees(s: &str) {
        let mut out = b"x".to_vec();
        push_json_str(&mut out, s);
        let mut want = b"x".to_vec();
        want.extend(serde_json::to_vec(s).unwrap());
        assert_eq!(out, want, "{s:?}");
    }

    /// Byte for byte what serde_json writes, escapes or not.
    #[test]
    fn json_strings_as_serde_writes_them() {
        for s in [
            "",
            "plain",
            "RS256 signature verified with key rsa-1 (6v0mHSLvGXkRo4ZkypiSZog2QJxFBHO-vrBv3G4mhVA)",
            "https://token.actions.githubusercontent.com/.well-known/jwks",
            "q\"uote",
            "back\\slash",
            "new\nline",
            "\u{0}\u{1f}\u{7f}",
            "\u{e9}t\u{e9} \u{2028} \u{1f600}",
            "</script>",
        ] {
            agrees(s);
        }
    }

    proptest::proptest! {
        #[test]
        fn json_strings_agree_on_generated(s in "\\PC{0,40}|[\\x00-\\x7f]{0,40}") {
            agrees(&s);
        }
    }
}
