//! The committed shell completions (`completions/`) and man pages (`man/`,
//! one per subcommand) must be exactly what the current clap definition
//! renders; the pages render without warnings.
//! A separate small test binary, so it runs without the CLI integration suite.
//! On a mismatch: run `scripts/gen-docs.sh` and commit the result.

#[path = "support/mod.rs"]
mod support;

use clap::ValueEnum;
use clap_complete::Shell;
use oidcat::commands::generate;

use support::fixtures::repo_file;

/// `None` when the committed file matches `expected`, else why not.
fn check(rel: &str, expected: &[u8]) -> Option<String> {
    match std::fs::read(repo_file(rel)) {
        Ok(actual) if actual == expected => None,
        Ok(actual) => Some(format!(
            "{rel} is stale: run scripts/gen-docs.sh ({} bytes committed, {} bytes rendered{})",
            actual.len(),
            expected.len(),
            first_difference(&actual, expected)
                .map(|line| format!(", first difference at line {line}"))
                .unwrap_or_default(),
        )),
        Err(e) => Some(format!(
            "{rel} is stale: run scripts/gen-docs.sh (cannot read it: {e})"
        )),
    }
}

fn first_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    let mut la = a.split(|&c| c == b'\n');
    let mut lb = b.split(|&c| c == b'\n');
    let mut n = 1;
    loop {
        match (la.next(), lb.next()) {
            (None, None) => return None,
            (x, y) if x != y => return Some(n),
            _ => n += 1,
        }
    }
}

#[test]
fn completions_are_up_to_date() {
    let stale: Vec<String> = Shell::value_variants()
        .iter()
        .filter_map(|&shell| {
            let rel = format!("completions/{}", generate::completion_file(shell));
            check(&rel, &generate::completions(shell))
        })
        .collect();
    assert!(stale.is_empty(), "{}", stale.join("\n"));
}

#[test]
fn man_pages_are_up_to_date() {
    let mut pages = vec![None];
    pages.extend(generate::man_subcommands().into_iter().map(Some));
    let stale: Vec<String> = pages
        .iter()
        .filter_map(|sub| {
            let page = generate::man(sub.as_deref()).expect("render the man page");
            check(
                &format!("man/{}", generate::man_file(sub.as_deref())),
                &page,
            )
        })
        .collect();
    assert!(stale.is_empty(), "{}", stale.join("\n"));
    // no page left over from a subcommand that is gone
    let files = std::fs::read_dir(repo_file("man")).unwrap().count();
    assert_eq!(files, pages.len(), "man/ holds pages no subcommand has");
}

/// `oidcat man SUBCOMMAND` takes exactly the subcommands that have a page.
#[test]
fn man_takes_every_subcommand() {
    let mut listed: Vec<&str> = oidcat::cli::MAN_PAGES.to_vec();
    let mut subs = generate::man_subcommands();
    listed.sort();
    subs.sort();
    assert_eq!(listed, subs);
}

/// Every page renders without a warning (`man --warnings -l`, else groff's
/// own warnings). Skipped with a notice when neither is installed (`.ci/run`
/// installs man-db and groff-base).
#[test]
fn man_pages_render_without_warnings() {
    use std::process::Command;
    let have = |p: &str| {
        Command::new(p)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let (man, groff) = (have("man"), have("groff"));
    if !man && !groff {
        eprintln!("NOTICE: neither man nor groff is installed; man pages not rendered");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut pages = vec![None];
    pages.extend(generate::man_subcommands().into_iter().map(Some));
    for sub in pages {
        let name = generate::man_file(sub.as_deref());
        let path = dir.path().join(&name);
        std::fs::write(&path, generate::man(sub.as_deref()).unwrap()).unwrap();
        let out = if man {
            Command::new("man")
                .args(["--warnings", "-E", "UTF-8", "-l"])
                .arg(&path)
                .env("MANWIDTH", "80")
                .env("MANPAGER", "cat")
                .env("PAGER", "cat")
                .output()
                .unwrap()
        } else {
            Command::new("groff")
                .args(["-man", "-Tutf8", "-ww", "-z"])
                .arg(&path)
                .output()
                .unwrap()
        };
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && stderr.trim().is_empty(),
            "{name}: {stderr}"
        );
        let text = String::from_utf8_lossy(&out.stdout);
        if man {
            for section in [
                "NAME",
                "SYNOPSIS",
                "DESCRIPTION",
                "OPTIONS",
                "EXIT STATUS",
                "ENVIRONMENT",
                "FILES",
                "EXAMPLES",
                "SEE ALSO",
            ] {
                assert!(
                    text.lines().any(|l| l == section),
                    "{name}: no {section} section"
                );
            }
        }
    }
}

/// oidcat-verify(1) answers "how do I assert a claim with a glob" and "what
/// does exit 3 mean".
#[test]
fn verify_page_has_the_claim_syntax_and_the_error_kinds() {
    let page = String::from_utf8(generate::man(Some("verify")).unwrap()).unwrap();
    for needle in [
        ".SH \"CLAIM ASSERTIONS\"",
        "NAME\\fR\\fB~\\fR\\fIGLOB",
        "NAME\\fR\\fB!~\\fR\\fIGLOB",
        ".SH \"ERROR KINDS\"",
        "\\fBoffline_miss\\fR (exit 3)",
        "\\fBclaim_mismatch\\fR (exit 1)",
        ".SH \"EXIT STATUS\"",
        "could not decide",
        ".SS \"Claim assertions\"",
    ] {
        assert!(page.contains(needle), "oidcat-verify(1) lacks {needle:?}");
    }
    for k in oidcat::error::Kind::ALL {
        assert!(
            page.contains(&format!("\\fB{}\\fR (exit", k.as_str())),
            "{}",
            k.as_str()
        );
    }
}

/// Completions offer values where no file is meant.
#[test]
fn completions_offer_values_not_file_names() {
    let bash = String::from_utf8(generate::completions(Shell::Bash)).unwrap();
    let verify = bash
        .split("        oidcat__subcmd__verify)\n")
        .nth(1)
        .expect("a verify block")
        .split("\n        oidcat__")
        .next()
        .unwrap();
    let case = |flag: &str| {
        verify
            .split(&format!("                {flag})\n"))
            .nth(1)
            .and_then(|b| b.split(";;").next())
            .unwrap_or_else(|| panic!("no case for {flag}"))
            .to_string()
    };
    assert!(case("--alg").contains("RS256 RS384"), "{}", case("--alg"));
    assert!(
        case("--issuer").contains("github gitlab google"),
        "{}",
        case("--issuer")
    );
    assert!(
        case("--output").contains("text json"),
        "{}",
        case("--output")
    );
    assert!(
        case("--color").contains("auto always never"),
        "{}",
        case("--color")
    );
    for flag in [
        "--audience",
        "--claim",
        "--require",
        "--typ",
        "--leeway",
        "--now",
    ] {
        assert!(!case(flag).contains("compgen -f"), "{flag}: {}", case(flag));
    }
    for flag in ["--jwks-file", "--key", "--secret-file"] {
        assert!(case(flag).contains("compgen -f"), "{flag}: {}", case(flag));
    }
}

#[test]
fn every_shell_has_its_own_file_name() {
    let mut names: Vec<String> = Shell::value_variants()
        .iter()
        .map(|&s| generate::completion_file(s))
        .collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), Shell::value_variants().len(), "{names:?}");
}
