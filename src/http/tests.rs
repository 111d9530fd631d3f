use super::*;

/// Two documents from one host come over one kept-alive connection.
#[test]
fn one_host_one_connection() {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let mut connections = 0;
        // bounded: stops after the two answers (or a 10 s read timeout)
        let mut answered = 0;
        while answered < 2 {
            let (stream, _) = listener.accept().unwrap();
            connections += 1;
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut out = stream;
            while answered < 2 {
                let mut line = String::new();
                let mut saw_request = false;
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                    saw_request = true;
                    if line == "\r\n" {
                        break;
                    }
                    line.clear();
                }
                if !saw_request {
                    break;
                }
                let body = b"{\"ok\":true}";
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                    body.len()
                );
                out.write_all(head.as_bytes()).unwrap();
                out.write_all(body).unwrap();
                answered += 1;
            }
        }
        connections
    });
    let f = Fetcher::new(HttpConfig {
        timeout: Duration::from_secs(10),
        ca_files: vec![],
        allow_http: false,
        verbose: false,
    });
    for path in ["/.well-known/openid-configuration", "/jwks.json"] {
        let r = f
            .get_json(&format!("http://{addr}{path}"), Trust::Loopback, false)
            .unwrap();
        assert_eq!(r.body, b"{\"ok\":true}");
    }
    assert_eq!(server.join().unwrap(), 1);
}

#[test]
fn internal_addresses_including_mapped_ones() {
    let internal = |u: &str| is_internal(&Url::parse(u).unwrap());
    for u in [
        "https://127.0.0.1/",
        "https://10.1.2.3/",
        "https://100.64.0.1/",
        "https://255.255.255.255/",
        "https://[::1]/",
        "https://[fd00::1]/",
        "https://[fe80::1]/",
        "https://[::ffff:10.0.0.1]/",
        "https://[::ffff:100.64.0.1]/",
        "https://[::ffff:255.255.255.255]/",
    ] {
        assert!(internal(u), "{u}");
    }
    for u in [
        "https://93.184.216.34/",
        "https://[2001:db8::1]/",
        "https://[::ffff:93.184.216.34]/",
    ] {
        assert!(!internal(u), "{u}");
    }
}

fn u(s: &str) -> Url {
    Url::parse(s).unwrap()
}

#[test]
fn https_or_loopback_rule() {
    let remote = Trust::Remote;
    assert!(check_url(&u("https://idp.example/"), remote, false, false).is_ok());
    assert!(check_url(&u("http://idp.example/"), remote, false, false).is_err());
    assert!(check_url(&u("http://idp.example/"), remote, false, true).is_ok());
    assert!(check_url(&u("http://127.0.0.1:9/"), remote, false, false).is_ok());
    // a remote document never leads to loopback or private addresses, whatever the flags
    assert!(check_url(&u("http://127.0.0.1:9000/keys"), remote, true, true).is_err());
    assert!(check_url(&u("https://169.254.169.254/"), remote, true, true).is_err());
    assert!(check_url(&u("https://10.1.2.3/"), remote, true, true).is_err());
    assert!(check_url(&u("https://[::1]/"), remote, true, true).is_err());
    assert!(check_url(&u("http://127.0.0.2:9/k"), Trust::Loopback, true, false).is_ok());
    assert!(check_url(&u("https://u:p@idp.example/"), remote, false, false).is_err());
    assert!(check_url(&u("file:///etc/passwd"), remote, false, true).is_err());
}

#[test]
fn max_age() {
    assert!(is_no_store("private, No-Store"));
    assert!(!is_no_store("no-cache, max-age=60"));
    assert_eq!(parse_max_age("public, max-age=3600"), Some(3600));
    assert_eq!(parse_max_age("no-store"), Some(0));
    assert_eq!(parse_max_age("private"), None);
}
