//! `oidcat serve`: the gateway auth server (docs/serve.md;
//! docs/hostile-inputs.md E6-E10 and F1-F9). Machinery: `support::serve`.
//!
//! - `handler`: in-process, `serve::handler::respond` over a `State` built
//!   here (statuses, challenges, identity headers, key-set behaviour);
//! - `binary`: the real binary on 127.0.0.1:0 (signals, load, slow and idle
//!   clients, oversized headers, the issuer going down, the access log);
//! - `policy`: `serve --policy` and `verify --policy` on one table, reloads,
//!   and the gateways in front of a policy;
//! - `gateways`: nginx `auth_request` and Caddy `forward_auth` in front of it,
//!   and nginx balancing three replicas while one is killed (skipped with a
//!   notice when nginx or caddy is not installed).
//!
//! Loopback only; every loop and wait has a deadline.

#[path = "support/mod.rs"]
mod support;

#[path = "serve/binary.rs"]
mod binary;
#[path = "serve/gateways.rs"]
mod gateways;
#[path = "serve/handler.rs"]
mod handler;
#[path = "serve/policy.rs"]
mod policy;
