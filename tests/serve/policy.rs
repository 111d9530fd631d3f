//! Policy files (docs/policy.md): the decision of `verify --policy --path`
//! and `serve --policy` on one table of (token, request) pairs, each step of
//! the decision with its detail, path normalisation, `policy check`, reloads
//! (SIGHUP, a ConfigMap-style symlink swap, a broken file keeping the old
//! policy) under load, and nginx / Caddy in front of `serve --policy`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::serve::*;

const GITLAB: &str = "https://gitlab.com";

const POLICY: &str = r#"
# two issuers, five routes
leeway = 60

[[issuer]]
name = "idp"
url = "https://idp.test"
jwks_file = "keys-idp.json"
audience = ["api"]
forward_claims = ["repository"]

[[issuer]]
name = "gitlab"
url = "gitlab"
jwks_file = "keys-gitlab.json"
audience = ["api"]
repo = "acme/*"

[[route]]
name = "deploy"
path = "/deploy/*"
methods = ["POST"]
issuers = ["idp"]
claims = ["environment=production"]

[[route]]
name = "artifacts"
path = "/artifacts/*"
issuers = ["idp", "gitlab"]
assert = ['.sub != "banned"']

[[route]]
name = "admin"
path = "/admin*"
deny = true

[[route]]
name = "health"
path = "/health"

[[route]]
name = "docs"
path = "/*"
host = "docs.example.com"
issuers = ["idp"]
"#;

/// A policy directory: the key sets and `policy.toml` (relative paths).
fn policy_dir(policy: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_policy(dir.path(), policy);
    dir
}

fn write_policy(dir: &Path, policy: &str) {
    std::fs::write(dir.join("keys-idp.json"), trusted_jwks()).unwrap();
    std::fs::write(dir.join("keys-gitlab.json"), jwks_of(&["rsa2.jwk.json"])).unwrap();
    std::fs::write(dir.join("policy.toml"), policy).unwrap();
}

fn idp(changes: Value) -> String {
    token(&claims_with(changes))
}

fn gitlab(changes: Value) -> String {
    let c = merged(
        claims_with(json!({"iss": GITLAB, "project_path": "acme/app", "repository": null})),
        &changes,
    );
    token_kid("rsa-2", "rsa2.pem", &c)
}

/// One row: what, token, path, host, method, expected kind (`None`: valid),
/// and a piece of the error message when it matters.
struct Case {
    what: &'static str,
    token: String,
    path: &'static str,
    host: Option<&'static str>,
    method: &'static str,
    kind: Option<&'static str>,
    message: &'static str,
}

fn case(
    what: &'static str,
    token: String,
    path: &'static str,
    method: &'static str,
    kind: Option<&'static str>,
) -> Case {
    Case {
        what,
        token,
        path,
        host: None,
        method,
        kind,
        message: "",
    }
}

fn cases() -> Vec<Case> {
    let prod = || idp(json!({"environment": "production"}));
    let n = now();
    let mut v = vec![
        case("deploy, production", prod(), "/deploy/x", "POST", None),
        case(
            "deploy, lower-case method",
            prod(),
            "/deploy/x",
            "post",
            None,
        ),
        case(
            "deploy by ES256",
            jwt(
                jsonwebtoken::Algorithm::ES256,
                &claims_with(json!({"environment": "production"})),
            ),
            "/deploy/x",
            "POST",
            None,
        ),
        case(
            "deploy, GET",
            prod(),
            "/deploy/x",
            "GET",
            Some("route_denied"),
        ),
        case(
            "deploy, staging",
            idp(json!({"environment": "staging"})),
            "/deploy/x",
            "POST",
            Some("claim_mismatch"),
        ),
        case(
            "deploy, no environment",
            idp(json!({})),
            "/deploy/x",
            "POST",
            Some("missing_claim"),
        ),
        case(
            "deploy by gitlab",
            gitlab(json!({"environment": "production"})),
            "/deploy/x",
            "POST",
            Some("route_denied"),
        ),
        case(
            "artifacts by gitlab",
            gitlab(json!({})),
            "/artifacts/a",
            "GET",
            None,
        ),
        case(
            "artifacts by idp",
            idp(json!({})),
            "/artifacts/a",
            "GET",
            None,
        ),
        case(
            "artifacts, banned sub",
            idp(json!({"sub": "banned"})),
            "/artifacts/a",
            "GET",
            Some("assertion_failed"),
        ),
        case(
            "artifacts, gitlab of another group",
            gitlab(json!({"project_path": "evil/app"})),
            "/artifacts/a",
            "GET",
            Some("claim_mismatch"),
        ),
        case("admin", prod(), "/admin", "GET", Some("route_denied")),
        case(
            "/deploy/../admin",
            prod(),
            "/deploy/../admin",
            "POST",
            Some("route_denied"),
        ),
        case(
            "/deploy/%2e%2e/admin",
            prod(),
            "/deploy/%2e%2e/admin",
            "POST",
            Some("route_denied"),
        ),
        case("//deploy/x", prod(), "//deploy/x", "POST", None),
        case(
            "query dropped",
            prod(),
            "/deploy/x?y=1&z=/admin",
            "POST",
            None,
        ),
        case(
            "%2F kept",
            prod(),
            "/deploy%2Fx",
            "POST",
            Some("route_denied"),
        ),
        case("%61 decoded", idp(json!({})), "/artifacts/%61", "GET", None),
        case("health by idp", idp(json!({})), "/health", "GET", None),
        case(
            "health by gitlab",
            gitlab(json!({})),
            "/health",
            "GET",
            None,
        ),
        case(
            "health/ is another path",
            idp(json!({})),
            "/health/",
            "GET",
            Some("route_denied"),
        ),
        case(
            "paths are case-sensitive",
            idp(json!({})),
            "/Health",
            "GET",
            Some("route_denied"),
        ),
        case(
            "expired",
            idp(json!({"iat": n - 7200, "exp": n - 3600})),
            "/health",
            "GET",
            Some("expired"),
        ),
        case(
            "bad signature",
            bad_signature(),
            "/health",
            "GET",
            Some("bad_signature"),
        ),
        case(
            "gitlab iss, idp's key",
            token(&claims_with(
                json!({"iss": GITLAB, "project_path": "acme/app"}),
            )),
            "/health",
            "GET",
            Some("key_not_found"),
        ),
        case(
            "wrong audience",
            idp(json!({"aud": "other"})),
            "/health",
            "GET",
            Some("audience_mismatch"),
        ),
        case(
            "garbage",
            "x.y.z".into(),
            "/health",
            "GET",
            Some("malformed"),
        ),
    ];
    v.push(Case {
        message: "accepted: https://idp.test, https://gitlab.com",
        ..case(
            "an issuer not in the file",
            idp(json!({"iss": "https://evil.test"})),
            "/health",
            "GET",
            Some("issuer_mismatch"),
        )
    });
    v.push(Case {
        message: "not open to issuer gitlab",
        ..case(
            "route issuer",
            gitlab(json!({})),
            "/deploy/x",
            "POST",
            Some("route_denied"),
        )
    });
    v.push(Case {
        message: "deny = true",
        ..case("deny", prod(), "/admin/x", "GET", Some("route_denied"))
    });
    v.push(Case {
        message: "no route matches GET /nowhere",
        ..case("no route", prod(), "/nowhere", "GET", Some("route_denied"))
    });
    for (what, t, host, kind) in [
        ("docs host", idp(json!({})), "docs.example.com", None),
        (
            "docs host, any case and a port",
            idp(json!({})),
            "DOCS.Example.com:8443",
            None,
        ),
        (
            "docs host, gitlab",
            gitlab(json!({})),
            "docs.example.com",
            Some("route_denied"),
        ),
        (
            "another host",
            idp(json!({})),
            "other.example.com",
            Some("route_denied"),
        ),
    ] {
        v.push(Case {
            host: Some(host),
            ..case(what, t, "/x", "GET", kind)
        });
    }
    v
}

/// `oidcat -o json verify --policy FILE --path ... TOKEN`.
fn verify_cli(policy: &Path, c: &Case) -> (i32, Value) {
    let cache = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(oidcat_bin());
    cmd.arg("-o")
        .arg("json")
        .arg("--cache-dir")
        .arg(cache.path())
        .arg("verify")
        .arg("--policy")
        .arg(policy)
        .arg("--path")
        .arg(c.path)
        .arg("--method")
        .arg(c.method);
    // serve sees the Host of its own request when no X-Forwarded-Host is sent
    cmd.arg("--host").arg(c.host.unwrap_or("127.0.0.1"));
    let out = cmd
        .arg(&c.token)
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: not JSON ({e}): {}\n{}",
            c.what,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), doc)
}

fn serve_policy(policy: &Path) -> Serve {
    Serve::start(&["--policy", policy.to_str().unwrap()])
}

fn serve_ask(s: &Serve, c: &Case) -> Resp {
    let auth = bearer(&c.token);
    let mut h = vec![
        ("Authorization", auth.as_str()),
        ("X-Original-URI", c.path),
        ("X-Original-Method", c.method),
    ];
    if let Some(host) = c.host {
        h.push(("X-Forwarded-Host", host));
    }
    get(s.addr, "/verify", &h).unwrap()
}

fn status_of(kind: Option<&str>) -> u16 {
    match kind {
        None => 200,
        Some(
            "route_denied" | "claim_mismatch" | "missing_claim" | "assertion_failed"
            | "audience_mismatch",
        ) => 403,
        Some(_) => 401,
    }
}

/// Every case, through both `verify --policy --path` and `serve --policy`:
/// the same kind, the documented exit code and HTTP status, and the detail
/// where one is named.
#[test]
fn verify_and_serve_agree_on_the_table() {
    let dir = policy_dir(POLICY);
    let policy = dir.path().join("policy.toml");
    let s = serve_policy(&policy);
    let table = cases();
    assert!(table.len() >= 30, "{} cases", table.len());
    let mut failures = Vec::new();
    for c in &table {
        let (code, doc) = verify_cli(&policy, c);
        let cli_kind = doc["error"]["kind"].as_str().map(str::to_owned);
        let r = serve_ask(&s, c);
        let body = r.json();
        let serve_kind = body["error"]["kind"].as_str().map(str::to_owned);
        let want = c.kind.map(str::to_owned);
        let want_code = if c.kind.is_none() { 0 } else { 1 };
        if cli_kind != want || code != want_code {
            failures.push(format!(
                "{}: verify gave {cli_kind:?} exit {code}, want {want:?}: {}",
                c.what, doc["error"]
            ));
        }
        if serve_kind != want || r.status != status_of(c.kind) {
            failures.push(format!(
                "{}: serve gave {serve_kind:?} {}, want {want:?} {}",
                c.what,
                r.status,
                status_of(c.kind)
            ));
        }
        // the same checks with the same outcome (time details may differ by a second)
        let shape = |d: &Value| -> Vec<(Value, Value, Option<Value>)> {
            d["checks"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|c| {
                    let timed = ["exp", "iat", "nbf"].contains(&c["check"].as_str().unwrap_or(""));
                    (
                        c["check"].clone(),
                        c["ok"].clone(),
                        (!timed).then(|| c["detail"].clone()),
                    )
                })
                .collect()
        };
        if doc["valid"] != body["valid"] || shape(&doc) != shape(&body) {
            failures.push(format!(
                "{}: the documents differ:\n{}\n{}",
                c.what, doc["checks"], body["checks"]
            ));
        }
        let message = doc["error"]["message"].as_str().unwrap_or("");
        if !message.contains(c.message) {
            failures.push(format!(
                "{}: message {message:?} lacks {:?}",
                c.what, c.message
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // forwarded claims come from the issuer that verified the token
    let c = &table[0];
    let r = serve_ask(&s, c);
    assert_eq!(
        r.header("x-auth-request-claim-repository").as_deref(),
        Some("acme/app")
    );
    // metrics carry issuer and route labels
    let m = get(s.addr, "/metrics", &[]).unwrap().text();
    assert!(
        m.contains(
            "oidcat_policy_decisions_total{issuer=\"idp\",route=\"deploy\",result=\"valid\"}"
        ),
        "{m}"
    );
    assert!(
        m.contains("oidcat_policy_decisions_total{issuer=\"gitlab\",route=\"deploy\",result=\"route_denied\"}"),
        "{m}"
    );
    assert!(
        m.contains("oidcat_issuer_keys_loaded{issuer=\"gitlab\"} 1"),
        "{m}"
    );
    assert_eq!(get(s.addr, "/readyz", &[]).unwrap().status, 200);
    // the other places gateways put the original path
    let auth = bearer(&table[0].token);
    let via = |path: &str, h: &[(&str, &str)]| {
        let mut all = vec![("Authorization", auth.as_str())];
        all.extend_from_slice(h);
        let r = get(s.addr, path, &all).unwrap();
        (r.status, r.kind())
    };
    let denied = (403, Some("route_denied".to_string()));
    assert_eq!(via("/verify/admin/x", &[]), denied, "Envoy: /verify/<path>");
    assert_eq!(via("/verify/health", &[]), (200, None));
    assert_eq!(via("/verify", &[("X-Forwarded-Uri", "/admin")]), denied);
    assert_eq!(
        via("/verify", &[("X-Forwarded-Uri", "/health")]),
        (200, None)
    );
    // X-Original-URI wins over X-Forwarded-Uri
    assert_eq!(
        via(
            "/verify",
            &[("X-Original-URI", "/health"), ("X-Forwarded-Uri", "/admin")]
        ),
        (200, None)
    );
    s.assert_log_clean(&[]);
}

/// An issuer whose keys cannot be had: /readyz says which, its tokens get
/// 503, the other issuer's tokens go on.
#[test]
fn one_issuer_without_keys_does_not_stop_the_others() {
    let dead = free_port();
    let text = format!(
        "[[issuer]]\nname = \"idp\"\nurl = \"https://idp.test\"\njwks_file = \"keys-idp.json\"\naudience = [\"api\"]\n\n[[issuer]]\nname = \"down\"\nurl = \"http://127.0.0.1:{dead}\"\njwks_uri = \"http://127.0.0.1:{dead}/jwks\"\naudience = [\"api\"]\n"
    );
    let dir = policy_dir(&text);
    let s = serve_policy(&dir.path().join("policy.toml"));
    let ready = get(s.addr, "/readyz", &[]).unwrap();
    assert_eq!(ready.status, 503);
    assert!(ready.text().contains("down"), "{}", ready.text());
    assert_eq!(kind_at(s.addr, &idp(json!({})), "/x").unwrap(), (200, None));
    let t = idp(json!({"iss": format!("http://127.0.0.1:{dead}")}));
    let (status, kind) = kind_at(s.addr, &t, "/x").unwrap();
    assert_eq!(status, 503, "{kind:?}");
    let m = get(s.addr, "/metrics", &[]).unwrap().text();
    assert!(m.contains("oidcat_issuer_ready{issuer=\"down\"} 0"), "{m}");
    assert!(m.contains("oidcat_issuer_ready{issuer=\"idp\"} 1"), "{m}");
}

/// Without `--path` no route is evaluated, and the report says so.
#[test]
fn verify_without_a_path_decides_on_the_issuer_alone() {
    let dir = policy_dir(POLICY);
    let policy = dir.path().join("policy.toml");
    let out = Command::new(oidcat_bin())
        .arg("verify")
        .arg("--policy")
        .arg(&policy)
        .arg(idp(json!({})))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("none was evaluated"), "{err}");
    // key-source flags beside --policy: usage
    let out = Command::new(oidcat_bin())
        .args(["verify", "--policy"])
        .arg(&policy)
        .args(["--audience", "api", "t"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--policy FILE replaces --audience"));
    // --path without --policy: usage
    let out = Command::new(oidcat_bin())
        .args([
            "verify",
            "--jwks-file",
            "x",
            "--any-audience",
            "--path",
            "/x",
            "t",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

fn policy_check(path: &Path, json: bool) -> (i32, String, String) {
    let mut cmd = Command::new(oidcat_bin());
    if json {
        cmd.args(["-o", "json"]);
    }
    let out = cmd.args(["policy", "check"]).arg(path).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `policy check`: a summary and warnings for a good file; FILE:LINE:COL for
/// every mistake of a bad one.
#[test]
fn policy_check_reports_each_mistake_with_its_place() {
    let dir = policy_dir(POLICY);
    let good = dir.path().join("policy.toml");
    let (code, out, err) = policy_check(&good, true);
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["issuers"][1]["name"], "gitlab");
    assert_eq!(doc["issuers"][1]["url"], GITLAB);
    assert_eq!(doc["issuers"][1]["rules"], 1);
    assert_eq!(doc["routes"][0]["issuers"], json!(["idp"]));
    assert_eq!(doc["routes"][3]["issuers"], Value::Null);
    let warnings = doc["warnings"].to_string();
    assert!(
        warnings.contains("route health: no issuers list"),
        "{warnings}"
    );
    let (code, out, _) = policy_check(&good, false);
    assert_eq!(code, 0);
    assert!(out.contains("2 issuer(s), 5 route(s)"), "{out}");

    let p = |name: &str, text: &str| {
        let f = dir.path().join(name);
        std::fs::write(&f, text).unwrap();
        f
    };
    // TOML syntax
    let f = p("syntax.toml", "[[issuer]]\nurl = \"https://a.example\n");
    let (code, _, err) = policy_check(&f, false);
    assert_eq!(code, 2);
    assert!(err.contains("syntax.toml:2:"), "{err}");
    // an unknown key
    let f = p(
        "unknown.toml",
        "[[issuer]]\nurl = \"https://a.example\"\nany_audience = true\naudiences = [\"x\"]\n",
    );
    let (code, _, err) = policy_check(&f, false);
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown.toml:4:1: unknown field `audiences`"),
        "{err}"
    );
    // a wrong type
    let f = p(
        "type.toml",
        "leeway = \"60\"\n[[issuer]]\nurl = \"https://a.example\"\n",
    );
    let (code, _, err) = policy_check(&f, false);
    assert_eq!(code, 2);
    assert!(err.contains("type.toml:1:10:"), "{err}");
    // one of each other mistake, all reported at once
    let f = p(
        "bad.toml",
        r#"[[issuer]]
name = "a"
url = "https://a.example"
audience = ["x"]
claims = ["repository==acme/app", "nope"]
assert = [".a =="]

[[issuer]]
name = "b"
url = "not a url"
any_audience = true

[[issuer]]
name = "c"
url = "https://a.example"
any_audience = true
repo = "acme/app"

[[route]]
path = "/x"
issuers = ["a", "zz"]
"#,
    );
    let (code, _, err) = policy_check(&f, true);
    assert_eq!(code, 2, "{err}");
    for want in [
        "bad.toml:5:35: claim \"nope\"",
        "bad.toml:6:11: assert \".a ==\"",
        "bad.toml:10:7: issuer \"not a url\" is not a URL",
        "bad.toml:15:7: duplicate issuer https://a.example (first at line 1)",
        "bad.toml:17:8: repo is for tokens of a CI issuer",
        "bad.toml:21:17: unknown issuer \"zz\"",
    ] {
        assert!(err.contains(want), "{want}\n{err}");
    }
}

fn kind_at(
    addr: std::net::SocketAddr,
    token: &str,
    path: &str,
) -> Result<(u16, Option<String>), String> {
    let auth = bearer(token);
    let r = get(
        addr,
        "/verify",
        &[("Authorization", &auth), ("X-Original-URI", path)],
    )
    .map_err(|e| e.to_string())?;
    let k = r.kind();
    Ok((r.status, k))
}

/// `cur` -> `vN`, replaced atomically as Kubernetes does with ConfigMaps.
fn swap_symlink(dir: &Path, target: &str) {
    let tmp = dir.join("cur.tmp");
    let _ = std::fs::remove_file(&tmp);
    std::os::unix::fs::symlink(target, &tmp).unwrap();
    std::fs::rename(&tmp, dir.join("cur")).unwrap();
}

fn wait_for(within: Duration, mut f: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if f() {
            return true;
        }
        thread::sleep(Duration::from_millis(100));
    }
    false
}

/// A symlink swap applies within the poll (no request dropped meanwhile);
/// a broken file keeps the running policy, logged and counted; SIGHUP
/// reloads at once.
#[test]
fn reloads_apply_good_files_and_keep_the_old_on_a_broken_one() {
    let dir = tempfile::tempdir().unwrap();
    let v1 = POLICY.to_string();
    // v2: artifacts closed to everyone
    let v2 = POLICY.replace(
        "[[route]]\nname = \"deploy\"",
        "[[route]]\nname = \"closed\"\npath = \"/artifacts/*\"\ndeny = true\n\n[[route]]\nname = \"deploy\"",
    );
    for (name, text) in [("v1", &v1), ("v2", &v2)] {
        let d = dir.path().join(name);
        std::fs::create_dir(&d).unwrap();
        write_policy(&d, text);
    }
    let broken = dir.path().join("v3");
    std::fs::create_dir(&broken).unwrap();
    write_policy(&broken, &POLICY.replace("repo = ", "repository = "));
    swap_symlink(dir.path(), "v1");
    let policy: PathBuf = dir.path().join("cur/policy.toml");
    let s = serve_policy(&policy);
    let t = idp(json!({}));
    assert_eq!(kind_at(s.addr, &t, "/artifacts/a").unwrap(), (200, None));

    // load while the policy changes: every answer is a decision, never an error
    let stop = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(AtomicUsize::new(0));
    let addr = s.addr;
    let load = {
        let (stop, answered, t) = (stop.clone(), answered.clone(), t.clone());
        thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(30);
            let mut bad = Vec::new();
            while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                match kind_at(addr, &t, "/artifacts/a") {
                    Ok((200, None)) | Ok((403, Some(_))) => {}
                    other => bad.push(format!("{other:?}")),
                }
                answered.fetch_add(1, Ordering::Relaxed);
            }
            bad
        })
    };
    swap_symlink(dir.path(), "v2");
    let applied = wait_for(Duration::from_secs(8), || {
        kind_at(s.addr, &t, "/artifacts/a").ok() == Some((403, Some("route_denied".into())))
    });
    stop.store(true, Ordering::Relaxed);
    let bad = load.join().unwrap();
    assert!(
        applied,
        "the swap to v2 was not applied; stderr:\n{}",
        s.proc.stderr()
    );
    assert!(bad.is_empty(), "{bad:?}");
    assert!(answered.load(Ordering::Relaxed) > 10);

    // a broken file: the running policy (v2) stays, the error is logged and counted
    swap_symlink(dir.path(), "v3");
    let counted = wait_for(Duration::from_secs(8), || {
        get(s.addr, "/metrics", &[])
            .map(|r| {
                r.text()
                    .contains("oidcat_policy_reloads_total{result=\"error\"} 1")
            })
            .unwrap_or(false)
    });
    assert!(counted, "stderr:\n{}", s.proc.stderr());
    assert!(
        s.proc
            .stderr()
            .contains("refused, the running policy stays")
    );
    assert!(
        s.proc.stderr().contains("unknown field `repository`"),
        "{}",
        s.proc.stderr()
    );
    assert_eq!(
        kind_at(s.addr, &t, "/artifacts/a").unwrap(),
        (403, Some("route_denied".into()))
    );

    // SIGHUP: the file is read again at once
    std::fs::write(broken.join("policy.toml"), &v1).unwrap();
    s.proc.signal("HUP");
    let reopened = wait_for(Duration::from_secs(5), || {
        kind_at(s.addr, &t, "/artifacts/a").ok() == Some((200, None))
    });
    assert!(reopened, "stderr:\n{}", s.proc.stderr());
    assert!(
        wait_for(Duration::from_secs(3), || s
            .proc
            .stderr()
            .contains("reloaded (SIGHUP)")),
        "{}",
        s.proc.stderr()
    );
    s.assert_log_clean(&[&t]);
}

/// nginx `auth_request` (X-Original-URI) and Caddy `forward_auth`
/// (X-Forwarded-Uri) in front of `serve --policy`: one allowed, one denied path.
#[test]
fn gateways_pass_the_original_path() {
    let nginx = tool("nginx");
    let caddy = tool("caddy");
    if nginx.is_none() && caddy.is_none() {
        return;
    }
    let dir = policy_dir(POLICY);
    let s = serve_policy(&dir.path().join("policy.toml"));
    let upstream = Upstream::start();
    let t = idp(json!({}));
    let auth = bearer(&t);
    let mut gateways = Vec::new();
    if let Some(bin) = &nginx {
        gateways.push((
            "nginx",
            super::gateways::start_nginx(bin, &[s.addr], upstream.addr, ""),
        ));
    }
    if let Some(bin) = &caddy {
        gateways.push((
            "caddy",
            super::gateways::start_caddy(bin, s.addr, upstream.addr),
        ));
    }
    for (name, (_proc, gw)) in &gateways {
        let allowed = get(*gw, "/artifacts/a?x=1", &[("Authorization", &auth)]).unwrap();
        assert_eq!(allowed.status, 200, "{name}: {}", allowed.text());
        assert_eq!(allowed.text(), "user=user-1", "{name}");
        let before = upstream.hits();
        let denied = get(*gw, "/admin/users", &[("Authorization", &auth)]).unwrap();
        assert_eq!(denied.status, 403, "{name}: {}", denied.text());
        let sneaky = get(
            *gw,
            "/artifacts/../admin/users",
            &[("Authorization", &auth)],
        )
        .unwrap();
        assert_ne!(sneaky.status, 200, "{name}");
        assert_eq!(
            upstream.hits(),
            before,
            "{name}: a denied request reached the app"
        );
    }
    let m = get(s.addr, "/metrics", &[]).unwrap().text();
    assert!(m.contains("route=\"admin\",result=\"route_denied\""), "{m}");
}

/// The example of docs/policy.md passes `policy check`.
#[test]
fn the_documented_example_is_a_good_policy() {
    let doc = std::fs::read_to_string(repo_file("docs/policy.md")).unwrap();
    let start = doc
        .find("```toml\n# deploy-gateway.toml")
        .expect("the example")
        + 8;
    let end = start + doc[start..].find("```").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("deploy-gateway.toml");
    std::fs::write(&f, &doc[start..end]).unwrap();
    let (code, out, err) = policy_check(&f, false);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2 issuer(s), 4 route(s)"), "{out}");
}
