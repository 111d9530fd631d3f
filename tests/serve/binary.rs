//! The real binary: `oidcat serve --listen 127.0.0.1:0`, driven over TCP.
//! Signals, concurrency, idle and slow connections, oversized headers, the
//! issuer going down, the access log (F7, F9, E9/E10 end to end).

use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::serve::*;

#[test]
#[cfg_attr(
    windows,
    ignore = "needs Unix signals: sends SIGTERM and SIGINT with kill(1)"
)]
fn sigterm_and_sigint_exit_cleanly_within_5s() {
    let jwks = Mock::jwks(&trusted_jwks());
    // --header-timeout 30: the half-sent request below is not cut off by the
    // header timeout, so the shutdown bound itself is what is measured
    for sig in ["TERM", "INT"] {
        let mut s = Serve::standard(&jwks.url("/jwks"), &["--header-timeout", "30"]);
        assert_eq!(s.verify(Some(&valid())).status, 200);
        // an idle keep-alive connection, and one in the middle of its headers
        let mut idle = Conn::connect(s.addr).unwrap();
        assert_eq!(idle.get("/healthz", &[]).unwrap().status, 200);
        let mut half = Conn::connect(s.addr).unwrap();
        half.send_raw(b"GET /verify HTTP/1.1\r\nHost: x\r\n")
            .unwrap();
        thread::sleep(Duration::from_millis(100));
        let started = Instant::now();
        s.proc.signal(sig);
        let st = s.proc.wait_exit(Duration::from_secs(8));
        let took = started.elapsed();
        let st = st.unwrap_or_else(|| {
            panic!(
                "SIG{sig}: still running after 8 s; stderr:\n{}",
                s.proc.stderr()
            )
        });
        eprintln!("SIG{sig}: exited {st} after {took:?}");
        assert!(
            took < Duration::from_secs(5),
            "SIG{sig}: exit took {took:?}"
        );
        assert!(st.success(), "SIG{sig}: exit {st}");
        thread::sleep(Duration::from_millis(100));
        assert!(
            s.proc.stderr().contains("oidcat serve stopped"),
            "{}",
            s.proc.stderr()
        );
        assert!(idle.closed_within(Duration::from_secs(1)));
        drop(half);
    }
    // a request in flight, blocked in an unknown-kid refetch from a JWKS that does not answer
    let s = Serve::standard(&jwks.url("/jwks"), &[]);
    *jwks.delay.lock().unwrap() = Duration::from_secs(20);
    let addr = s.addr;
    let stuck = thread::spawn(move || {
        let mut c = Conn::connect(addr).unwrap();
        c.timeout(Duration::from_secs(10));
        c.get(
            "/verify",
            &[(
                "Authorization",
                &bearer(&token_kid("rsa-9", "rsa2.pem", &claims())),
            )],
        )
        .map(|r| r.status)
    });
    thread::sleep(Duration::from_millis(300));
    let mut s = s;
    let started = Instant::now();
    s.proc.signal("TERM");
    let st = s.proc.wait_exit(Duration::from_secs(8));
    let took = started.elapsed();
    eprintln!("SIGTERM during a stuck refetch: exited {st:?} after {took:?}");
    assert!(
        st.is_some() && took < Duration::from_secs(5),
        "exit took {took:?}"
    );
    if let Ok(status) = stuck.join().unwrap() {
        assert!(!(200..300).contains(&status), "{status}");
    }
    *jwks.delay.lock().unwrap() = Duration::ZERO;
}

#[test]
fn two_hundred_concurrent_keepalive_clients_get_the_right_status() {
    let jwks = Mock::jwks(&trusted_jwks());
    let s = Serve::standard(&jwks.url("/jwks"), &[]);
    let cases = Arc::new(vec![
        (valid(), 200u16),
        (expired(), 401),
        (bad_signature(), 401),
        (policy_failing(), 403),
    ]);
    let addr = s.addr;
    let started = Instant::now();
    let results = parallel(200, move |i| {
        let mut wrong = Vec::new();
        let mut conn = match Conn::connect(addr) {
            Ok(c) => c,
            Err(e) => return (0, vec![format!("client {i}: connect: {e}")]),
        };
        let mut done = 0;
        for r in 0..4 {
            let (tok, want) = &cases[(i + r) % cases.len()];
            let auth = bearer(tok);
            match conn.get("/verify", &[("Authorization", &auth)]) {
                Ok(resp) if resp.status == *want => done += 1,
                Ok(resp) => wrong.push(format!("client {i} req {r}: {} want {want}", resp.status)),
                Err(e) => wrong.push(format!("client {i} req {r}: {e}")),
            }
        }
        (done, wrong)
    });
    let ok: usize = results.iter().map(|r| r.0).sum();
    let wrong: Vec<String> = results.into_iter().flat_map(|r| r.1).collect();
    eprintln!(
        "200 clients x 4 keep-alive requests: {ok} right, {} wrong, {:?}",
        wrong.len(),
        started.elapsed()
    );
    assert!(wrong.is_empty(), "{wrong:#?}");
    assert_eq!(ok, 800);
    assert_eq!(jwks.hits(), 1, "no fetch beyond the initial load");
    s.assert_log_clean(&[]);
}

#[test]
fn a_thousand_idle_connections_do_not_stop_a_new_client() {
    let jwks = Mock::jwks(&trusted_jwks());
    let s = Serve::standard(&jwks.url("/jwks"), &["--header-timeout", "30"]);
    // fd limit here is checked: each connection costs one fd on each side
    let n = 1000;
    let mut conns = Vec::with_capacity(n);
    for i in 0..n {
        let c = TcpStream::connect_timeout(&s.addr, Duration::from_secs(2))
            .unwrap_or_else(|e| panic!("connection {i}: {e}"));
        if i % 2 == 1 {
            // half of them are slow clients part-way through a request
            let _ = (&c).write_all(b"GET /verify HTTP/1.1\r\nHost: x\r\nAuthoriz");
        }
        conns.push(c);
    }
    let started = Instant::now();
    let r = get(s.addr, "/verify", &[("Authorization", &bearer(&valid()))]).unwrap();
    let took = started.elapsed();
    eprintln!(
        "{n} idle/slow connections open: a new client answered {} in {took:?}",
        r.status
    );
    // answered at all (the client's 10 s read timeout bounds the wait)
    assert_eq!(r.status, 200);
    assert_eq!(get(s.addr, "/healthz", &[]).unwrap().status, 200);
    drop(conns);
    assert_eq!(
        get(s.addr, "/verify", &[("Authorization", &bearer(&expired()))])
            .unwrap()
            .status,
        401
    );
}

#[test]
fn header_timeout_cuts_off_half_requests_while_others_are_served() {
    let jwks = Mock::jwks(&trusted_jwks());
    let s = Serve::standard(&jwks.url("/jwks"), &["--header-timeout", "1"]);
    let started = Instant::now();
    let mut half = Conn::connect(s.addr).unwrap();
    half.send_raw(b"GET /verify HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    // a slowloris: one byte every 150 ms, forever (bounded by the test's deadline)
    let addr = s.addr;
    let trickle = thread::spawn(move || {
        let mut c = TcpStream::connect(addr).unwrap();
        let msg = b"GET /verify HTTP/1.1\r\nHost: x\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        let t0 = Instant::now();
        for b in msg.iter().cycle() {
            if c.write_all(&[*b]).is_err() {
                return Some(t0.elapsed());
            }
            if t0.elapsed() > Duration::from_secs(6) {
                return None;
            }
            thread::sleep(Duration::from_millis(150));
        }
        None
    });
    // meanwhile others are served
    for _ in 0..5 {
        let r = get(s.addr, "/verify", &[("Authorization", &bearer(&valid()))]).unwrap();
        assert_eq!(r.status, 200);
        thread::sleep(Duration::from_millis(100));
    }
    assert!(
        half.closed_within(Duration::from_secs(4)),
        "a half request was not cut off"
    );
    let cut = started.elapsed();
    eprintln!("half request cut off after {cut:?}");
    assert!(
        cut >= Duration::from_millis(800),
        "cut off before the timeout: {cut:?}"
    );
    if !half.received().is_empty() {
        let head = String::from_utf8_lossy(half.received());
        assert!(!head.starts_with("HTTP/1.1 2"), "{head}");
    }
    let trickled = trickle.join().unwrap();
    eprintln!("slowloris cut off after {trickled:?}");
    assert!(
        trickled.is_some_and(|t| t < Duration::from_secs(5)),
        "a byte-by-byte client was not cut off"
    );
    assert_eq!(get(s.addr, "/healthz", &[]).unwrap().status, 200);
}

/// With every slot held by `holders`, a new client is answered 200 within 4 s
/// (once the header timeout frees a slot); returns its connection.
#[track_caller]
fn assert_new_client_served(addr: SocketAddr, holders: &str) -> Conn {
    let started = Instant::now();
    let mut c = Conn::connect(addr).unwrap();
    c.timeout(Duration::from_secs(6));
    let r = c.get("/verify", &[("Authorization", &bearer(&valid()))]);
    let took = started.elapsed();
    eprintln!(
        "all slots held by {holders}: a new client answered {:?} after {took:?}",
        r.as_ref().map(|r| r.status)
    );
    assert_eq!(
        r.unwrap_or_else(|e| panic!("a new client is answered once {holders} time out: {e}"))
            .status,
        200
    );
    assert!(
        took < Duration::from_secs(4),
        "{holders} held their slot for {took:?}"
    );
    c
}

#[test]
fn idle_connections_holding_every_slot_are_released_by_the_header_timeout() {
    let jwks = Mock::jwks(&trusted_jwks());
    let s = Serve::standard(
        &jwks.url("/jwks"),
        &["--header-timeout", "1", "--max-connections", "8"],
    );
    // 8 connections that never send a byte take every slot
    let idle: Vec<TcpStream> = (0..8)
        .map(|_| TcpStream::connect(s.addr).unwrap())
        .collect();
    thread::sleep(Duration::from_millis(100));
    let c = assert_new_client_served(s.addr, "silent clients");
    drop(idle);
    drop(c);
    // keep-alive connections idle after one answered request
    thread::sleep(Duration::from_millis(200));
    let mut kept: Vec<Conn> = (0..8)
        .map(|_| {
            let mut c = Conn::connect(s.addr).unwrap();
            assert_eq!(c.get("/healthz", &[]).unwrap().status, 200);
            c
        })
        .collect();
    // kept open until the end, as the idle ones are
    let _c = assert_new_client_served(s.addr, "idle keep-alive clients");
    for k in kept.iter_mut() {
        assert!(
            k.closed_within(Duration::from_secs(3)),
            "an idle keep-alive connection is never closed"
        );
    }
}

#[test]
fn oversized_headers_get_431_or_a_close_never_2xx() {
    let jwks = Mock::jwks(&trusted_jwks());
    let s = Serve::standard(&jwks.url("/jwks"), &[]);
    let mib = "a".repeat(1024 * 1024);
    let big_token = format!(
        "{}.{}.{}",
        "eyJ".to_string() + &"a".repeat(40 * 1024),
        "eyJh",
        "c"
    );
    let cases: Vec<(&str, String)> = vec![
        (
            "1 MiB header",
            format!(
                "GET /verify HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nX-Big: {mib}\r\n\r\n",
                valid()
            ),
        ),
        (
            "1 MiB bearer",
            format!("GET /verify HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {mib}\r\n\r\n"),
        ),
        (
            "40 KiB token",
            format!("GET /verify HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {big_token}\r\n\r\n"),
        ),
        (
            "1000 headers",
            format!(
                "GET /verify HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n{}\r\n",
                valid(),
                "X-A: b\r\n".repeat(1000)
            ),
        ),
    ];
    for (what, req) in cases {
        // too large for the header limit: 431 (or a closed connection); a
        // 40 KiB token fits the limit and is refused as a token
        let want = if what == "40 KiB token" { 401 } else { 431 };
        let mut c = Conn::connect(s.addr).unwrap();
        c.timeout(Duration::from_secs(5));
        let addr_ok = c.stream.try_clone().unwrap();
        // write from another thread: the server may stop reading early
        let writer = thread::spawn(move || {
            let mut w = addr_ok;
            let _ = w.set_write_timeout(Some(Duration::from_secs(5)));
            let _ = w.write_all(req.as_bytes());
        });
        match c.read_response(false) {
            Ok(r) => assert_eq!(r.status, want, "{what}"),
            Err(e) => assert_eq!(want, 431, "{what}: connection closed ({e})"),
        }
        let _ = writer.join();
    }
    // a body is never needed and never trusted: a valid token with a 1 MiB body is still just verified
    let mut c = Conn::connect(s.addr).unwrap();
    let req = format!(
        "POST /verify HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Length: {}\r\n\r\n",
        expired(),
        mib.len()
    );
    let mut w = c.stream.try_clone().unwrap();
    let writer = thread::spawn(move || {
        let _ = w.set_write_timeout(Some(Duration::from_secs(5)));
        let _ = w.write_all(req.as_bytes());
        let _ = w.write_all(mib.as_bytes());
    });
    // The server stops reading at 16 KiB and closes: the client may see a
    // reset instead of the answer, but an answer is never a 2xx.
    if let Ok(r) = c.read_response(false) {
        assert_eq!(r.status, 401);
    }
    let _ = writer.join();
    // still serving
    assert_eq!(s.verify(Some(&valid())).status, 200);
    assert_eq!(get(s.addr, "/healthz", &[]).unwrap().status, 200);
}

#[test]
fn the_issuer_going_down_keeps_answers_for_known_keys() {
    let mut jwks = Mock::jwks(&trusted_jwks());
    let s = Serve::standard(&jwks.url("/jwks"), &[]);
    assert_eq!(s.verify(Some(&valid())).status, 200);
    jwks.down();
    assert!(
        TcpStream::connect_timeout(&jwks.addr, Duration::from_millis(500)).is_err(),
        "the issuer is down"
    );
    for _ in 0..3 {
        assert_eq!(s.verify(Some(&valid())).status, 200);
        assert_eq!(s.verify(Some(&expired())).status, 401);
        assert_eq!(s.verify(Some(&policy_failing())).status, 403);
    }
    // an unknown kid now triggers a refetch that fails: 401, keys kept
    let r = s.verify(Some(&token_kid("rsa-2", "rsa2.pem", &claims())));
    assert_eq!(r.status, 401);
    assert_eq!(r.kind().as_deref(), Some("key_not_found"));
    assert_eq!(s.verify(Some(&valid())).status, 200);
    // every key of the set still works
    for (alg, file, kid) in [
        (jsonwebtoken::Algorithm::ES256, "p256.pem", "ec-1"),
        (jsonwebtoken::Algorithm::ES384, "p384.pem", "ec-384"),
        (jsonwebtoken::Algorithm::EdDSA, "ed25519.pem", "ed-1"),
    ] {
        let h = json!({"alg": oidcat::keys::alg_name(alg), "kid": kid});
        let t = sign_raw(
            alg,
            file,
            h.to_string().as_bytes(),
            claims().to_string().as_bytes(),
        );
        assert_eq!(s.verify(Some(&t)).status, 200, "{kid}");
    }
    assert_eq!(get(s.addr, "/readyz", &[]).unwrap().status, 200);
    let m = get(s.addr, "/metrics", &[]).unwrap().text();
    assert!(
        m.contains("oidcat_key_set_refreshes_total{result=\"failure\"} 1"),
        "{m}"
    );
    assert!(m.contains("oidcat_keys_loaded 4"), "{m}");
}

#[test]
fn keys_are_loaded_before_the_first_answer() {
    let jwks = Mock::jwks(&trusted_jwks());
    *jwks.delay.lock().unwrap() = Duration::from_millis(800);
    let started = Instant::now();
    let s = Serve::standard(&jwks.url("/jwks"), &[]);
    assert!(
        started.elapsed() >= Duration::from_millis(700),
        "listening before the key set loaded"
    );
    // the very first request is answered from the loaded keys (a server that
    // listened first would answer 503 until the delayed fetch came back)
    assert_eq!(jwks.hits(), 1);
    assert_eq!(s.verify(Some(&valid())).status, 200);
    assert_eq!(get(s.addr, "/readyz", &[]).unwrap().status, 200);
    assert_eq!(jwks.hits(), 1);
}

#[test]
fn f4_over_the_wire() {
    let jwks = Mock::jwks(&trusted_jwks());
    let s = Serve::standard(&jwks.url("/jwks"), &[]);
    let auth = bearer(&valid());
    let invalid_request =
        r#"Bearer realm="oidcat", error="invalid_request", error_description="No bearer token""#;
    for (what, path, headers) in [
        (
            "two Authorization headers",
            "/verify".to_string(),
            vec![
                ("Authorization", auth.as_str()),
                ("Authorization", auth.as_str()),
            ],
        ),
        (
            "header and query",
            format!("/verify?access_token={}", valid()),
            vec![("Authorization", auth.as_str())],
        ),
        (
            "empty Bearer",
            "/verify".into(),
            vec![("Authorization", "Bearer ")],
        ),
    ] {
        for method in ["GET", "POST", "HEAD"] {
            let r = Conn::connect(s.addr)
                .unwrap()
                .request(method, &path, &headers)
                .unwrap();
            assert_eq!(r.status, 401, "{what} {method}");
            assert_eq!(
                r.header("www-authenticate").as_deref(),
                Some(invalid_request),
                "{what} {method}"
            );
        }
    }
    let r = get(
        s.addr,
        "/verify",
        &[("Authorization", "Basic dXNlcjpwYXNz")],
    )
    .unwrap();
    assert_eq!(
        (r.status, r.header("www-authenticate").as_deref()),
        (401, Some(r#"Bearer realm="oidcat""#))
    );
    let r = get(
        s.addr,
        "/verify",
        &[
            ("X-Auth-Request-User", "admin"),
            ("Authorization", &bearer(&expired())),
        ],
    )
    .unwrap();
    assert_eq!(r.status, 401);
    assert!(!r.has_header("x-auth-request-user"));
}

#[test]
fn e10_unreachable_jwks_at_start_serves_503_until_keys_load() {
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/jwks");
    let s = Serve::standard(&url, &[]);
    assert!(
        s.proc.stderr().contains("no key set yet"),
        "{}",
        s.proc.stderr()
    );
    let r = s.verify(Some(&valid()));
    assert_eq!(r.status, 503);
    assert_eq!(r.json()["valid"], json!(false));
    assert_eq!(r.kind().as_deref(), Some("fetch_failed"));
    assert_eq!(get(s.addr, "/readyz", &[]).unwrap().status, 503);
    assert_eq!(get(s.addr, "/healthz", &[]).unwrap().status, 200);
    assert_eq!(s.verify(None).status, 401);
    // the issuer comes up: the background refresher loads the set (backoff 2 s, 4 s, ...)
    let jwks = Mock::start_on(&format!("127.0.0.1:{port}"), 200, &trusted_jwks());
    let deadline = Instant::now() + Duration::from_secs(10);
    while get(s.addr, "/readyz", &[]).unwrap().status != 200 {
        assert!(
            Instant::now() < deadline,
            "keys never loaded once the issuer came up"
        );
        thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(s.verify(Some(&valid())).status, 200);
    assert!(jwks.hits() >= 1);
}

#[test]
fn f9_access_log_one_line_per_request_and_never_a_token() {
    let jwks = Mock::jwks(&trusted_jwks());
    let s = Serve::standard(&jwks.url("/jwks"), &[]);
    let toks = [valid(), expired(), bad_signature(), policy_failing()];
    let mut sent = 0;
    for t in &toks {
        let auth = bearer(t);
        let orig = format!("/app?access_token={t}&x=1");
        let path_uri = format!("/callback/{t}");
        let requests: Vec<(String, Vec<(&str, &str)>)> = vec![
            ("/verify".into(), vec![("Authorization", &auth)]),
            (
                "/verify".into(),
                vec![
                    ("Authorization", &auth),
                    ("X-Original-URI", &orig),
                    ("X-Original-Method", "POST"),
                ],
            ),
            (
                "/verify".into(),
                vec![
                    ("Authorization", &auth),
                    ("X-Forwarded-Uri", &path_uri),
                    ("X-Forwarded-Method", t),
                ],
            ),
            (format!("/verify?access_token={t}"), vec![]),
            (format!("/verify/{t}"), vec![("Authorization", &auth)]),
            (format!("/{t}"), vec![]),
        ];
        for (path, headers) in &requests {
            let r = get(s.addr, path, headers).unwrap();
            assert!(
                !(200..300).contains(&r.status)
                    || path == "/verify"
                    || path.starts_with("/verify/"),
                "{path}: {}",
                r.status
            );
            assert_no_jwt(&format!("body of {path}"), &r.body, &[t]);
            assert_no_jwt(&format!("head of {path}"), &r.head, &[t]);
            sent += 1;
        }
    }
    thread::sleep(Duration::from_millis(400));
    let lines: Vec<String> = s
        .proc
        .stderr_lines()
        .into_iter()
        .filter(|l| l.contains(" status="))
        .collect();
    let toks: Vec<&str> = toks.iter().map(String::as_str).collect();
    let mut leaks = Vec::new();
    for l in s.proc.stderr_lines() {
        if let Some(why) = jwt_leak(l.as_bytes(), &toks) {
            leaks.push(format!("{why}: {l}"));
        }
    }
    assert!(
        leaks.is_empty(),
        "log lines holding a token:\n{}",
        leaks.join("\n")
    );
    assert_eq!(
        lines.len(),
        sent,
        "one access-log line per request:\n{}",
        lines.join("\n")
    );
    assert!(
        lines.iter().any(|l| l.contains("?<redacted>")),
        "queries are redacted"
    );
}

#[test]
fn health_ready_and_metrics() {
    let jwks = Mock::jwks(&trusted_jwks());
    let s = Serve::standard(&jwks.url("/jwks"), &[]);
    assert_eq!(get(s.addr, "/healthz", &[]).unwrap().status, 200);
    assert_eq!(get(s.addr, "/readyz", &[]).unwrap().status, 200);
    let hits = Arc::new(AtomicUsize::new(0));
    for _ in 0..3 {
        assert_eq!(s.verify(Some(&valid())).status, 200);
        hits.fetch_add(1, Ordering::Relaxed);
    }
    assert_eq!(s.verify(Some(&expired())).status, 401);
    assert_eq!(s.verify(None).status, 401);
    let m = get(s.addr, "/metrics", &[]).unwrap();
    assert_eq!(m.status, 200);
    assert!(m.header("content-type").unwrap().starts_with("text/plain"));
    let t = m.text();
    for want in [
        "oidcat_verifications_total{result=\"valid\"} 3",
        "oidcat_verifications_total{result=\"expired\"} 1",
        "oidcat_verifications_total{result=\"missing_token\"} 1",
        "oidcat_verify_duration_seconds_count 5",
        "oidcat_key_set_refreshes_total{result=\"success\"} 1",
        "oidcat_keys_loaded 4",
        "oidcat_ready 1",
    ] {
        assert!(t.contains(want), "{want} not in\n{t}");
    }
}

#[test]
fn a_slow_or_missing_body_neither_hangs_the_answer_nor_holds_the_slot() {
    let jwks = Mock::jwks(&trusted_jwks());
    let s = Serve::standard(
        &jwks.url("/jwks"),
        &["--header-timeout", "1", "--max-connections", "4"],
    );
    let auth = bearer(&valid());
    // a declared body that never comes, and a chunked body that trickles forever
    let mut stalled = Vec::new();
    for i in 0..4 {
        let mut c = Conn::connect(s.addr).unwrap();
        let req = if i % 2 == 0 {
            format!(
                "POST /verify HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\nContent-Length: 100\r\n\r\n"
            )
        } else {
            format!(
                "POST /verify HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n"
            )
        };
        c.send_raw(req.as_bytes()).unwrap();
        stalled.push(c);
    }
    let started = Instant::now();
    // the stalled ones are answered (or cut off) in bounded time ...
    for (i, c) in stalled.iter_mut().enumerate() {
        c.timeout(Duration::from_secs(8));
        match c.read_response(false) {
            Ok(r) => assert_eq!(r.status, 200, "stalled body {i}"),
            Err(e) => eprintln!("stalled body {i}: closed ({e})"),
        }
    }
    let took = started.elapsed();
    eprintln!("requests with a stalled body answered within {took:?}");
    assert!(
        took < Duration::from_secs(5),
        "a stalled body held its request for {took:?}"
    );
    for c in stalled.iter_mut() {
        assert!(
            c.closed_within(Duration::from_secs(3)),
            "a connection with a stalled body stays open"
        );
    }
    // ... and every slot is free again for new clients
    let mut c = Conn::connect(s.addr).unwrap();
    c.timeout(Duration::from_secs(5));
    assert_eq!(
        c.get("/verify", &[("Authorization", &auth)])
            .expect("a new client is served")
            .status,
        200
    );
    drop(stalled);
}

/// Containers configure `serve` through `OIDCAT_*` variables: the listen
/// address, the key set, a comma-separated audience list and a claim rule
/// all come from the environment, and the start-up line says what was
/// loaded, naming the issuer as unpinned (no `--issuer`).
#[test]
fn environment_variables_configure_serve_and_the_summary_line_says_so() {
    let jwks = format!(
        "{}/tests/fixtures/github/jwks.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let env = [
        ("OIDCAT_LISTEN", "127.0.0.1:0".to_string()),
        ("OIDCAT_JWKS_FILE", jwks.clone()),
        ("OIDCAT_AUDIENCE", "api,web".to_string()),
        ("OIDCAT_CLAIM", "repository=acme/app".to_string()),
    ];
    let (proc, line) = serve_start_line(&["serve".to_string()], &env);
    assert!(line.contains("http://127.0.0.1:"), "{line}");
    assert!(line.contains("UNPINNED issuer"), "{line}");
    assert!(line.contains(&format!("keys from {jwks}")), "{line}");
    assert!(line.contains("audiences api, web"), "{line}");
    assert!(line.contains("1 claim rule;"), "{line}");
    assert!(line.contains("0 routes"), "{line}");
    assert!(
        proc.stderr().contains("warning: no --issuer"),
        "{}",
        proc.stderr()
    );

    // a flag wins over its variable: OIDCAT_LISTEN is not an address, --listen is
    let mut env = env.to_vec();
    env[0].1 = "not an address".into();
    let args: Vec<String> = [
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--aud",
        "api",
        "--iss",
        "github",
    ]
    .map(String::from)
    .to_vec();
    let (proc, line) = serve_start_line(&args, &env);
    assert!(
        line.contains("issuer https://token.actions.githubusercontent.com ("),
        "{line}"
    );
    assert!(line.contains("audiences api;"), "{line}");
    assert!(!proc.stderr().contains("no --issuer"), "{}", proc.stderr());
}
