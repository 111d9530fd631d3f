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
