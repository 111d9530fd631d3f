//! Interoperability with PyJWT, panva's jose and @noble/post-quantum
//! (tests/interop/interop.py): runs the driver against this build when
//! `scripts/interop.sh` has installed the oracles, else says why it skips.

use std::path::PathBuf;

use crate::support::cli::*;

#[test]
fn tokens_interoperate_with_pyjwt_jose_and_noble() {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_file("target"));
    let python = target.join("interop-venv/bin/python");
    let node_modules = repo_file("tests/interop/node_modules");
    let missing: Vec<String> = [
        (python.clone(), "PyJWT venv"),
        (node_modules.join("jose"), "jose"),
        (
            node_modules.join("@noble/post-quantum"),
            "@noble/post-quantum",
        ),
    ]
    .into_iter()
    .filter(|(p, _)| !p.exists())
    .map(|(p, what)| format!("{what} ({})", p.display()))
    .collect();
    let has_node = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !missing.is_empty() || !has_node {
        println!(
            "interop skipped: {}{}; run scripts/interop.sh to install them",
            missing.join(", "),
            if has_node { "" } else { " node not found" }
        );
        return;
    }
    let out = std::process::Command::new(&python)
        .arg(repo_file("tests/interop/interop.py"))
        .arg("--oidcat")
        .arg(assert_cmd::cargo::cargo_bin("oidcat"))
        .output()
        .expect("the interop driver ran");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "interop failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(" 0 failed"), "{stdout}");
}
