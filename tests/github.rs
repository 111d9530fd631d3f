//! `oidcat token` and `oidcat verify` inside a (simulated) GitHub Actions job:
//! a local stand-in of the runner's OIDC token endpoint, the
//! `token | verify` pipeline, `$GITHUB_OUTPUT` / `$GITHUB_STEP_SUMMARY`, and
//! workflow-command injection through claim values (docs/reference.md,
//! `oidcat token`; docs/github-actions.md).
//!
//! Everything runs on 127.0.0.1 with short timeouts; the real binary is run
//! with a cleared environment (`support::bin::Ctx`).

#[path = "support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::{Map, Value, json};

use support::bin::{Ctx, Outcome, VerifyCmd, verify_cmd};
use support::fixtures::{fx, now, unb64};
use support::issuer::{Reply, Request, Server};
use support::signing::token_kid;

const ISSUER: &str = "https://token.actions.githubusercontent.com";
const URL_VAR: &str = "ACTIONS_ID_TOKEN_REQUEST_URL";
const TOKEN_VAR: &str = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";
/// The runner's request token (not the JWT): what the endpoint expects as Bearer.
const REQUEST_TOKEN: &str = "runner-request-token-0123456789";

/// GitHub-like claims for `aud`.
fn claims(aud: &str) -> Map<String, Value> {
    let t = now();
    json!({
        "iss": ISSUER,
        "aud": aud,
        "sub": "repo:acme/app:ref:refs/heads/main",
        "repository": "acme/app",
        "ref": "refs/heads/main",
        "iat": t - 5,
        "nbf": t - 5,
        "exp": t + 300,
    })
    .as_object()
    .unwrap()
    .clone()
}

// ---------------------------------------------------------------------------
// The token endpoint stand-in.

#[derive(Clone)]
struct EndpointConfig {
    /// Answer `fail_status` this many times before succeeding.
    fail_times: usize,
    /// The status of those failures (503 unless set).
    fail_status: u16,
    /// Answer this status and body on every request instead of a token.
    always: Option<(u16, &'static str)>,
    /// PEM key under tests/fixtures/keys used to sign (always with kid rsa-1).
    key: &'static str,
    /// Claims set or overridden on top of [`claims`].
    extra: Map<String, Value>,
}

impl Default for EndpointConfig {
    fn default() -> Self {
        EndpointConfig {
            fail_times: 0,
            fail_status: 503,
            always: None,
            key: "rsa.pem",
            extra: Map::new(),
        }
    }
}

struct Endpoint {
    server: Server,
    /// Requests that broke the protocol (the endpoint answered 400 to them).
    violations: Arc<Mutex<Vec<String>>>,
    /// Every JWT handed out.
    issued: Arc<Mutex<Vec<String>>>,
}

impl Endpoint {
    fn start(cfg: EndpointConfig) -> Endpoint {
        let attempts = AtomicUsize::new(0);
        let violations = Arc::new(Mutex::new(Vec::new()));
        let issued = Arc::new(Mutex::new(Vec::new()));
        let (v, i) = (violations.clone(), issued.clone());
        let server = Server::with_handler(Duration::from_secs(5), move |req| {
            let n = attempts.fetch_add(1, Ordering::SeqCst) + 1;
            answer(req, n, &cfg, &v, &i)
        });
        Endpoint {
            server,
            violations,
            issued,
        }
    }

    fn url(&self) -> String {
        format!("{}/token?api-version=2.0", self.server.url())
    }

    fn attempts(&self) -> usize {
        self.server.total()
    }

    fn assert_no_violations(&self) {
        let v = self.violations.lock().unwrap();
        assert!(v.is_empty(), "token endpoint saw bad requests: {v:?}");
    }

    fn last_issued(&self) -> String {
        self.issued
            .lock()
            .unwrap()
            .last()
            .cloned()
            .expect("no token was issued")
    }
}

fn respond(status: u16, reason: &'static str, body: &str) -> Reply {
    Reply::json(body)
        .with_status(status, reason)
        .header("Content-Type", "application/json; charset=utf-8")
}

/// The endpoint's answer to its `n`th request.
fn answer(
    req: &Request,
    n: usize,
    cfg: &EndpointConfig,
    violations: &Mutex<Vec<String>>,
    issued: &Mutex<Vec<String>>,
) -> Reply {
    let mut problems = Vec::new();
    let (method, target) = (req.method.as_str(), req.target.as_str());
    if method != "GET" {
        problems.push(format!("method {method}"));
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if path != "/token" {
        problems.push(format!("path {path}"));
    }
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    if pairs.first().map(|(k, v)| (k.as_str(), v.as_str())) != Some(("api-version", "2.0")) {
        problems.push(format!("existing query not kept first: {query:?}"));
    }
    let audiences: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "audience")
        .map(|(_, v)| v.as_str())
        .collect();
    if audiences.len() > 1 {
        problems.push(format!("several audience parameters: {query:?}"));
    }
    match req.header("authorization") {
        Some(v) if v == format!("Bearer {REQUEST_TOKEN}") => {}
        other => problems.push(format!("Authorization {other:?}")),
    }
    match req.header("accept") {
        Some(v) if v.contains("application/json") => {}
        other => problems.push(format!("Accept {other:?}")),
    }
    if !problems.is_empty() {
        let msg = problems.join("; ");
        violations.lock().unwrap().push(msg.clone());
        return respond(400, "Bad Request", &json!({ "message": msg }).to_string());
    }
    if let Some((status, body)) = cfg.always {
        return respond(status, "Nope", body);
    }
    if n <= cfg.fail_times {
        return respond(cfg.fail_status, "Unavailable", r#"{"message":"try again"}"#);
    }
    let mut c = claims(audiences.first().copied().unwrap_or(ISSUER_DEFAULT_AUD));
    if audiences.is_empty() {
        // GitHub's default audience is the repository owner's URL.
        c.insert("aud".into(), json!("https://github.com/acme"));
    }
    for (k, v) in &cfg.extra {
        c.insert(k.clone(), v.clone());
    }
    let jwt = token_kid("rsa-1", cfg.key, &Value::Object(c));
    issued.lock().unwrap().push(jwt.clone());
    respond(200, "OK", &json!({ "count": 1, "value": jwt }).to_string())
}

const ISSUER_DEFAULT_AUD: &str = "https://github.com/acme";

// ---------------------------------------------------------------------------
// Running the binary.

/// The temp dir of one simulated job: HOME, the cache and the step files.
struct Job {
    ctx: Ctx,
}

impl Job {
    fn new() -> Job {
        Job { ctx: Ctx::new() }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.ctx.path(name)
    }

    /// `oidcat` in the job's clean environment, with NO_COLOR=1.
    fn cmd(&self) -> Command {
        let mut c = self.ctx.bare_cmd();
        c.env("NO_COLOR", "1");
        c
    }

    /// `oidcat` as a step of an Actions job: the runner's variables, and empty
    /// `$GITHUB_OUTPUT` / `$GITHUB_STEP_SUMMARY` files.
    fn step(&self, ep: Option<&Endpoint>) -> Command {
        let mut c = self.cmd();
        for f in ["output", "summary"] {
            if !self.path(f).exists() {
                self.ctx.write(f, "");
            }
        }
        c.env("GITHUB_ACTIONS", "true")
            .env("GITHUB_OUTPUT", self.path("output"))
            .env("GITHUB_STEP_SUMMARY", self.path("summary"));
        if let Some(ep) = ep {
            c.env(URL_VAR, ep.url()).env(TOKEN_VAR, REQUEST_TOKEN);
        }
        c
    }

    fn read(&self, name: &str) -> String {
        self.ctx.read(name)
    }

    /// `oidcat token --audience AUD` as a step against `ep`.
    fn token(&self, ep: &Endpoint, aud: &str) -> Outcome {
        run(self.step(Some(ep)), &["token", "--audience", aud], None)
    }
}

fn run<S: AsRef<OsStr>>(mut c: Command, args: &[S], stdin: Option<&str>) -> Outcome {
    c.args(args);
    if let Some(s) = stdin {
        c.write_stdin(s.to_string());
    }
    Outcome::of(&mut c)
}

/// Lines the runner would take as workflow commands: it splits on `\n` and
/// trims leading whitespace before looking for `::`.
fn command_lines(s: &str) -> Vec<&str> {
    s.split('\n')
        .filter(|l| l.trim_start().starts_with("::"))
        .collect()
}

/// Parses a `$GITHUB_OUTPUT` file the way the runner does on Linux (lines split
/// on `\n`; `NAME=VALUE` or `NAME<<DELIM` ... `DELIM`).
fn parse_output_file(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut lines = text.split('\n').peekable();
    while let Some(line) = lines.next() {
        if line.is_empty() {
            if lines.peek().is_none() {
                break;
            }
            continue;
        }
        let eq = line.find('=');
        let heredoc = line.find("<<");
        match (eq, heredoc) {
            (Some(e), h) if h.is_none_or(|h| e < h) => {
                out.push((line[..e].to_string(), line[e + 1..].to_string()));
            }
            (_, Some(h)) => {
                let name = &line[..h];
                let delim = &line[h + 2..];
                if name.is_empty() || delim.is_empty() {
                    return Err(format!("bad heredoc line {line:?}"));
                }
                let mut value = Vec::new();
                loop {
                    match lines.next() {
                        None => return Err(format!("no closing delimiter for {name}")),
                        Some(l) if l == delim => break,
                        Some(l) => value.push(l),
                    }
                }
                out.push((name.to_string(), value.join("\n")));
            }
            _ => return Err(format!("bad line {line:?}")),
        }
    }
    Ok(out)
}

/// `verify --jwks-file keys/jwks.json --issuer ISSUER --audience AUD EXTRA...`.
/// A job beside a token endpoint, and the job's token for audience `aud`,
/// asked for by the rules (the endpoint is returned to be asked more).
fn job_with_token(aud: &str) -> (Endpoint, Job, Outcome) {
    let ep = Endpoint::start(EndpointConfig::default());
    let job = Job::new();
    let token = job.token(&ep, aud);
    ep.assert_no_violations();
    assert_eq!(token.code, 0, "{token:?}");
    (ep, job, token)
}

fn gh_verify(aud: &str, extra: &[&str]) -> VerifyCmd {
    verify_cmd()
        .jwks_file(fx("keys/jwks.json"))
        .issuer(ISSUER)
        .audience(aud)
        .args(extra)
}

/// `cmd`'s arguments after the output `mode` flags.
fn in_mode(mode: &[&str], cmd: &VerifyCmd) -> Vec<String> {
    mode.iter().fold(cmd.clone(), |c, m| c.global(*m)).argv()
}

/// A rejected `verify` step: exit 1, nothing in `$GITHUB_OUTPUT`, no workflow
/// command on stdout and exactly one on stderr, without a raw CR; returns it.
#[track_caller]
fn assert_rejected_step<'a>(job: &Job, v: &'a Outcome, what: &str) -> &'a str {
    assert_eq!(v.code, 1, "{what}: {v:?}");
    assert_eq!(
        job.read("output"),
        "",
        "{what}: a rejected token reached $GITHUB_OUTPUT"
    );
    assert!(command_lines(&v.stdout).is_empty(), "{what}: {v:?}");
    let cmds = command_lines(&v.stderr);
    assert_eq!(cmds.len(), 1, "{what}: other workflow commands: {v:?}");
    assert!(!cmds[0].contains('\r'), "{what}: raw CR in ::error");
    cmds[0]
}

/// Runs `cmd` as a step with `stdin` in text, JSON and quiet output: each
/// time a rejected step ([`assert_rejected_step`]); then `check(what, outcome,
/// error line)`, `what` being `prefix` and the mode.
fn rejected_in_every_mode(
    job: &Job,
    cmd: &VerifyCmd,
    stdin: &str,
    prefix: &str,
    check: impl Fn(&str, &Outcome, &str),
) {
    for mode in [&[][..], &["-o", "json"][..], &["-q"][..]] {
        let what = format!("{prefix}{mode:?}");
        let v = run(job.step(None), &in_mode(mode, cmd), Some(stdin));
        let error = assert_rejected_step(job, &v, &what);
        check(&what, &v, error);
    }
}

/// The first stderr line holding the token must be its mask.
fn assert_masked_first(stderr: &str, jwt: &str) {
    let first = stderr
        .lines()
        .find(|l| l.contains(jwt))
        .expect("the token is never masked on stderr");
    assert_eq!(
        first,
        format!("::add-mask::{jwt}"),
        "first line with the token is not its ::add-mask::"
    );
}

// ---------------------------------------------------------------------------
// 1. `oidcat token` against the endpoint.

#[test]
fn token_retries_503_and_prints_only_the_masked_jwt() {
    let ep = Endpoint::start(EndpointConfig {
        fail_times: 2,
        ..Default::default()
    });
    let job = Job::new();
    let r = job.token(&ep, "sts.amazonaws.com");
    ep.assert_no_violations();
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(ep.attempts(), 3, "two 503s then a token: three requests");
    let jwt = ep.last_issued();
    assert_eq!(r.stdout, format!("{jwt}\n"), "stdout is the JWT alone");
    assert_masked_first(&r.stderr, &jwt);
    assert_eq!(r.stderr.matches("::add-mask::").count(), 1, "{r:?}");
    // The token really carries the requested audience.
    let payload = jwt.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(&unb64(payload)).unwrap();
    assert_eq!(claims["aud"], "sts.amazonaws.com");
}

#[test]
fn token_audience_is_url_encoded_and_appended() {
    let aud = "https://api.example.com/x?y=1&z=a b+c";
    let (ep, job, r) = job_with_token(aud);
    let jwt = ep.last_issued();
    assert_eq!(r.stdout.trim_end(), jwt);
    // The endpoint decoded the audience to exactly what was asked for.
    let r = run(job.cmd(), &["-o", "json", "decode", &jwt], None);
    let doc: Value =
        serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("decode -o json ({e}): {r:?}"));
    assert_eq!(doc["claims"]["aud"], aud, "{r:?}");
}

#[test]
fn token_without_audience_sends_no_audience_parameter() {
    let ep = Endpoint::start(EndpointConfig::default());
    let job = Job::new();
    let r = run(job.step(Some(&ep)), &["token"], None);
    ep.assert_no_violations();
    assert_eq!(r.code, 0, "{r:?}");
    let jwt = ep.last_issued();
    assert_eq!(r.stdout.trim_end(), jwt);
    // No `audience` parameter reached the endpoint: it issued GitHub's
    // default audience (any parameter, even empty, would have been used).
    let r = run(job.cmd(), &["-o", "json", "decode", &jwt], None);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {r:?}"));
    assert_eq!(doc["claims"]["aud"], "https://github.com/acme", "{r:?}");
}

#[test]
fn token_retries_502_and_504_too() {
    for status in [502, 504] {
        let ep = Endpoint::start(EndpointConfig {
            fail_times: 1,
            fail_status: status,
            ..Default::default()
        });
        let job = Job::new();
        let r = job.token(&ep, "x");
        ep.assert_no_violations();
        assert_eq!(r.code, 0, "{status}: {r:?}");
        assert_eq!(ep.attempts(), 2, "{status}: one failure, then a token");
        assert_eq!(r.stdout, format!("{}\n", ep.last_issued()));
    }
    // 500 is not a transient gateway error: no retry.
    let ep = Endpoint::start(EndpointConfig {
        fail_times: 1,
        fail_status: 500,
        ..Default::default()
    });
    let job = Job::new();
    let r = job.token(&ep, "x");
    assert_eq!(r.code, 3, "{r:?}");
    assert_eq!(ep.attempts(), 1);
}

#[test]
fn token_gives_up_after_persistent_503() {
    let ep = Endpoint::start(EndpointConfig {
        fail_times: usize::MAX,
        ..Default::default()
    });
    let job = Job::new();
    let r = job.token(&ep, "x");
    ep.assert_no_violations();
    assert_eq!(r.code, 3, "{r:?}");
    assert_eq!(
        ep.attempts(),
        4,
        "502/503/504 are retried a bounded number of times"
    );
    assert!(r.stderr.contains("503"), "{r:?}");
    assert!(r.stdout.is_empty(), "{r:?}");
    assert!(!r.stderr.contains("::add-mask::"), "{r:?}");
}

#[test]
fn token_401_exits_3_with_the_endpoint_message() {
    let ep = Endpoint::start(EndpointConfig {
        always: Some((
            401,
            r#"{"message":"Requested audience not allowed by policy"}"#,
        )),
        ..Default::default()
    });
    let job = Job::new();
    let r = job.token(&ep, "x");
    ep.assert_no_violations();
    assert_eq!(r.code, 3, "{r:?}");
    assert_eq!(ep.attempts(), 1, "a 401 is not retried");
    assert!(r.stderr.contains("401"), "{r:?}");
    assert!(
        r.stderr
            .contains("Requested audience not allowed by policy"),
        "{r:?}"
    );
    assert!(r.stderr.contains("id-token: write"), "{r:?}");
    assert!(r.stdout.is_empty(), "{r:?}");
    assert!(
        !r.stderr.contains(REQUEST_TOKEN),
        "the request token leaks: {r:?}"
    );
}

#[test]
fn token_malformed_reply_exits_3() {
    for body in [
        r#"{"count":1}"#,
        r#"{"value":"not a jwt\n::add-mask::x"}"#,
        "<html>",
    ] {
        let ep = Endpoint::start(EndpointConfig {
            always: Some((200, body)),
            ..Default::default()
        });
        let job = Job::new();
        let r = job.token(&ep, "x");
        assert_eq!(r.code, 3, "{body}: {r:?}");
        assert!(r.stdout.is_empty(), "{body}: {r:?}");
        assert!(command_lines(&r.stderr).is_empty(), "{body}: {r:?}");
    }
}

#[test]
fn token_outside_a_job_names_exactly_the_missing_variables() {
    let both = (None, None);
    let no_url = (None, Some(REQUEST_TOKEN));
    let no_token = (Some("http://127.0.0.1:9/token?api-version=2.0"), None);
    let empty_token = (Some("http://127.0.0.1:9/token?api-version=2.0"), Some(""));
    for (case, (url, token)) in [
        ("both", both),
        ("no url", no_url),
        ("no token", no_token),
        ("empty token", empty_token),
    ] {
        let job = Job::new();
        let mut c = job.cmd();
        if let Some(u) = url {
            c.env(URL_VAR, u);
        }
        if let Some(t) = token {
            c.env(TOKEN_VAR, t);
        }
        let r = run(c, &["token", "--audience", "x"], None);
        assert_eq!(r.code, 3, "{case}: {r:?}");
        assert!(r.stdout.is_empty(), "{case}: {r:?}");
        assert!(r.stderr.contains("id-token: write"), "{case}: {r:?}");
        let url_missing = url.is_none();
        let token_missing = token.is_none_or(str::is_empty);
        // The message names a variable as missing iff it is.
        let first = r.stderr.lines().next().unwrap_or("");
        let named = first.split("not set").next().unwrap_or("");
        assert_eq!(named.contains(URL_VAR), url_missing, "{case}: {r:?}");
        assert_eq!(named.contains(TOKEN_VAR), token_missing, "{case}: {r:?}");
    }
}

// ---------------------------------------------------------------------------
// 4. JSON mode outside a job.

#[test]
fn token_outside_a_job_in_json_mode_prints_an_error_document() {
    let job = Job::new();
    let r = run(job.cmd(), &["-o", "json", "token", "--audience", "x"], None);
    assert_eq!(r.code, 3, "{r:?}");
    let doc: Value = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}): {r:?}"));
    assert_eq!(doc["error"]["kind"], "fetch_failed", "{r:?}");
    let msg = doc["error"]["message"]
        .as_str()
        .expect("error.message is a string");
    assert!(
        msg.contains(URL_VAR) && msg.contains(TOKEN_VAR) && msg.contains("id-token: write"),
        "{msg}"
    );
    // Also with the subcommand's flags before the global one.
    let r = run(job.cmd(), &["token", "--audience", "x", "-o", "json"], None);
    assert_eq!(r.code, 3, "{r:?}");
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["error"]["kind"], "fetch_failed");
}

// ---------------------------------------------------------------------------
// 2. token | verify, with step outputs and the summary.

#[test]
fn pipeline_token_into_verify_writes_outputs_and_summary() {
    let aud = "my-api";
    let (ep, job, token) = job_with_token(aud);
    let jwt = token.stdout.trim_end().to_string();
    assert_eq!(jwt, ep.last_issued());
    assert_masked_first(&token.stderr, &jwt);
    let args = gh_verify(
        aud,
        &[
            "--claim",
            "repository=acme/app",
            "--github-output",
            "repository",
            "--github-summary",
        ],
    );
    let v = run(job.step(None), &args.argv(), Some(&token.stdout));
    assert_eq!(v.code, 0, "{v:?}");
    assert!(!v.stdout.contains(&jwt), "verify printed the token: {v:?}");
    assert!(
        !v.stderr.contains(&jwt),
        "verify printed the token on stderr: {v:?}"
    );
    assert!(
        command_lines(&v.stdout).is_empty() && command_lines(&v.stderr).is_empty(),
        "{v:?}"
    );

    let output = job.read("output");
    let lines: Vec<&str> = output.split('\n').collect();
    assert_eq!(lines.len(), 4, "{output:?}");
    let delim = lines[0]
        .strip_prefix("repository<<")
        .unwrap_or_else(|| panic!("{output:?}"));
    let hex = delim
        .strip_prefix("ghadelimiter_")
        .unwrap_or_else(|| panic!("{output:?}"));
    assert!(
        hex.len() >= 16 && hex.chars().all(|c| c.is_ascii_hexdigit()),
        "{output:?}"
    );
    assert_eq!(output, format!("repository<<{delim}\nacme/app\n{delim}\n"));
    assert_eq!(
        parse_output_file(&output).unwrap(),
        vec![("repository".to_string(), "acme/app".to_string())]
    );

    let summary = job.read("summary");
    assert!(summary.contains("| check | result | detail |"), "{summary}");
    assert!(summary.contains("|---|---|---|"), "{summary}");
    for check in ["signature", "issuer", "audience"] {
        assert!(
            summary
                .lines()
                .any(|l| l.starts_with(&format!("| {check}")) && l.contains('✅')),
            "no passing {check} row: {summary}"
        );
    }
    assert!(summary.contains("| repository | acme/app |"), "{summary}");
    assert!(!summary.contains(&jwt), "the summary holds the token");
    assert!(!summary.contains('❌'), "{summary}");

    // A second step appends, with a fresh delimiter.
    let v = run(job.step(None), &args.argv(), Some(&token.stdout));
    assert_eq!(v.code, 0, "{v:?}");
    let output = job.read("output");
    let parsed = parse_output_file(&output).unwrap();
    assert_eq!(parsed.len(), 2, "{output:?}");
    let delims: Vec<&str> = output
        .lines()
        .filter_map(|l| l.strip_prefix("repository<<"))
        .collect();
    assert_eq!(delims.len(), 2);
    assert_ne!(delims[0], delims[1], "the delimiter is random");
}

// ---------------------------------------------------------------------------
// 3. Rejections and injection attempts.

#[test]
fn bad_signature_writes_no_output_and_one_escaped_error() {
    let ep = Endpoint::start(EndpointConfig {
        key: "rsa2.pem",
        ..Default::default()
    });
    let job = Job::new();
    let aud = "my-api";
    let token = job.token(&ep, aud);
    assert_eq!(token.code, 0, "{token:?}");
    let jwt = token.stdout.trim_end().to_string();
    let args = gh_verify(
        aud,
        &[
            "--claim",
            "repository=acme/app",
            "--github-output",
            "repository",
            "--github-summary",
        ],
    );
    rejected_in_every_mode(&job, &args, &token.stdout, "", |what, v, error| {
        assert!(error.trim_start().starts_with("::error"), "{what}: {v:?}");
        assert!(error.contains("bad_signature"), "{what}: {v:?}");
        assert!(
            !v.stdout.contains(&jwt) && !v.stderr.contains(&jwt),
            "{what}: token printed: {v:?}"
        );
    });
    let summary = job.read("summary");
    assert!(summary.contains("❌ rejected"), "{summary}");
    assert!(summary.contains("claim (unverified)"), "{summary}");
}

/// Claims that try to break out of the output block or the log line.
fn hostile_values() -> Vec<&'static str> {
    vec![
        "acme/app\n::add-mask::x",
        "acme/app\r\n::set-output name=evil::1",
        "acme/app\nevil<<EOF\npwned\nEOF",
        "acme/app\nevil=1",
        "acme/app\n  ::stop-commands::tok",
        "acme/app%0A::add-mask::y",
    ]
}

#[test]
fn hostile_claim_values_cannot_add_outputs_or_commands() {
    for value in hostile_values() {
        let mut extra = Map::new();
        extra.insert("repository".into(), json!(value));
        extra.insert("::set-output name=k::v".into(), json!("\n::add-mask::z"));
        extra.insert("team".into(), json!(["a\n::error::b", "c"]));
        let ep = Endpoint::start(EndpointConfig {
            extra,
            ..Default::default()
        });
        let job = Job::new();
        let token = job.token(&ep, "aud");
        assert_eq!(token.code, 0, "{token:?}");
        let jwt = token.stdout.trim_end().to_string();

        // A valid token: the hostile value goes to $GITHUB_OUTPUT, in its block.
        let args = gh_verify(
            "aud",
            &[
                "--claim",
                "sub=repo:acme/app:ref:refs/heads/main",
                "--github-output",
                "repository",
                "--github-output",
                "team",
                "--github-output",
                "sub",
                "--github-summary",
            ],
        );
        for mode in [&[][..], &["-o", "json"][..]] {
            let all = in_mode(mode, &args);
            std::fs::write(job.path("output"), "").unwrap();
            let v = run(job.step(None), &all, Some(&token.stdout));
            assert_eq!(v.code, 0, "{value:?} {mode:?}: {v:?}");
            assert!(
                command_lines(&v.stdout).is_empty(),
                "{value:?} {mode:?}: command on stdout: {v:?}"
            );
            assert!(
                command_lines(&v.stderr).is_empty(),
                "{value:?} {mode:?}: command on stderr: {v:?}"
            );
            assert!(!v.stdout.contains(&jwt), "{value:?}: token printed");
            let output = job.read("output");
            let parsed =
                parse_output_file(&output).unwrap_or_else(|e| panic!("{value:?}: {e}: {output:?}"));
            let names: Vec<&str> = parsed.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(
                names,
                ["repository", "team", "sub"],
                "{value:?}: {output:?}"
            );
            let map: BTreeMap<_, _> = parsed.into_iter().collect();
            assert_eq!(map["repository"], value, "{value:?}: the value round-trips");
            assert_eq!(map["team"], "a\n::error::b,c");
            assert_eq!(map["sub"], "repo:acme/app:ref:refs/heads/main");
        }
        let summary = job.read("summary");
        for l in summary.lines() {
            assert!(
                !l.trim_start().starts_with("::"),
                "{value:?}: summary line {l:?}"
            );
        }

        // A claim mismatch: the hostile value lands in the ::error reason, escaped.
        std::fs::write(job.path("output"), "").unwrap();
        let args = gh_verify(
            "aud",
            &[
                "--claim",
                "repository=acme/app",
                "--github-output",
                "repository",
            ],
        );
        let value_s = format!("{value:?} ");
        rejected_in_every_mode(&job, &args, &token.stdout, &value_s, |what, v, error| {
            assert!(error.starts_with("::error"), "{what}: {v:?}");
        });
    }
}

#[test]
fn a_fake_delimiter_line_in_a_value_cannot_close_the_block() {
    // A value that merely looks like a delimiter line cannot close the block:
    // the real delimiter is random.
    let mut extra = Map::new();
    extra.insert(
        "repository".into(),
        json!("a\nghadelimiter_00000000000000000000000000000000\nb"),
    );
    let ep = Endpoint::start(EndpointConfig {
        extra,
        ..Default::default()
    });
    let job = Job::new();
    let token = job.token(&ep, "aud");
    assert_eq!(token.code, 0, "{token:?}");
    let args = gh_verify("aud", &["--github-output", "repository"]);
    let v = run(job.step(None), &args.argv(), Some(&token.stdout));
    assert_eq!(v.code, 0, "{v:?}");
    let parsed = parse_output_file(&job.read("output")).unwrap();
    assert_eq!(parsed.len(), 1);
    assert_eq!(
        parsed[0].1,
        "a\nghadelimiter_00000000000000000000000000000000\nb"
    );
}

#[test]
fn a_claim_the_token_lacks_is_an_empty_output_and_a_warning() {
    // The reporting flags never change the verdict (docs/github-actions.md):
    // `environment` is absent from every job without one.
    let (_ep, job, token) = job_with_token("aud");
    let args = gh_verify(
        "aud",
        &[
            "--github-output",
            "repository",
            "--github-output",
            "environment",
            "--github-summary",
        ],
    );
    let v = run(job.step(None), &args.argv(), Some(&token.stdout));
    assert_eq!(v.code, 0, "{v:?}");
    let parsed = parse_output_file(&job.read("output")).unwrap();
    assert_eq!(
        parsed,
        vec![
            ("repository".to_string(), "acme/app".to_string()),
            ("environment".to_string(), String::new())
        ]
    );
    let cmds = command_lines(&v.stderr);
    assert_eq!(cmds.len(), 1, "{v:?}");
    assert!(
        cmds[0].starts_with("::warning::") && cmds[0].contains("--github-output environment"),
        "{v:?}"
    );
    assert!(job.read("summary").contains("valid"));
}

#[test]
fn outside_a_job_the_reporting_flags_warn_and_keep_the_verdict() {
    let (_ep, job, token) = job_with_token("aud");
    let args = gh_verify(
        "aud",
        &["--github-output", "repository", "--github-summary"],
    );
    // No GITHUB_ACTIONS, GITHUB_OUTPUT or GITHUB_STEP_SUMMARY: a valid token stays 0.
    let v = run(job.cmd(), &args.argv(), Some(&token.stdout));
    assert_eq!(v.code, 0, "{v:?}");
    assert!(command_lines(&v.stderr).is_empty(), "{v:?}");
    assert!(
        v.stderr
            .contains("warning: --github-output: $GITHUB_OUTPUT is not set"),
        "{v:?}"
    );
    assert!(
        v.stderr
            .contains("warning: --github-summary: $GITHUB_STEP_SUMMARY is not set"),
        "{v:?}"
    );
    // A rejected token stays 1.
    let args = gh_verify(
        "other-aud",
        &["--github-output", "repository", "--github-summary"],
    );
    let v = run(job.cmd(), &args.argv(), Some(&token.stdout));
    assert_eq!(v.code, 1, "{v:?}");
}

#[test]
fn a_step_file_that_cannot_be_written_is_exit_3_naming_it() {
    let (_ep, job, token) = job_with_token("aud");
    let missing = job.path("no-such-dir").join("output");
    for (extra, var) in [
        (&["--github-output", "repository"][..], "GITHUB_OUTPUT"),
        (&["--github-summary"][..], "GITHUB_STEP_SUMMARY"),
    ] {
        let mut c = job.step(None);
        c.env(var, &missing);
        let args = gh_verify("aud", extra);
        let v = run(c, &args.argv(), Some(&token.stdout));
        assert_eq!(v.code, 3, "{var}: {v:?}");
        let named = format!("{}: ${var} ({})", extra[0], missing.display());
        assert!(v.stderr.contains(&named), "{named}: {v:?}");
        let cmds = command_lines(&v.stderr);
        assert_eq!(cmds.len(), 1, "{var}: {v:?}");
        assert!(cmds[0].starts_with("::error::"), "{var}: {v:?}");
    }
}

#[test]
fn output_name_with_a_newline_cannot_inject_a_command() {
    // The name comes from the workflow, but may be built from an input: it is
    // refused before anything is checked or written, and the refusal stays on
    // one line.
    let (_ep, job, token) = job_with_token("aud");
    for name in ["environment\n::warning::x", "environment\r\n::add-mask::y"] {
        let args = gh_verify("aud", &["--github-output", name]);
        let v = run(job.step(None), &args.argv(), Some(&token.stdout));
        assert_eq!(v.code, 2, "{name:?}: {v:?}");
        assert!(
            v.stderr.contains("a claim name has no control characters"),
            "{v:?}"
        );
        let cmds = command_lines(&v.stderr);
        assert!(
            cmds.iter()
                .all(|c| c.starts_with("::error") && !c.contains('\r')),
            "{name:?}: {v:?}"
        );
        assert!(command_lines(&v.stdout).is_empty(), "{name:?}: {v:?}");
        assert_eq!(job.read("output"), "");
    }
}
