//! The one integration test binary: runs the real `oidcat` binary (through
//! `support::bin::Ctx`, with a cleared environment and `--color never`) and
//! the library's core layers (Wycheproof, property tests). Its files use
//! `support::cli` as their prelude.

#[path = "support/mod.rs"]
mod support;

#[path = "cli/ci.rs"]
mod ci;
#[path = "cli/decode.rs"]
mod decode;
#[path = "cli/edges.rs"]
mod edges;
#[path = "cli/engine.rs"]
mod engine;
#[path = "cli/interop.rs"]
mod interop;
#[path = "cli/keys.rs"]
mod keys;
#[path = "cli/mistakes.rs"]
mod mistakes;
#[path = "cli/net.rs"]
mod net;
#[path = "cli/security.rs"]
mod security;
#[path = "cli/sign.rs"]
mod sign;
#[path = "cli/verdict_words.rs"]
mod verdict_words;
#[path = "cli/verify.rs"]
mod verify;
#[path = "cli/wycheproof.rs"]
mod wycheproof;
