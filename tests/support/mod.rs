//! The one test-support library of every integration test binary
//! (`tests/cli.rs`, `tests/serve.rs`, `tests/github.rs`, `tests/generated.rs`,
//! `tests/action.rs`),
//! each of which includes it with `#[path = "support/mod.rs"] mod support;`.
//!
//! - [`fixtures`]: committed files under `tests/fixtures`, base64url, the clock;
//! - [`signing`]: tokens over arbitrary header and payload bytes, signed with
//!   the committed test keys;
//! - [`issuer`]: a real HTTP(S) server on 127.0.0.1:0 serving discovery
//!   documents and key sets (or any reply), counting hits; a CONNECT proxy;
//! - [`bin`]: the real binary in a hermetic environment ([`bin::Ctx`]), its
//!   [`bin::Outcome`], and the `verify` command builder [`bin::verify_cmd`];
//! - [`cli`] and [`serve`]: what the CLI and the `serve` suites build on
//!   top (each suite's files `use` one of them as their prelude).
//!
//! Loopback only; every loop and wait is bounded in count or time.

// Each test binary uses a different subset of this library (and of the two
// suite preludes' re-exports): what one of them leaves unused is not dead for
// the others.
#![allow(dead_code, unused_imports)]

pub mod bin;
pub mod cli;
pub mod fixtures;
pub mod issuer;
pub mod serve;
pub mod signing;
