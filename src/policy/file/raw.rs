//! The TOML model of a policy file, as read (spans kept for diagnostics);
//! `check` turns it into a [`super::PolicyFile`].

use serde::Deserialize;
use toml::Spanned;

pub(super) type S<T> = Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    pub(super) leeway: Option<S<u64>>,
    pub(super) algorithms: Option<S<Vec<S<String>>>>,
    pub(super) audience: Option<Vec<String>>,
    pub(super) any_audience: Option<bool>,
    pub(super) typ: Option<String>,
    pub(super) max_age: Option<u64>,
    pub(super) require_exp: Option<bool>,
    #[serde(default)]
    pub(super) issuer: Vec<S<RawIssuer>>,
    #[serde(default)]
    pub(super) route: Vec<S<RawRoute>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIssuer {
    pub(super) name: Option<S<String>>,
    pub(super) url: S<String>,
    pub(super) jwks_uri: Option<S<String>>,
    pub(super) jwks_file: Option<S<String>>,
    pub(super) key_file: Option<S<String>>,
    pub(super) audience: Option<S<Vec<String>>>,
    pub(super) any_audience: Option<S<bool>>,
    pub(super) algorithms: Option<S<Vec<S<String>>>>,
    pub(super) leeway: Option<S<u64>>,
    pub(super) typ: Option<String>,
    pub(super) max_age: Option<u64>,
    pub(super) require_exp: Option<bool>,
    #[serde(default)]
    pub(super) require: Vec<String>,
    #[serde(default)]
    pub(super) claims: Vec<S<String>>,
    #[serde(default)]
    pub(super) assert: Vec<S<String>>,
    #[serde(default)]
    pub(super) forward_claims: Vec<String>,
    pub(super) repo: Option<S<String>>,
    #[serde(rename = "ref")]
    pub(super) ref_: Option<S<String>>,
    pub(super) workflow: Option<S<String>>,
    pub(super) environment: Option<S<String>>,
    pub(super) event: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRoute {
    pub(super) name: Option<S<String>>,
    pub(super) path: S<String>,
    pub(super) host: Option<S<String>>,
    pub(super) methods: Option<Vec<S<String>>>,
    pub(super) issuers: Option<Vec<S<String>>>,
    #[serde(default)]
    pub(super) claims: Vec<S<String>>,
    #[serde(default)]
    pub(super) require: Vec<String>,
    #[serde(default)]
    pub(super) assert: Vec<S<String>>,
    #[serde(default)]
    pub(super) deny: bool,
}
