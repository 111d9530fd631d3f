//! The stable error kinds of the contract (SPEC.md) and the one place that
//! maps each to an exit code. Nothing else decides exit codes.

use serde::Serialize;

/// A failure with a stable, documented kind. `message` is one line naming the
/// cause (and the URL, path or flag involved).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub kind: Kind,
    pub message: String,
}

impl Error {
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
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
    pub fn exit_code(&self) -> u8 {
        self.kind.exit_code()
    }
}

/// What a caller (script, gateway) can rely on. The `serde` names are the
/// `error.kind` strings of SPEC.md and never change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
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
    // usage: exit 2
    Usage,
    // could not decide: exit 3
    FetchFailed,
    DiscoveryInvalid,
    JwksInvalid,
    OfflineMiss,
    Io,
}

/// Exit codes of SPEC.md.
pub const EXIT_OK: u8 = 0;
pub const EXIT_REJECTED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_UNDECIDED: u8 = 3;

impl Kind {
    /// Exhaustive on purpose: a new kind must choose its exit code here.
    pub fn exit_code(self) -> u8 {
        use Kind::*;
        match self {
            Malformed | EncryptedToken | AlgNotAllowed | KeyNotFound | BadSignature
            | IssuerMismatch | AudienceMismatch | Expired | NotYetValid | IssuedInFuture
            | TooOld | MissingClaim | ClaimMismatch | AssertionFailed | TypMismatch
            | CritUnsupported | MissingToken => EXIT_REJECTED,
            Usage => EXIT_USAGE,
            FetchFailed | DiscoveryInvalid | JwksInvalid | OfflineMiss | Io => EXIT_UNDECIDED,
        }
    }

    /// Every kind, in declaration order (metrics count each one).
    pub const ALL: [Kind; 23] = {
        use Kind::*;
        [
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
            Usage,
            FetchFailed,
            DiscoveryInvalid,
            JwksInvalid,
            OfflineMiss,
            Io,
        ]
    };

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
        assert_eq!(Kind::Usage.exit_code(), 2);
        assert_eq!(Kind::FetchFailed.exit_code(), 3);
        assert_eq!(Kind::OfflineMiss.exit_code(), 3);
        let json = serde_json::to_string(&Kind::EncryptedToken).unwrap();
        assert_eq!(json, "\"encrypted_token\"");
        assert_eq!(Kind::EncryptedToken.as_str(), "encrypted_token");
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
                | CritUnsupported | MissingToken | Usage | FetchFailed | DiscoveryInvalid
                | JwksInvalid | OfflineMiss | Io => Kind::ALL.get(k.index()) == Some(&k),
            }
        }
        for k in Kind::ALL {
            assert!(listed(k), "{k}");
        }
        assert!(listed(Kind::Io) && listed(Kind::Usage));
    }
}
