//! Build metadata for `oidcat --version` (the long form): the commit the
//! binary was built from and its target triple, as the compile-time
//! variables `OIDCAT_COMMIT` and `OIDCAT_TARGET`.
//!
//! Where the commit comes from, first found wins:
//! 1. the `OIDCAT_COMMIT` environment variable (a packager's override);
//! 2. release-profile builds (`--release`, and the `dist` profile the release
//!    binaries are built with) inside the repository's own git checkout:
//!    `git rev-parse HEAD`, re-read whenever HEAD moves;
//! 3. `.cargo_vcs_info.json`, which `cargo package` writes into the crates.io
//!    package (so `cargo install oidcat` knows its commit without git);
//! 4. otherwise `unknown`.
//!
//! Development builds skip git on purpose: tracking HEAD would rebuild the
//! crate and every test binary after each commit, docs-only ones included.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=OIDCAT_COMMIT");

    let target = std::env::var("TARGET").unwrap_or_else(|_| "unknown".to_string());
    println!("cargo:rustc-env=OIDCAT_TARGET={target}");

    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let release = std::env::var("PROFILE").is_ok_and(|p| p == "release");
    let commit = std::env::var("OIDCAT_COMMIT")
        .ok()
        .and_then(|c| clean_commit(&c))
        .or_else(|| {
            if release {
                git_commit(&manifest_dir)
            } else {
                None
            }
        })
        .or_else(|| vcs_info_commit(&manifest_dir))
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=OIDCAT_COMMIT={commit}");
}

/// A commit id as printed: 12 lowercase hex digits, or `None` if `s` is not hex.
fn clean_commit(s: &str) -> Option<String> {
    let s = s.trim();
    if s.len() < 7 || s.len() > 64 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some(s[..s.len().min(12)].to_ascii_lowercase())
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let s = String::from_utf8(out.stdout).ok()?;
    Some(s.trim().to_string())
}

/// HEAD of the git checkout whose top level is `dir` (not of some enclosing
/// repository the sources happen to be unpacked in), with rerun triggers on
/// the files that change when HEAD moves.
fn git_commit(dir: &Path) -> Option<String> {
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    let same = match (Path::new(&top).canonicalize(), dir.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if !same {
        return None;
    }
    let commit = clean_commit(&git(dir, &["rev-parse", "HEAD"])?)?;
    let mut watch = vec!["HEAD".to_string(), "packed-refs".to_string()];
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        watch.push(branch);
    }
    for name in watch {
        if let Some(path) = git(dir, &["rev-parse", "--git-path", &name]) {
            let path = dir.join(path);
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
    Some(commit)
}

/// `{"git": {"sha1": "<hex>"}, ...}` as written by `cargo package`.
fn vcs_info_commit(dir: &Path) -> Option<String> {
    let path = dir.join(".cargo_vcs_info.json");
    if !path.exists() {
        // no trigger on a missing file: cargo would rerun this every build
        return None;
    }
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(path).ok()?;
    let after = &text[text.find("\"sha1\"")? + "\"sha1\"".len()..];
    let value = after.split('"').nth(1)?;
    clean_commit(value)
}
