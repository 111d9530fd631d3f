//! The committed shell completions (`completions/`) and man page
//! (`man/oidcat.1`) must be exactly what the current clap definition renders.
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
fn man_page_is_up_to_date() {
    let page = generate::man().expect("render the man page");
    if let Some(msg) = check("man/oidcat.1", &page) {
        panic!("{msg}");
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
