//! The words match the exit codes (docs/reference.md#exit-codes): `VALID`
//! (0), `REJECTED (<kind>)` (1), `NOT VERIFIED (<kind>)` (3), the one-line
//! reason on stderr in every output mode; and `verify -o json` prints the
//! whole verdict document also when the input itself is refused.

use jsonwebtoken::Algorithm;
use serde_json::json;

use crate::support::cli::*;

/// A key set URL on a port nothing listens on: no keys can be had.
fn dead_jwks_uri() -> String {
    let mut server = Server::start();
    let url = format!("{}/jwks", server.url());
    server.down();
    url
}

#[test]
fn the_verdict_word_matches_the_exit_code_in_every_mode() {
    let good = jwt(Algorithm::RS256, &claims());
    let expired = jwt(Algorithm::RS256, &claims_with(json!({"exp": NOW - 3600})));
    let dead = dead_jwks_uri();
    let file = fx("keys/jwks.json");
    let by_file = |mode: &[&str], t: &str| {
        verify_cmd()
            .globals(mode)
            .jwks_file(file.as_str())
            .audience("api")
            .now(NOW_S)
            .arg(t)
            .run()
    };
    let by_dead_url = |mode: &[&str]| {
        verify_cmd()
            .globals(mode)
            .arg("--jwks-uri")
            .arg(dead.as_str())
            .audience("api")
            .now(NOW_S)
            .arg(&good)
            .run()
    };
    // text: the verdict line on stdout
    let out = by_file(&[], &good);
    out.ok();
    assert!(
        out.stdout
            .trim_end()
            .lines()
            .last()
            .unwrap()
            .starts_with("VALID: "),
        "{out}"
    );
    assert!(out.stderr.is_empty(), "{out}");
    let out = by_file(&[], &expired);
    assert_eq!(out.code, 1, "{out}");
    out.stdout_has("REJECTED (expired): ");
    let out = by_dead_url(&[]);
    assert_eq!(out.code, 3, "{out}");
    out.stdout_has("NOT VERIFIED (fetch_failed): ");
    assert!(!out.stdout.contains("REJECTED"), "{out}");
    // the reason on stderr in every output mode (so `>/dev/null` still says why)
    for mode in [&[][..], &["-o", "json"], &["-q"], &["-o", "json", "-q"]] {
        let out = by_file(mode, &expired);
        assert_eq!(out.code, 1, "{mode:?}\n{out}");
        out.stderr_has("REJECTED (expired): ").stderr_has("expired");
        let out = by_dead_url(mode);
        assert_eq!(out.code, 3, "{mode:?}\n{out}");
        out.stderr_has("NOT VERIFIED (fetch_failed): ");
        assert!(!out.stderr.contains("REJECTED"), "{mode:?}\n{out}");
        assert_eq!(
            out.stderr
                .lines()
                .filter(|l| l.contains("fetch_failed"))
                .count(),
            1,
            "{out}"
        );
    }
    // quiet and valid: nothing at all
    let out = by_file(&["-q"], &good);
    out.ok();
    assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{out}");
    // a usage error says why on stderr too
    let out = oidcat(&["verify", "--any-audience", &good]);
    assert_eq!(out.code, 2, "{out}");
    out.stderr_has("no key source");
}

#[test]
fn in_an_actions_job_an_undecided_run_is_not_called_rejected() {
    let ctx = Ctx::new().env("GITHUB_ACTIONS", "true");
    let out = verify_cmd()
        .arg("--jwks-uri")
        .arg(dead_jwks_uri())
        .audience("api")
        .arg(jwt(Algorithm::RS256, &claims()))
        .run_in(&ctx);
    assert_eq!(out.code, 3, "{out}");
    out.stderr_has("::error::oidcat: token not verified (fetch_failed)");
}

#[test]
fn json_input_failures_print_the_whole_verdict() {
    let big = "a".repeat(70 * 1024);
    let inputs: Vec<(&str, Vec<u8>)> = vec![
        ("empty", b"".to_vec()),
        ("blank", b"  \n".to_vec()),
        ("binary", vec![0xff, 0xfe, 0x00, 0x01]),
        ("oversized", big.into_bytes()),
    ];
    for (what, stdin) in inputs {
        let out = trusted_verify().arg("-").run_stdin_in(&Ctx::new(), stdin);
        out.rejected("malformed");
        let j = out.json();
        for member in ["header", "claims", "key"] {
            assert!(j[member].is_null(), "{what}: {member}\n{out}");
        }
        assert_eq!(j["valid"], false, "{what}\n{out}");
        let checks = out.checks();
        assert_eq!(checks.len(), 1, "{what}\n{out}");
        assert_eq!(checks[0]["ok"], false, "{what}\n{out}");
        assert_eq!(checks[0]["check"], "format", "{what}\n{out}");
        assert!(j["error"]["message"].is_string(), "{what}\n{out}");
        out.stderr_has("REJECTED (malformed)");
    }
    // a file that cannot be read: could not decide, still the whole document
    let ctx = Ctx::new();
    let dir = ctx.path("a-directory");
    std::fs::create_dir_all(&dir).unwrap();
    let out = trusted_verify()
        .arg(format!("@{}", dir.display()))
        .run_in(&ctx);
    out.undecided("io");
    assert_eq!(out.json()["valid"], false, "{out}");
    assert_eq!(out.check("token")["ok"], false, "{out}");
    out.stderr_has("NOT VERIFIED (io)");
}
