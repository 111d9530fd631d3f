//! The stable error kinds of the contract (docs/json.md) and the one place
//! that sorts each into a [`Category`]: rejected, usage or undecided. The
//! category decides the exit code ([`Exit`], docs/reference.md#exit-codes)
//! and `serve`'s 401/403 versus 503; nothing else does.

use std::process::ExitCode;
use std::sync::Arc;

use serde::Serialize;

/// A failure with a stable, documented kind. `message` is the one line the
/// user sees, naming the cause (and the URL, path or flag involved); `source`
/// keeps the underlying error, when there is one, for callers that need its
/// type (`std::error::Error::source`).
#[derive(Debug, Clone)]
pub struct Error {
    pub kind: Kind,
    pub message: String,
    /// Shared, so that an error stays `Clone` (`serve` keeps its last one).
    pub source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// By hand rather than with `thiserror`: the source is the error inside the
/// `Arc` (so callers can downcast it), not the `Arc`.
impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl Error {
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            source: None,
        }
    }
    /// An error caused by `source`; `message` already names the cause for
    /// the user, the source keeps it for code.
    pub fn caused_by(
        kind: Kind,
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Error {
            kind,
            message: message.into(),
            source: Some(Arc::new(source)),
        }
    }
    /// This error, caused by `source` (kept for code; the message names it).
    pub fn with_source(self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        Error {
            source: Some(Arc::new(source)),
            ..self
        }
    }
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Kind::Usage, message)
    }
    pub fn malformed(message: impl Into<String>) -> Self {
        Self::new(Kind::Malformed, message)
    }
    pub fn io(message: impl Into<String>) -> Self {
        Self::new(Kind::Io, message)
    }
    pub fn category(&self) -> Category {
        self.kind.category()
    }
    pub fn exit(&self) -> Exit {
        self.kind.category().into()
    }
    pub fn exit_code(&self) -> u8 {
        self.exit().code()
    }
}

/// Declares [`Kind`] and [`Kind::ALL`] from one list, so the two cannot drift.
macro_rules! kinds {
    ($($kind:ident),* $(,)?) => {
        /// What a caller (script, gateway) can rely on. The `serde` names are the
        /// `error.kind` strings of docs/json.md and never change.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Kind {
            $($kind),*
        }

        impl Kind {
            /// Every kind, in declaration order (metrics count each one).
            pub const ALL: [Kind; [$(Kind::$kind),*].len()] = [$(Kind::$kind),*];
        }
    };
}

kinds! {
    // rejected: exit 1
    Malformed,
    EncryptedToken,
    AlgNotAllowed,
    KeyNotFound,
    BadSignature,
    IssuerMismatch,
    AudienceMismatch,
    Expired,
    NotYetValid,
    IssuedInFuture,
    TooOld,
    MissingClaim,
    ClaimMismatch,
    AssertionFailed,
    TypMismatch,
    CritUnsupported,
    MissingToken,
    RouteDenied,
    // usage: exit 2
    Usage,
    // could not decide: exit 3
    FetchFailed,
    DiscoveryInvalid,
    JwksInvalid,
    OfflineMiss,
    Io,
}

/// What a failure means to the caller. Exit codes and `serve`'s statuses
/// are derived from this and from nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// The token is not acceptable (exit 1; `serve`: 401, or 403 for a
    /// valid token failing only scope checks).
    Rejected,
    /// The command line or configuration is wrong (exit 2).
    Usage,
    /// No answer could be had: network, TLS, bad discovery or key set,
    /// `--offline` cache miss, I/O (exit 3; `serve`: 503).
    Undecided,
}

/// How a command ends: the process exit status (docs/reference.md#exit-codes).
/// Ordered by severity, so [`Exit::at_least`] keeps the worse of two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    Ok,
    Rejected,
    Usage,
    Undecided,
}

impl Exit {
    /// The exit status of a verification outcome: `valid` without an error is
    /// 0; an error decides by its kind; invalid without one is rejected.
    pub fn of_outcome(valid: bool, kind: Option<Kind>) -> Exit {
        match kind {
            None if valid => Exit::Ok,
            None => Exit::Rejected,
            Some(k) => k.category().into(),
        }
    }

    /// This exit, or `floor` when that is worse (a later step failed).
    pub fn at_least(self, floor: Exit) -> Exit {
        self.max(floor)
    }

    /// The number the process exits with.
    pub fn code(self) -> u8 {
        match self {
            Exit::Ok => 0,
            Exit::Rejected => 1,
            Exit::Usage => 2,
            Exit::Undecided => 3,
        }
    }
}

impl From<Category> for Exit {
    fn from(c: Category) -> Exit {
        match c {
            Category::Rejected => Exit::Rejected,
            Category::Usage => Exit::Usage,
            Category::Undecided => Exit::Undecided,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e.code())
    }
}

impl Kind {
    /// Exhaustive on purpose: a new kind must choose its category here.
    pub fn category(self) -> Category {
        use Kind::*;
        match self {
            Malformed | EncryptedToken | AlgNotAllowed | KeyNotFound | BadSignature
            | IssuerMismatch | AudienceMismatch | Expired | NotYetValid | IssuedInFuture
            | TooOld | MissingClaim | ClaimMismatch | AssertionFailed | TypMismatch
            | CritUnsupported | MissingToken | RouteDenied => Category::Rejected,
            Usage => Category::Usage,
            FetchFailed | DiscoveryInvalid | JwksInvalid | OfflineMiss | Io => Category::Undecided,
        }
    }

    /// The exit code of a failure of this kind.
    pub fn exit_code(self) -> u8 {
        Exit::from(self.category()).code()
    }

    /// The position in [`Kind::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The `error.kind` string.
    pub fn as_str(self) -> &'static str {
        use Kind::*;
        match self {
            Malformed => "malformed",
            EncryptedToken => "encrypted_token",
            AlgNotAllowed => "alg_not_allowed",
            KeyNotFound => "key_not_found",
            BadSignature => "bad_signature",
            IssuerMismatch => "issuer_mismatch",
            AudienceMismatch => "audience_mismatch",
            Expired => "expired",
            NotYetValid => "not_yet_valid",
            IssuedInFuture => "issued_in_future",
            TooOld => "too_old",
            MissingClaim => "missing_claim",
            ClaimMismatch => "claim_mismatch",
            AssertionFailed => "assertion_failed",
            TypMismatch => "typ_mismatch",
            CritUnsupported => "crit_unsupported",
            MissingToken => "missing_token",
            RouteDenied => "route_denied",
            Usage => "usage",
            FetchFailed => "fetch_failed",
            DiscoveryInvalid => "discovery_invalid",
            JwksInvalid => "jwks_invalid",
            OfflineMiss => "offline_miss",
            Io => "io",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_map_to_contract_exit_codes() {
        assert_eq!(Kind::BadSignature.exit_code(), 1);
        assert_eq!(Kind::MissingToken.exit_code(), 1);
        assert_eq!(Kind::RouteDenied.exit_code(), 1);
        assert_eq!(Kind::Usage.exit_code(), 2);
        assert_eq!(Kind::FetchFailed.exit_code(), 3);
        assert_eq!(Kind::OfflineMiss.exit_code(), 3);
        assert_eq!(Kind::Io.category(), Category::Undecided);
        assert_eq!(Exit::of_outcome(true, None), Exit::Ok);
        assert_eq!(Exit::of_outcome(false, None), Exit::Rejected);
        assert_eq!(Exit::of_outcome(false, Some(Kind::Usage)).code(), 2);
        assert_eq!(Exit::Ok.at_least(Exit::Rejected), Exit::Rejected);
        assert_eq!(Exit::Undecided.at_least(Exit::Rejected), Exit::Undecided);
        let json = serde_json::to_string(&Kind::EncryptedToken).unwrap();
        assert_eq!(json, "\"encrypted_token\"");
        assert_eq!(Kind::EncryptedToken.as_str(), "encrypted_token");
    }

    #[test]
    fn a_cause_stays_reachable_as_source() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "gone");
        let e = Error::caused_by(Kind::Io, "reading x: gone", io);
        assert_eq!(e.to_string(), "reading x: gone");
        assert_eq!(e.exit(), Exit::Undecided);
        let source = std::error::Error::source(&e).expect("a source");
        let io = source
            .downcast_ref::<std::io::Error>()
            .expect("the io::Error");
        assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
        assert!(std::error::Error::source(&Error::usage("u")).is_none());
    }

    #[test]
    fn all_lists_every_kind_at_its_index() {
        // Exhaustive: a new kind fails to compile here until it is listed.
        fn listed(k: Kind) -> bool {
            use Kind::*;
            match k {
                Malformed | EncryptedToken | AlgNotAllowed | KeyNotFound | BadSignature
                | IssuerMismatch | AudienceMismatch | Expired | NotYetValid | IssuedInFuture
                | TooOld | MissingClaim | ClaimMismatch | AssertionFailed | TypMismatch
                | CritUnsupported | MissingToken | RouteDenied | Usage | FetchFailed
                | DiscoveryInvalid | JwksInvalid | OfflineMiss | Io => {
                    Kind::ALL.get(k.index()) == Some(&k)
                }
            }
        }
        for k in Kind::ALL {
            assert!(listed(k), "{k}");
        }
        assert!(listed(Kind::Io) && listed(Kind::Usage));
    }
}
