//! Real gateways in front of `oidcat serve`: nginx `auth_request` and Caddy
//! `forward_auth`, each with its own config in a temp dir and loopback ports;
//! and nginx load-balancing three replicas while one is killed. Skipped with
//! a notice when the gateway binary is missing.

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::serve::*;

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn version(bin: &Path, arg: &str) -> String {
    let o = Command::new(bin).arg(arg).output().unwrap();
    let mut s = String::from_utf8_lossy(&o.stdout).into_owned();
    s.push_str(&String::from_utf8_lossy(&o.stderr));
    s.trim().to_string()
}

/// nginx with its own prefix, config, pid, logs and temp paths in a temp dir.
pub(crate) fn start_nginx(
    bin: &Path,
    upstreams: &[SocketAddr],
    app: SocketAddr,
    auth_extra: &str,
) -> (Proc, SocketAddr) {
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display().to_string();
    let servers: String = upstreams
        .iter()
        .map(|a| format!("    server {a} max_fails=1 fail_timeout=10s;\n"))
        .collect();
    let conf = format!(
        r#"{user}worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {d}/client_body;
  proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi;
  scgi_temp_path {d}/scgi;
  upstream oidcat {{
{servers}    keepalive 16;
  }}
  server {{
    listen 127.0.0.1:{port};
    location = /_oidcat {{
      internal;
      proxy_pass http://oidcat/verify;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      proxy_set_header X-Original-URI $request_uri;
      proxy_set_header X-Original-Method $request_method;
      proxy_connect_timeout 1s;
      proxy_read_timeout 3s;
{auth_extra}    }}
    location / {{
      auth_request /_oidcat;
      auth_request_set $user $upstream_http_x_auth_request_user;
      proxy_set_header X-Auth-Request-User $user;
      proxy_pass http://{app};
    }}
  }}
}}
"#,
        user = if is_root() { "user root;\n" } else { "" },
    );
    let conf_path = dir.path().join("nginx.conf");
    std::fs::write(&conf_path, conf).unwrap();
    let args: Vec<String> = vec![
        "-p".into(),
        d.clone(),
        "-e".into(),
        format!("{d}/error.log"),
        "-c".into(),
        conf_path.display().to_string(),
        "-g".into(),
        "daemon off;".into(),
    ];
    let (mut p, _) = Proc::spawn(bin, &args, &[], |_| None::<()>, Duration::from_millis(1));
    // SIGQUIT: graceful shutdown, the master waits for its workers (SIGKILL would orphan them)
    p.stop_signal = Some("QUIT");
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let up = wait_port(addr, Duration::from_secs(10));
    if !up || !p.running() {
        let log = std::fs::read_to_string(dir.path().join("error.log")).unwrap_or_default();
        panic!("nginx did not start: {}\n{log}", p.stderr());
    }
    // the temp dir lives as long as the process
    p.dir = dir;
    (p, addr)
}

pub(crate) fn start_caddy(bin: &Path, oidcat: SocketAddr, app: SocketAddr) -> (Proc, SocketAddr) {
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let caddyfile = format!(
        r#"{{
	admin off
	auto_https off
}}
http://127.0.0.1:{port} {{
	bind 127.0.0.1
	forward_auth {oidcat} {{
		uri /verify
		copy_headers X-Auth-Request-User
	}}
	reverse_proxy {app}
}}
"#,
    );
    let path = dir.path().join("Caddyfile");
    std::fs::write(&path, caddyfile).unwrap();
    let args: Vec<String> = vec![
        "run".into(),
        "--config".into(),
        path.display().to_string(),
        "--adapter".into(),
        "caddyfile".into(),
    ];
    let (mut p, _) = Proc::spawn(bin, &args, &[], |_| None::<()>, Duration::from_millis(1));
    p.stop_signal = Some("TERM");
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    if !wait_port(addr, Duration::from_secs(15)) || !p.running() {
        panic!("caddy did not start: {}", p.stderr());
    }
    p.dir = dir;
    (p, addr)
}

type GatewayCase = (String, Vec<(String, String)>, u16, Option<String>);

/// The checks both gateways must pass: (what, headers, expected status, expected upstream body).
/// nginx itself refuses a request with two `Authorization` headers (400) before
/// `auth_request` runs; that case accepts 400 from the gateway as well as 401.
fn gateway_cases() -> Vec<GatewayCase> {
    let a = |t: &str| ("Authorization".to_string(), bearer(t));
    let spoof = ("X-Auth-Request-User".to_string(), "admin".to_string());
    let n = now();
    let ctl_sub = token(&claims_with(json!({"sub": "evil\u{1}x"})));
    vec![
        (
            "valid".into(),
            vec![a(&valid())],
            200,
            Some("user=user-1".into()),
        ),
        (
            "valid + spoofed user".into(),
            vec![spoof.clone(), a(&valid())],
            200,
            Some("user=user-1".into()),
        ),
        ("no token".into(), vec![], 401, None),
        (
            "spoofed user, no token".into(),
            vec![spoof.clone()],
            401,
            None,
        ),
        ("expired".into(), vec![a(&expired())], 401, None),
        ("bad signature".into(), vec![a(&bad_signature())], 401, None),
        (
            "bad signature + spoofed user".into(),
            vec![spoof.clone(), a(&bad_signature())],
            401,
            None,
        ),
        (
            "wrong issuer".into(),
            vec![a(&token(&claims_with(json!({"iss": "https://evil.test"}))))],
            401,
            None,
        ),
        (
            "not yet valid".into(),
            vec![a(&token(&claims_with(json!({"nbf": n + 3600}))))],
            401,
            None,
        ),
        ("garbage".into(), vec![a("x.y.z")], 401, None),
        (
            "Basic".into(),
            vec![("Authorization".into(), "Basic dXNlcjpwYXNz".into())],
            401,
            None,
        ),
        (
            "empty Bearer".into(),
            vec![("Authorization".into(), "Bearer".into())],
            401,
            None,
        ),
        (
            "two Authorization headers".into(),
            vec![a(&valid()), a(&valid())],
            401,
            None,
        ),
        (
            "policy failure".into(),
            vec![a(&policy_failing())],
            403,
            None,
        ),
        (
            "wrong audience".into(),
            vec![a(&token(&claims_with(json!({"aud": "other"}))))],
            403,
            None,
        ),
        // a verified sub that cannot be forwarded must not let the client's header through
        (
            "unforwardable sub + spoofed user".into(),
            vec![spoof, a(&ctl_sub)],
            200,
            None,
        ),
    ]
}

fn run_gateway_cases(name: &str, gw: SocketAddr, upstream: &Upstream, s: &Serve) {
    let mut failures = Vec::new();
    let mut tokens = Vec::new();
    for (what, headers, want, body) in gateway_cases() {
        let before = upstream.hits();
        let h: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        tokens.extend(
            headers
                .iter()
                .filter(|(k, _)| k == "Authorization")
                .map(|(_, v)| v.trim_start_matches("Bearer ").to_string()),
        );
        for path in ["/app/x?y=1", "/"] {
            let r = match get(gw, path, &h) {
                Ok(r) => r,
                Err(e) => {
                    failures.push(format!("{what} {path}: {e}"));
                    continue;
                }
            };
            if r.status >= 500 {
                failures.push(format!("{what} {path}: {} (a gateway 5xx)", r.status));
            }
            let gateway_refused = what == "two Authorization headers" && r.status == 400;
            if gateway_refused {
                eprintln!("note ({name}): {what}: the gateway itself answered 400");
            }
            if r.status != want && !gateway_refused {
                failures.push(format!(
                    "{what} {path}: {} want {want}: {}",
                    r.status,
                    r.text()
                ));
            }
            if want == 200 {
                match &body {
                    Some(b) if r.text() != *b => {
                        failures.push(format!("{what}: upstream saw {:?}, want {b:?}", r.text()))
                    }
                    None if r.text().contains("admin") => failures.push(format!(
                        "{what}: the client's X-Auth-Request-User reached upstream: {}",
                        r.text()
                    )),
                    _ => {}
                }
            } else if upstream.hits() != before {
                failures.push(format!("{what}: a rejected request reached upstream"));
            }
            if want == 401 && r.status == 401 && !r.has_header("www-authenticate") {
                eprintln!("note ({name}): {what}: 401 without WWW-Authenticate");
            }
        }
    }
    let toks: Vec<&str> = tokens.iter().map(String::as_str).collect();
    s.assert_log_clean(&toks);
    assert!(failures.is_empty(), "{name}:\n{}", failures.join("\n"));
}

#[test]
#[cfg_attr(
    windows,
    ignore = "needs Unix: nginx and caddy are run from PATH and stopped with kill(1) signals"
)]
fn nginx_auth_request() {
    let Some(nginx) = tool("nginx") else { return };
    eprintln!("{}", version(&nginx, "-v"));
    let jwks = Mock::jwks(&trusted_jwks());
    let s = Serve::standard(&jwks.url("/jwks"), &[]);
    let app = Upstream::start();
    let (_ngx, gw) = start_nginx(&nginx, &[s.addr], app.addr, "");
    run_gateway_cases("nginx", gw, &app, &s);
    // the WWW-Authenticate challenge reaches the client through auth_request
    let r = get(gw, "/", &[("Authorization", &bearer(&expired()))]).unwrap();
    assert_eq!(
        r.header("www-authenticate").as_deref(),
        Some(
            r#"Bearer realm="oidcat", error="invalid_token", error_description="The token has expired""#
        )
    );
    // the original URI reaches the access log (query redacted)
    thread::sleep(Duration::from_millis(300));
    assert!(
        s.proc.stderr().contains("uri=/app/x?<redacted>"),
        "{}",
        s.proc.stderr()
    );
    // a 1 MiB header: nginx refuses it (4xx), never 2xx
    let big = "a".repeat(1024 * 1024);
    if let Ok(r) = get(
        gw,
        "/",
        &[("Authorization", &bearer(&valid())), ("X-Big", &big)],
    ) {
        assert!((400..500).contains(&r.status), "{}", r.status);
    }
}

#[test]
#[cfg_attr(
    windows,
    ignore = "needs Unix: nginx and caddy are run from PATH and stopped with kill(1) signals"
)]
fn caddy_forward_auth() {
    let Some(caddy) = tool("caddy") else { return };
    eprintln!("caddy {}", version(&caddy, "version"));
    let jwks = Mock::jwks(&trusted_jwks());
    let s = Serve::standard(&jwks.url("/jwks"), &[]);
    let app = Upstream::start();
    let (_caddy, gw) = start_caddy(&caddy, s.addr, app.addr);
    run_gateway_cases("caddy", gw, &app, &s);
    // forward_auth returns oidcat's own answer: status, challenge and JSON
    let r = get(gw, "/", &[("Authorization", &bearer(&policy_failing()))]).unwrap();
    assert_eq!(r.status, 403);
    assert_eq!(
        r.header("www-authenticate").as_deref(),
        Some(
            r#"Bearer realm="oidcat", error="insufficient_scope", error_description="A claim does not match the policy""#
        )
    );
    assert_eq!(r.json()["error"]["kind"], json!("claim_mismatch"));
    thread::sleep(Duration::from_millis(300));
    assert!(
        s.proc.stderr().contains("uri=/app/x?<redacted>"),
        "X-Forwarded-Uri logged: {}",
        s.proc.stderr()
    );
}

#[test]
#[cfg_attr(
    windows,
    ignore = "needs Unix: nginx and caddy are run from PATH and stopped with kill(1) signals"
)]
fn nginx_balances_three_replicas_and_survives_one_dying() {
    let Some(nginx) = tool("nginx") else { return };
    let jwks = Mock::jwks(&trusted_jwks());
    let mut replicas: Vec<Serve> = (0..3)
        .map(|_| Serve::standard(&jwks.url("/jwks"), &["-q"]))
        .collect();
    let app = Upstream::start();
    let addrs: Vec<SocketAddr> = replicas.iter().map(|r| r.addr).collect();
    let (_ngx, gw) = start_nginx(
        &nginx,
        &addrs,
        app.addr,
        "      proxy_next_upstream error timeout http_502 http_503;\n      proxy_next_upstream_tries 3;\n",
    );
    let cases = Arc::new(vec![
        (valid(), 200u16),
        (valid(), 200),
        (expired(), 401),
        (policy_failing(), 403),
    ]);
    const THREADS: usize = 8;
    const PER_THREAD: usize = 375;
    let done = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(45);
    let (c2, d2) = (cases.clone(), done.clone());
    let load = thread::spawn(move || {
        parallel(THREADS, move |t| {
            let (mut sent, mut ok, mut failed) = (0usize, 0usize, Vec::new());
            let mut conn: Option<Conn> = None;
            for i in 0..PER_THREAD {
                if Instant::now() > deadline {
                    failed.push(format!("thread {t}: deadline passed at request {i}"));
                    break;
                }
                let (tok, want) = &c2[(t + i) % c2.len()];
                let auth = bearer(tok);
                sent += 1;
                let mut outcome = Err(String::new());
                // a keep-alive connection nginx closed is retried once on a fresh one
                for _attempt in 0..2 {
                    let c = match conn.as_mut() {
                        Some(c) => c,
                        None => match Conn::connect(gw) {
                            Ok(c) => conn.insert(c),
                            Err(e) => {
                                outcome = Err(format!("connect: {e}"));
                                break;
                            }
                        },
                    };
                    c.timeout(Duration::from_secs(5));
                    match c.get("/app", &[("Authorization", &auth)]) {
                        Ok(r) => {
                            outcome = Ok(r.status);
                            break;
                        }
                        Err(e) => {
                            conn = None;
                            outcome = Err(e.to_string());
                        }
                    }
                }
                match outcome {
                    Ok(s) if s == *want => ok += 1,
                    Ok(s) => failed.push(format!("thread {t} req {i}: {s} want {want}")),
                    Err(e) => failed.push(format!("thread {t} req {i}: {e}")),
                }
                d2.fetch_add(1, Ordering::Relaxed);
            }
            (sent, ok, failed)
        })
    });
    // kill one replica in the middle of the load
    let total = THREADS * PER_THREAD;
    while done.load(Ordering::Relaxed) < total / 3
        && Instant::now() < deadline
        && !load.is_finished()
    {
        thread::sleep(Duration::from_millis(5));
    }
    let killed_at = done.load(Ordering::Relaxed);
    let _ = replicas[1].proc.child.kill();
    let _ = replicas[1].proc.child.wait();
    let started = Instant::now();
    let results = load.join().unwrap();
    let sent: usize = results.iter().map(|r| r.0).sum();
    let ok: usize = results.iter().map(|r| r.1).sum();
    let failed: Vec<String> = results.into_iter().flat_map(|r| r.2).collect();
    eprintln!(
        "nginx + 3 replicas, one killed after {killed_at} requests: sent {sent}, ok {ok}, failed {} (rest took {:?})",
        failed.len(),
        started.elapsed()
    );
    assert!(failed.is_empty(), "{:#?}", &failed[..failed.len().min(20)]);
    assert_eq!(sent, total);
    assert_eq!(ok, total);
    // the survivors kept answering
    for (i, r) in replicas.iter_mut().enumerate() {
        if i != 1 {
            assert!(r.proc.running());
            assert_eq!(r.verify(Some(&valid())).status, 200);
        }
    }
}
