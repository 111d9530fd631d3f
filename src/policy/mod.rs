//! What a token must satisfy beyond its signature: the [`Policy`] built once
//! from flags, the claim assertions (`--claim`, `--require`) and the jq
//! assertions (`--assert`), and the CI claim flags (`--repo`, ...) that
//! become claim assertions. The checks that apply it are in `verify/`.

pub mod ci;
mod claim;
pub mod file;
pub mod glob;
mod jq;
mod request;

pub use claim::{ClaimAssertion, Op, joined_text, text};
pub use file::{PolicyFile, Route};
pub use jq::{run_assert, validate_assert};
pub use request::{Request, normalize_host, normalize_path, normalize_path_reference};

use crate::keys::Alg;

/// What a token must satisfy. Built once from flags; cheap to share.
#[derive(Debug, Clone)]
pub struct Policy {
    pub algs: Vec<Alg>,
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

impl Policy {
    /// Only the algorithms: no issuer or audience pinned, `exp` required,
    /// the default 60 s leeway, no other rule (docs/reference.md defaults).
    /// Callers set the rest with struct update syntax.
    pub fn new(algs: Vec<Alg>) -> Policy {
        Policy {
            algs,
            issuer: None,
            audiences: None,
            require_exp: true,
            leeway: 60,
            max_age: None,
            typ: None,
            claims: Vec::new(),
            require: Vec::new(),
            asserts: Vec::new(),
        }
    }
}
