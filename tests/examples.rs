//! Every example at the end of a subcommand's `--help` runs as shown: this
//! reads the examples out of the real help text, runs each with `sh -c` from
//! the repository root (the `oidcat` on PATH is this build), and checks the
//! exit status its comment documents (`(exit N)`), or, for `serve`
//! (`(runs until stopped)`), that it starts and prints its start-up line.
//! Loopback only (`OIDCAT_LISTEN=127.0.0.1:0`); every wait has a deadline.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const SUBCOMMANDS: &[&str] = &[
    "discover",
    "jwks",
    "decode",
    "verify",
    "token",
    "serve",
    "policy",
    "sign",
    "keygen",
    "completions",
    "man",
];

#[derive(Debug, PartialEq)]
enum Expect {
    Exit(i32),
    RunsUntilStopped,
}

#[derive(Debug)]
struct Example {
    command: String,
    expect: Expect,
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_oidcat")
}

fn help(sub: &str) -> String {
    let out = Command::new(bin())
        .args([sub, "--help"])
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    assert!(out.status.success(), "oidcat {sub} --help");
    String::from_utf8(out.stdout).unwrap()
}

/// The examples of one help text: comment lines (`# ...`) say what the next
/// command does and its status; command lines may continue with `\`.
fn examples(help: &str) -> Vec<Example> {
    let mut lines = help.lines().skip_while(|l| !l.starts_with("Examples"));
    assert!(lines.next().is_some(), "no Examples section:\n{help}");
    let mut out = Vec::new();
    let mut expect = None;
    let mut command = String::new();
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            if let Some(i) = comment.rfind("(exit ") {
                let n = comment[i + 6..].split(')').next().unwrap();
                expect = Some(Expect::Exit(n.parse().unwrap()));
            } else if comment.contains("(runs until stopped)") {
                expect = Some(Expect::RunsUntilStopped);
            }
            continue;
        }
        match line.strip_suffix('\\') {
            Some(part) => command.push_str(part),
            None => {
                command.push_str(line);
                let expect = expect
                    .take()
                    .unwrap_or_else(|| panic!("no (exit N) comment before {command:?}"));
                out.push(Example {
                    command: std::mem::take(&mut command),
                    expect,
                });
            }
        }
    }
    assert!(command.is_empty(), "unfinished example {command:?}");
    out
}

fn shell(command: &str, home: &Path) -> Command {
    let dir = Path::new(bin()).parent().unwrap();
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![dir.to_path_buf()];
    paths.extend(std::env::split_paths(&path));
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(command)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("PATH", std::env::join_paths(paths).unwrap())
        .env("HOME", home)
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("OIDCAT_LISTEN", "127.0.0.1:0")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for v in [
        "GITHUB_ACTIONS",
        "ACTIONS_ID_TOKEN_REQUEST_URL",
        "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
        "NO_COLOR",
        "CLICOLOR_FORCE",
    ] {
        cmd.env_remove(v);
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    cmd
}

/// Runs one example; `Err` says how it differed from its documentation.
fn run(ex: &Example, home: &Path) -> Result<(), String> {
    let mut child = shell(&ex.command, home)
        .spawn()
        .map_err(|e| e.to_string())?;
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut err = Vec::new();
    let result = match ex.expect {
        Expect::Exit(code) => loop {
            while let Ok(l) = rx.try_recv() {
                err.push(l);
            }
            if let Ok(Some(st)) = child.try_wait() {
                std::thread::sleep(Duration::from_millis(50));
                err.extend(rx.try_iter());
                break if st.code() == Some(code) {
                    Ok(())
                } else {
                    Err(format!("exit {:?}, documented {code}", st.code()))
                };
            }
            if Instant::now() > deadline {
                break Err("still running after 20 s".into());
            }
            std::thread::sleep(Duration::from_millis(20));
        },
        Expect::RunsUntilStopped => loop {
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(l) if l.starts_with("oidcat serve listening on http://127.0.0.1:") => {
                    break Ok(());
                }
                Ok(l) => err.push(l),
                Err(_) => {
                    if let Ok(Some(st)) = child.try_wait() {
                        break Err(format!("exited {st} instead of serving"));
                    }
                }
            }
            if Instant::now() > deadline {
                break Err("no start-up line within 20 s".into());
            }
        },
    };
    // serve under `sh -c`: stop the whole process group (sh and oidcat)
    #[cfg(unix)]
    if ex.expect == Expect::RunsUntilStopped {
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{}", child.id())])
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
    result.map_err(|why| format!("{why}; stderr:\n{}", err.join("\n")))
}

#[test]
#[cfg_attr(windows, ignore = "the examples are POSIX shell lines")]
fn every_help_example_runs_as_documented() {
    let home = tempfile::tempdir().unwrap();
    let mut failed = Vec::new();
    let mut ran = 0;
    for sub in SUBCOMMANDS {
        let list = examples(&help(sub));
        assert!(
            !list.is_empty(),
            "oidcat {sub} --help has no runnable example"
        );
        for ex in &list {
            assert!(
                ex.command.starts_with("oidcat ")
                    || ex.command.contains(" oidcat ")
                    || ex.command.ends_with(" oidcat serve"),
                "{sub}: {:?} does not run oidcat",
                ex.command
            );
            ran += 1;
            if let Err(why) = run(ex, home.path()) {
                failed.push(format!("oidcat {sub} --help: `{}`: {why}", ex.command));
            }
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
    assert!(ran >= 2 * SUBCOMMANDS.len(), "only {ran} examples");
}

/// The reader above finds commands, continuations and statuses.
#[test]
fn examples_are_read_with_their_status() {
    let list = examples(
        "Usage: x\n\nExamples:\n  # one (exit 1):\n  oidcat a \\\n      b\n  # note only\n  #   oidcat c\n  # s (runs until stopped):\n  oidcat serve\n",
    );
    assert_eq!(list.len(), 2, "{list:?}");
    assert_eq!(list[0].command, "oidcat a b");
    assert_eq!(list[0].expect, Expect::Exit(1));
    assert_eq!(list[1].expect, Expect::RunsUntilStopped);
}

/// `-h` is the short form, `--help` the long one with headings and examples;
/// a subcommand lists only the options it uses.
#[test]
fn help_is_grouped_and_lists_only_what_a_subcommand_uses() {
    let run = |args: &[&str]| {
        let out = Command::new(bin())
            .args(args)
            .env("COLUMNS", "100")
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let long = run(&["verify", "--help"]);
    let short = run(&["verify", "-h"]);
    assert!(
        short.lines().count() * 2 < long.lines().count(),
        "-h is not short"
    );
    assert!(!short.contains("Examples") && long.contains("Examples"));
    let headings: Vec<&str> = long
        .lines()
        .filter(|l| l.ends_with(':') && !l.starts_with(' '))
        .collect();
    for h in [
        "Key source:",
        "Checks:",
        "Claim assertions:",
        "Output:",
        "Network and cache:",
        "GitHub Actions:",
    ] {
        assert!(
            headings.contains(&h),
            "verify --help lacks {h} in {headings:?}"
        );
    }
    assert!(
        long.contains("--iss") && long.contains("--aud"),
        "aliases shown"
    );
    for sub in ["decode", "sign", "keygen", "completions", "man"] {
        let help = run(&[sub, "--help"]);
        for flag in [
            "--timeout",
            "--ca-file",
            "--allow-http",
            "--cache-dir",
            "--no-cache",
            "--offline",
        ] {
            assert!(!help.contains(flag), "{sub} --help lists {flag}");
        }
    }
    for sub in ["discover", "jwks", "verify", "serve", "token"] {
        assert!(
            run(&[sub, "--help"]).contains("Network and cache:"),
            "{sub}"
        );
    }
    // not on the top level either, yet accepted there as before
    let top = run(&["--help"]);
    assert!(
        !top.contains("--timeout") && !top.contains("--cache-dir"),
        "{top}"
    );
    let out = Command::new(bin())
        .args([
            "--offline",
            "--timeout",
            "3",
            "decode",
            "@tests/fixtures/github/expired.jwt",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
