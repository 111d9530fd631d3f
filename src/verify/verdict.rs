//! The answer of a verification: every check, the key that verified, the
//! first failure, and the one door to trusted claims.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::claims::Claims;
use crate::error::{Exit, Kind};

use super::report::{Check, CheckName, ErrorInfo, KeyInfo};

/// The answer, serialised as the `verify -o json` document
/// (docs/json.md). `serve` writes it with `serve::json` instead of serde.
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
                check: CheckName::Token,
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

    /// Whether an error from reading the token (empty, not UTF-8, too large,
    /// unreadable, an encrypted JSON document) is answered with a verdict.
    pub fn is_input_failure(e: &crate::error::Error) -> bool {
        matches!(e.kind, Kind::Malformed | Kind::EncryptedToken | Kind::Io)
    }

    /// The whole verdict for an input refused before it could be parsed:
    /// nothing decoded, one failed check (`format`, or `token` when it could
    /// not be read at all).
    pub fn input_failure(e: &crate::error::Error) -> Verdict {
        let check = if e.kind == Kind::Io {
            CheckName::Token
        } else {
            CheckName::Format
        };
        Verdict {
            valid: false,
            header: None,
            claims: None,
            key: None,
            checks: vec![Check {
                check,
                ok: false,
                detail: e.message.clone().into(),
            }],
            error: Some(ErrorInfo {
                kind: e.kind,
                message: format!("{check}: {}", e.message),
            }),
            warnings: vec![],
        }
    }

    /// The word the verdict line starts with: `VALID` (exit 0), `REJECTED`
    /// (1), `NOT VERIFIED` (3: could not decide; nothing was judged wrong).
    pub fn word(&self) -> &'static str {
        match self.exit() {
            Exit::Ok => "VALID",
            Exit::Undecided => "NOT VERIFIED",
            _ => "REJECTED",
        }
    }

    /// The exit status of this verdict (docs/reference.md#exit-codes),
    /// decided by [`Exit::of_outcome`] from its error's category.
    pub fn exit(&self) -> Exit {
        Exit::of_outcome(self.valid, self.kind())
    }

    pub fn exit_code(&self) -> u8 {
        self.exit().code()
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
