//! docs/hostile-inputs.md E rows through the CLI against real local servers: issuer URL
//! checks, mismatches, redirects, body limits, timeouts, content types,
//! offline mode, TLS trust and proxies.

use std::time::{Duration, Instant};

use jsonwebtoken::Algorithm;
use serde_json::json;

use crate::support::cli::*;

const DISC: &str = "/.well-known/openid-configuration";

#[test]
fn e1_issuer_urls_are_checked_before_any_request() {
    for iss in [
        "http://idp.example",
        "https://idp.example?x=1",
        "https://idp.example#f",
        "https://u:p@idp.example",
        "ftp://idp.example",
        "not a url",
        "idp.example",
    ] {
        oidcat(&["-o", "json", "discover", iss]).expect(2, Some("usage"));
        let t = jwt(Algorithm::RS256, &claims());
        verify_cmd()
            .json()
            .issuer(iss)
            .arg("--any-audience")
            .arg(&t)
            .run()
            .expect(2, Some("usage"));
    }
    oidcat(&["discover", "http://idp.example"])
        .expect(2, None)
        .stderr_has("--allow-http");
}

#[test]
fn e3_discovered_issuer_must_be_identical() {
    let server = Server::start();
    let url = server.url();
    server.set(
        DISC,
        Reply::value(&json!({"issuer": format!("{url}/"), "jwks_uri": format!("{url}/jwks")})),
    );
    let out = oidcat(&["-o", "json", "discover", &url]);
    out.expect(1, Some("issuer_mismatch"))
        .message_has(&format!("{url}/"))
        .message_has(&format!("{url:?}"))
        .message_has("trailing slash");
    server.set(
        DISC,
        Reply::value(
            &json!({"issuer": "https://other.example", "jwks_uri": format!("{url}/jwks")}),
        ),
    );
    let out = oidcat(&["-o", "json", "discover", &url]);
    out.expect(1, Some("issuer_mismatch"))
        .message_has("https://other.example");
    // nothing from that document is used: verify fetches no key set
    let t = jwt(Algorithm::RS256, &claims_with(json!({ "iss": url })));
    verify_issuer(&url, &t).expect(1, Some("issuer_mismatch"));
    assert_eq!(server.hits("/jwks"), 0);
}

#[test]
fn e4_jwks_uri_of_a_remote_issuer_never_points_inside() {
    use oidcat::http::Trust;
    use oidcat::issuer::check_document;
    for jwks in [
        "http://127.0.0.1:9000/keys",
        "https://169.254.169.254/keys",
        "https://10.0.0.1/keys",
        "https://[::1]/keys",
        "http://idp.example/keys",
    ] {
        let doc = json!({"issuer": "https://idp.example", "jwks_uri": jwks}).to_string();
        let e = check_document(
            doc.as_bytes(),
            "https://idp.example",
            "u",
            Trust::Remote,
            false,
        )
        .unwrap_err();
        assert_eq!(
            e.kind,
            oidcat::error::Kind::DiscoveryInvalid,
            "{jwks}: {}",
            e.message
        );
    }
    // a loopback issuer may point to another loopback port
    let doc =
        json!({"issuer": "http://127.0.0.1:1", "jwks_uri": "http://127.0.0.2:9/k"}).to_string();
    assert!(
        check_document(
            doc.as_bytes(),
            "http://127.0.0.1:1",
            "u",
            Trust::Loopback,
            false
        )
        .is_ok()
    );
    // through the CLI: a loopback issuer's document naming plain http on another host
    let server = Server::start();
    let url = server.url();
    server.set(
        DISC,
        Reply::value(&json!({"issuer": url, "jwks_uri": "http://idp.example/jwks"})),
    );
    oidcat(&["-o", "json", "discover", &url])
        .undecided("discovery_invalid")
        .message_has("--allow-http");
}

#[test]
fn e5_redirects_are_vetted() {
    let server = Server::start();
    let url = server.url();
    server.set(
        DISC,
        Reply::redirect("http://other-host.example/.well-known/openid-configuration"),
    );
    let out = oidcat(&["-o", "json", "discover", &url]);
    out.undecided("fetch_failed")
        .message_has("other-host.example")
        .message_has(&url);
    // a loopback redirect for a loopback issuer is followed
    server.set(DISC, Reply::redirect("/real"));
    server.set(
        "/real",
        Reply::value(&json!({"issuer": url, "jwks_uri": format!("{url}/jwks")})),
    );
    oidcat(&["-o", "json", "discover", &url]).ok();
    // a loop is bounded
    server.set("/loop", Reply::redirect("/loop"));
    server.set(DISC, Reply::redirect("/loop"));
    oidcat(&["-o", "json", "discover", &url])
        .undecided("fetch_failed")
        .message_has("redirects");
    assert!(server.hits("/loop") <= 6, "{}", server.hits("/loop"));
    // other schemes are never followed
    server.set(DISC, Reply::redirect("file:///etc/passwd"));
    oidcat(&["-o", "json", "discover", &url]).undecided("fetch_failed");
}

#[test]
fn e7_bounded_fetches() {
    let server = Server::start();
    let url = server.url();
    let mut big = format!(r#"{{"issuer":"{url}","jwks_uri":"{url}/jwks","pad":""#).into_bytes();
    big.extend(std::iter::repeat_n(b'a', 2 << 20));
    big.extend(b"\"}");
    server.set(DISC, Reply::json(big));
    oidcat(&["-o", "json", "discover", &url])
        .undecided("fetch_failed")
        .message_has("1 MiB");
    server.set(
        DISC,
        Reply::json(b"<html>hi</html>".to_vec()).header("Content-Type", "text/html"),
    );
    oidcat(&["-o", "json", "discover", &url])
        .undecided("fetch_failed")
        .message_has("text/html");
    server.set(DISC, Reply::json(b"not json".to_vec()));
    oidcat(&["-o", "json", "discover", &url]).undecided("discovery_invalid");
    server.set(DISC, Reply::json(b"[1,2]".to_vec()));
    oidcat(&["-o", "json", "discover", &url])
        .undecided("discovery_invalid")
        .message_has("array");
    for code in [404, 500] {
        server.set(DISC, Reply::status(code));
        oidcat(&["-o", "json", "discover", &url])
            .undecided("fetch_failed")
            .message_has(&code.to_string());
    }
    // a key set that is not a JWKS
    server.set(
        DISC,
        Reply::value(&json!({"issuer": url, "jwks_uri": format!("{url}/jwks")})),
    );
    server.set("/jwks", Reply::json(b"{\"keys\": 5}".to_vec()));
    let t = jwt(Algorithm::RS256, &claims_with(json!({ "iss": url })));
    verify_issuer(&url, &t).undecided("jwks_invalid");
    // a slow trickle is cut off by --timeout
    server.set(
        DISC,
        Reply::value(&json!({"issuer": url, "jwks_uri": format!("{url}/jwks")}))
            .slow(Duration::from_millis(200)),
    );
    let started = Instant::now();
    let out = oidcat(&["-o", "json", "--timeout", "1", "discover", &url]);
    out.undecided("fetch_failed");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn e10_offline_miss_and_hit() {
    let server = Server::start();
    let iss = server.serve_test_keys();
    let ctx = Ctx::new();
    let t = jwt(Algorithm::RS256, &claims_with(json!({ "iss": iss })));
    let args = |offline: bool| -> Vec<String> {
        let offline: &[&str] = if offline { &["--offline"] } else { &[] };
        issuer_verify(&iss).globals(offline).arg(&t).argv()
    };
    ctx.run(&args(true))
        .undecided("offline_miss")
        .message_has("--offline");
    assert_eq!(server.total(), 0);
    ctx.run(&args(false)).valid();
    let before = server.total();
    ctx.run(&args(true)).valid();
    assert_eq!(server.total(), before, "--offline never fetches");
    // unreachable key set: fail closed with exit 3
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    verify_cmd()
        .json()
        .arg("--jwks-uri")
        .arg(format!("http://127.0.0.1:{dead}/jwks"))
        .audience("api")
        .now(NOW_S)
        .arg(&t)
        .run()
        .undecided("fetch_failed");
}

#[test]
fn e11_tls_trust_via_ca_file_or_ssl_cert_file_else_refused() {
    let (pem, cert, key) = self_signed();
    let server = Server::start_tls(cert, key);
    let iss = server.serve_test_keys();
    assert!(iss.starts_with("https://localhost:"));
    let ctx = Ctx::new();
    let ca = ctx.write("ca.pem", &pem);
    let t = jwt(Algorithm::RS256, &claims_with(json!({ "iss": iss })));
    let verify = |c: &Ctx, extra: &[&str]| {
        issuer_verify(&iss)
            .global("--no-cache")
            .globals(extra)
            .arg(&t)
            .run_in(c)
    };
    let out = verify(&ctx, &[]);
    out.undecided("fetch_failed").stderr_has("TLS");
    verify(&ctx, &["--ca-file", &ca]).valid();
    let with_env = Ctx::new().env("SSL_CERT_FILE", ca.clone());
    verify(&with_env, &[]).valid();
    let with_dir = Ctx::new().env("SSL_CERT_DIR", ctx.dir.path().display().to_string());
    verify(&with_dir, &[]).valid();
    // a --ca-file that holds no certificate is an error, not silently ignored
    let junk = ctx.write("junk.pem", "hello");
    verify(&ctx, &["--ca-file", &junk])
        .undecided("io")
        .message_has("no PEM certificate");
    // the certificate names 127.0.0.1 too, but the served issuer is https://localhost:PORT,
    // so asking for https://127.0.0.1:PORT connects fine and then fails the issuer check
    let other = iss.replace("localhost", "127.0.0.1");
    let out = ctx.run(&["-o", "json", "--ca-file", &ca, "discover", &other]);
    out.expect(1, Some("issuer_mismatch"));
}

#[test]
fn proxies_are_honoured_and_no_proxy_bypasses_them() {
    let (_server, proxy, args) = proxied_issuer();
    let via = Ctx::new().env("HTTP_PROXY", proxy.url());
    via.run(&args).valid();
    assert_eq!(
        proxy.hits(),
        2,
        "discovery and key set through the proxy: {:?}",
        proxy.asked.lock().unwrap()
    );
    assert!(
        proxy
            .asked
            .lock()
            .unwrap()
            .iter()
            .all(|a| a.contains("idp.test"))
    );
    let lower = Ctx::new().env("http_proxy", proxy.url());
    lower.run(&args).valid();
    assert_eq!(proxy.hits(), 4);
    // NO_PROXY matching the host (with spaces, as a list) bypasses it: idp.test then does not resolve
    for no in ["idp.test", " other.example , idp.test", "*", ".test"] {
        let bypass = Ctx::new()
            .env("HTTP_PROXY", proxy.url())
            .env("NO_PROXY", no);
        bypass.run(&args).undecided("fetch_failed");
        assert_eq!(proxy.hits(), 4, "NO_PROXY={no:?}");
    }
    // HTTPS_PROXY is not used for http URLs
    let wrong = Ctx::new().env("HTTPS_PROXY", proxy.url());
    wrong.run(&args).undecided("fetch_failed");
    assert_eq!(proxy.hits(), 4);
}

#[test]
fn https_proxy_tunnels_with_connect() {
    let (pem, cert, key) = self_signed();
    let server = Server::start_tls(cert, key);
    let iss = server.serve_test_keys();
    let proxy = Proxy::start(server.addr);
    let ctx = Ctx::new().env("HTTPS_PROXY", proxy.url());
    let ca = ctx.write("ca.pem", &pem);
    let discover = [
        "-o",
        "json",
        "--no-cache",
        "--ca-file",
        &ca,
        "discover",
        &iss,
    ];
    ctx.run(&discover).ok();
    assert_eq!(proxy.hits(), 1);
    assert!(
        proxy.asked.lock().unwrap()[0].starts_with("CONNECT localhost:"),
        "{:?}",
        proxy.asked.lock().unwrap()
    );
    let direct = Ctx::new()
        .env("HTTPS_PROXY", proxy.url())
        .env("no_proxy", "localhost");
    direct.run(&discover).ok();
    assert_eq!(proxy.hits(), 1);
}

/// Every bad peer is an error naming the URL, and none of their answers is
/// ever written to the disk cache (a later run must not trust it).
#[test]
fn bad_peers_never_reach_the_cache() {
    let server = Server::start();
    let url = server.url();
    let ctx = Ctx::new();
    let mut big = format!(r#"{{"issuer":"{url}","jwks_uri":"{url}/jwks","pad":""#).into_bytes();
    big.extend(std::iter::repeat_n(b'a', 2 << 20));
    big.extend(b"\"}");
    let cases: Vec<(Reply, &str)> = vec![
        (Reply::status(404), "fetch_failed"),
        (Reply::status(500), "fetch_failed"),
        (Reply::json(b"not json".to_vec()), "discovery_invalid"),
        (Reply::json(b"[1,2]".to_vec()), "discovery_invalid"),
        (Reply::json(big), "fetch_failed"),
        (
            Reply::redirect("http://idp.example.net/.well-known/openid-configuration"),
            "fetch_failed",
        ),
        (
            Reply::value(&json!({"issuer": format!("{url}/"), "jwks_uri": format!("{url}/jwks")})),
            "issuer_mismatch",
        ),
    ];
    for (reply, kind) in cases {
        server.set(DISC, reply);
        let out = ctx.run(&["-o", "json", "--timeout", "2", "discover", &url]);
        let code = if kind == "issuer_mismatch" { 1 } else { 3 };
        out.expect(code, Some(kind)).stderr_has(&url);
        let cached = std::fs::read_dir(ctx.cache_dir())
            .map(|d| d.count())
            .unwrap_or(0);
        assert_eq!(cached, 0, "{kind}: something was cached");
    }
    // control: a good document is cached
    server.set(
        DISC,
        Reply::value(&json!({"issuer": url, "jwks_uri": format!("{url}/jwks")})),
    );
    ctx.run(&["discover", &url]).ok();
    assert_eq!(std::fs::read_dir(ctx.cache_dir()).unwrap().count(), 1);
}
