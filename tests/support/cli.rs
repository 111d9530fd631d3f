//! The CLI suite's prelude: everything shared, plus tokens and `verify` runs
//! at a fixed instant ([`NOW`]) against the trusted test key set.

use serde_json::{Value, json};

pub use super::bin::*;
pub use super::fixtures::*;
pub use super::issuer::*;
pub use super::signing::*;

/// The instant most tests evaluate at (2023-11-14T22:13:20Z).
pub const NOW: i64 = 1_700_000_000;
pub const NOW_S: &str = "1700000000";
/// The GitHub fixture token is valid at this instant.
pub const GH_NOW: &str = "1674498700";
pub const GH_KID: &str = "78167F727DEC5D801DD1C8784C704A1C880EC0E1";
pub const GH_ISS: &str = "https://token.actions.githubusercontent.com";

/// Standard claims valid at [`NOW`].
pub fn claims() -> Value {
    json!({"iss": "https://idp.test", "aud": "api", "sub": "user-1", "iat": NOW - 10, "exp": NOW + 600})
}

/// `claims()` with members replaced (a `null` value removes the member).
pub fn claims_with(changes: Value) -> Value {
    merged(claims(), &changes)
}

/// `verify --jwks-file JWKS --audience api --now NOW` (text output): the key
/// set in the file `jwks` at [`NOW`]; add flags and the token.
pub fn verify_jwks(jwks: &str) -> VerifyCmd {
    verify_cmd().jwks_file(jwks).audience("api").now(NOW_S)
}

/// `-o json verify --jwks-file keys/jwks.json --audience api --now NOW`: the
/// trusted test key set at [`NOW`]; add flags and the token.
pub fn trusted_verify() -> VerifyCmd {
    verify_jwks(&fx("keys/jwks.json")).json()
}

/// The arguments of [`trusted_verify`], then `extra`, then `token`.
pub fn verify_args(token: &str, extra: &[&str]) -> Vec<String> {
    trusted_verify().args(extra).arg(token).argv()
}

/// Runs [`verify_args`] in a fresh context.
pub fn verify(token: &str, extra: &[&str]) -> Outcome {
    oidcat(&verify_args(token, extra))
}

/// `-o json verify --issuer ISSUER --audience api --now NOW`: keys discovered
/// from `issuer`; add flags and the token.
pub fn issuer_verify(issuer: &str) -> VerifyCmd {
    verify_cmd()
        .json()
        .issuer(issuer)
        .audience("api")
        .now(NOW_S)
}

/// [`issuer_verify`] of `token`, run in a fresh context.
pub fn verify_issuer(issuer: &str, token: &str) -> Outcome {
    issuer_verify(issuer).arg(token).run()
}

/// `-o json verify --jwks-uri URI --audience api --now NOW`: the key set
/// fetched from `uri`; add flags and the token.
pub fn jwks_uri_verify(uri: impl Into<String>) -> VerifyCmd {
    verify_cmd()
        .json()
        .arg("--jwks-uri")
        .arg(uri)
        .audience("api")
        .now(NOW_S)
}

/// An issuer at a host that resolves nowhere, reachable only through the
/// proxy [`proxied_issuer`] starts.
pub const PROXIED_ISS: &str = "http://idp.test";

/// A loopback server publishing [`PROXIED_ISS`]'s discovery document and the
/// trusted test key set, the proxy in front of it, and the arguments of a
/// `verify` (plain HTTP, no cache) of a token that issuer signed. Give the
/// proxy to a context through `HTTP_PROXY`.
pub fn proxied_issuer() -> (Server, Proxy, Vec<String>) {
    let server = Server::start();
    server.set(
        "/.well-known/openid-configuration",
        Reply::value(&json!({"issuer": PROXIED_ISS, "jwks_uri": format!("{PROXIED_ISS}/jwks")})),
    );
    server.set("/jwks", Reply::value(&read_json("keys/jwks.json")));
    let proxy = Proxy::start(server.addr);
    let t = jwt(
        jsonwebtoken::Algorithm::RS256,
        &claims_with(json!({ "iss": PROXIED_ISS })),
    );
    let args = issuer_verify(PROXIED_ISS)
        .globals(&["--allow-http", "--no-cache"])
        .arg(&t)
        .argv();
    (server, proxy, args)
}
