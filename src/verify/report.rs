//! What a verification reports: one [`Check`] per rule, named by a
//! [`CheckName`], and the [`Report`] that collects them in order.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::Kind;

/// The name of a check, serialised as the string the JSON verdict carries
/// (docs/json.md). Typed so that callers (`serve`'s status) decide by
/// variant, not by string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckName {
    /// The request carried no token (`serve`).
    Token,
    Format,
    Algorithm,
    Key,
    Signature,
    Issuer,
    Audience,
    Exp,
    Nbf,
    Iat,
    AuthTime,
    MaxAge,
    Typ,
    Claim,
    Require,
    Assert,
    /// The route of a policy file (`verify --policy --path`, `serve --policy`).
    Route,
}

impl CheckName {
    pub const fn as_str(self) -> &'static str {
        match self {
            CheckName::Token => "token",
            CheckName::Format => "format",
            CheckName::Algorithm => "algorithm",
            CheckName::Key => "key",
            CheckName::Signature => "signature",
            CheckName::Issuer => "issuer",
            CheckName::Audience => "audience",
            CheckName::Exp => "exp",
            CheckName::Nbf => "nbf",
            CheckName::Iat => "iat",
            CheckName::AuthTime => "auth_time",
            CheckName::MaxAge => "max_age",
            CheckName::Typ => "typ",
            CheckName::Claim => "claim",
            CheckName::Require => "require",
            CheckName::Assert => "assert",
            CheckName::Route => "route",
        }
    }
}

/// Padded as a `str` is (`{:<8}`): the text report aligns by it.
impl std::fmt::Display for CheckName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl PartialEq<str> for CheckName {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for CheckName {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Check {
    pub check: CheckName,
    pub ok: bool,
    /// Fixed texts are borrowed, texts about a key are shared from the key
    /// set's memo (`keys::memo`); only details naming token values are built.
    pub detail: Text,
}

/// A check's detail: a fixed text, one built for this token, or one shared
/// by every verdict made with the same key.
///
/// Not `Cow<'static, str>`: a `Cow` cannot share the memo's `Arc<str>`, so
/// every verified token would copy its two key texts into new `String`s
/// (two allocations per request in `serve`).
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

/// The key that verified the signature, as the verdict reports it.
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

/// Collects checks; the first failure (in the order of docs/reference.md,
/// which is the order checks are added) becomes `error`.
pub(crate) struct Report {
    pub(crate) checks: Vec<Check>,
    pub(crate) error: Option<ErrorInfo>,
}

impl Report {
    pub(crate) fn new() -> Report {
        Report {
            checks: Vec::with_capacity(12),
            error: None,
        }
    }

    pub(crate) fn pass(&mut self, check: CheckName, detail: impl Into<Text>) {
        self.checks.push(Check {
            check,
            ok: true,
            detail: detail.into(),
        });
    }

    pub(crate) fn fail(&mut self, check: CheckName, kind: Kind, detail: impl Into<Text>) {
        let detail = detail.into();
        if self.error.is_none() {
            self.error = Some(ErrorInfo {
                kind,
                message: format!("{check}: {detail}"),
            });
        }
        self.checks.push(Check {
            check,
            ok: false,
            detail,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each name serialises as the string it displays as, and reads back.
    #[test]
    fn check_names_serialise_as_their_strings() {
        use CheckName::*;
        for c in [
            Token, Format, Algorithm, Key, Signature, Issuer, Audience, Exp, Nbf, Iat, MaxAge, Typ,
            Claim, Require, Assert, Route,
        ] {
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
            assert_eq!(serde_json::from_str::<CheckName>(&json).unwrap(), c);
        }
        assert!(serde_json::from_str::<CheckName>("\"nope\"").is_err());
    }
}
