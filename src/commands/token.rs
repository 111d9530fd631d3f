//! `oidcat token`: this GitHub Actions job's OIDC token. The token is masked
//! (`::add-mask::` on stderr) before it appears anywhere, then printed alone
//! on stdout.

use std::time::Duration;

use serde_json::Value;

use crate::cli::{GlobalArgs, TokenArgs};
use crate::error::{Error, Exit, Kind, Result};
use crate::http::{self, Trust};
use crate::report::Out;

const URL_VAR: &str = "ACTIONS_ID_TOKEN_REQUEST_URL";
const TOKEN_VAR: &str = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";
/// Attempts for 502/503/504 answers, with backoff 0.5 s, 1 s, 2 s.
const ATTEMPTS: u32 = 4;

pub fn run(args: &TokenArgs, g: &GlobalArgs, out: &Out) -> Result<Exit> {
    let var = |n: &str| std::env::var(n).ok().filter(|v| !v.is_empty());
    let (url, bearer) = match (var(URL_VAR), var(TOKEN_VAR)) {
        (Some(u), Some(t)) => (u, t),
        (u, t) => {
            let missing: Vec<&str> = [(URL_VAR, u.is_none()), (TOKEN_VAR, t.is_none())]
                .iter()
                .filter(|(_, m)| *m)
                .map(|(n, _)| *n)
                .collect();
            return Err(Error::new(
                Kind::FetchFailed,
                format!(
                    "{} not set: oidcat token works only inside a GitHub Actions job whose workflow or job grants `permissions: id-token: write` (the runner sets both variables only then)",
                    missing.join(" and ")
                ),
            ));
        }
    };
    let mut parsed = http::parse_url(&url)
        .map_err(|e| Error::new(Kind::FetchFailed, format!("{URL_VAR}: {}", e.message)))?;
    if let Some(aud) = &args.audience {
        parsed.query_pairs_mut().append_pair("audience", aud);
    }
    let fetcher = super::fetcher(g, out);
    let trust = Trust::of(&parsed);
    let mut delay = Duration::from_millis(500);
    let mut attempt = 1;
    let body = loop {
        let r = fetcher.get(parsed.as_str(), trust, false, Some(&bearer))?;
        match r.status {
            200 => break r.body,
            502..=504 if attempt < ATTEMPTS => {
                out.debug(&format!(
                    "token endpoint answered {}; retrying in {} ms",
                    r.status,
                    delay.as_millis()
                ));
                std::thread::sleep(delay);
                delay *= 2;
                attempt += 1;
            }
            s => {
                let msg = crate::sanitize::truncate(String::from_utf8_lossy(&r.body).trim(), 300);
                let hint = if s == 401 || s == 403 {
                    " (is `permissions: id-token: write` granted to this job?)"
                } else {
                    ""
                };
                return Err(Error::new(
                    Kind::FetchFailed,
                    format!(
                        "token endpoint answered HTTP {s} after {attempt} attempt(s): {msg}{hint}"
                    ),
                ));
            }
        }
    };
    let value = crate::json::parse_strict(&body)
        .ok()
        .and_then(|v| v.get("value").and_then(Value::as_str).map(str::to_owned))
        .ok_or_else(|| {
            Error::new(
                Kind::FetchFailed,
                "token endpoint reply has no string `value`",
            )
        })?;
    let jwt = value.trim();
    if jwt.is_empty() || jwt.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::new(
            Kind::FetchFailed,
            "token endpoint returned an empty or malformed token",
        ));
    }
    // Mask first: the runner reads workflow commands from both streams.
    out.workflow_command(&format!("::add-mask::{jwt}"));
    if out.is_json() {
        // One JSON document, in the shape of GitHub's own reply: `verify` reads it as is.
        out.json(&serde_json::json!({ "value": jwt }));
    } else {
        Out::stdout(jwt);
    }
    Ok(Exit::Ok)
}
