//! The real `oidcat` binary in a hermetic environment: a cleared environment
//! (PATH kept), HOME and XDG_CACHE_HOME inside a temp dir, a 30 s timeout;
//! what it printed and how it exited; and the `verify` command builder.

use std::ffi::OsStr;
use std::path::PathBuf;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

/// A clean home for one test: HOME and XDG_CACHE_HOME point inside a temp dir.
pub struct Ctx {
    pub dir: tempfile::TempDir,
    envs: Vec<(String, String)>,
}

impl Default for Ctx {
    fn default() -> Self {
        Self::new()
    }
}

impl Ctx {
    pub fn new() -> Ctx {
        let dir = tempfile::tempdir().expect("a temp dir");
        std::fs::create_dir_all(dir.path().join("home")).expect("a home in the temp dir");
        Ctx { dir, envs: vec![] }
    }

    /// Adds an environment variable to every command of this context.
    pub fn env(mut self, k: &str, v: impl Into<String>) -> Ctx {
        self.envs.push((k.into(), v.into()));
        self
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> String {
        let p = self.path(name);
        std::fs::write(&p, contents).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        p.display().to_string()
    }

    /// A file of the context's dir as text; empty when it does not exist.
    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap_or_default()
    }

    /// The default cache directory ($XDG_CACHE_HOME/oidcat).
    pub fn cache_dir(&self) -> PathBuf {
        self.path("cache").join("oidcat")
    }

    /// The binary with a cleared environment (PATH, HOME, XDG_CACHE_HOME and
    /// this context's variables), run in the temp dir; no color choice made.
    pub fn bare_cmd(&self) -> Command {
        let mut c = Command::cargo_bin("oidcat").expect("the oidcat binary is built");
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path("home"))
            .env("XDG_CACHE_HOME", self.path("cache"))
            .current_dir(self.dir.path())
            .timeout(Duration::from_secs(30));
        for (k, v) in &self.envs {
            c.env(k, v);
        }
        c
    }

    /// [`Ctx::bare_cmd`] with `--color never`.
    pub fn cmd(&self) -> Command {
        let mut c = self.bare_cmd();
        c.arg("--color").arg("never");
        c
    }

    pub fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Outcome {
        self.run_stdin(args, "")
    }

    pub fn run_stdin<S: AsRef<OsStr>>(&self, args: &[S], stdin: impl Into<Vec<u8>>) -> Outcome {
        let mut c = self.cmd();
        c.args(args);
        c.write_stdin(stdin.into());
        Outcome::of(&mut c)
    }
}

/// Runs the binary in a fresh context.
pub fn oidcat<S: AsRef<OsStr>>(args: &[S]) -> Outcome {
    Ctx::new().run(args)
}

/// How a run of the binary ended. `Debug` prints as `Display` does, so
/// `{out:?}` in an assertion message shows the streams readably.
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    pub fn of(c: &mut Command) -> Outcome {
        let o = c.output().expect("the binary ran");
        Outcome {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{self}"))
    }

    /// The `checks` array of the JSON verdict.
    pub fn checks(&self) -> Vec<Value> {
        self.json()["checks"]
            .as_array()
            .cloned()
            .unwrap_or_else(|| panic!("no `checks` array\n{self}"))
    }

    /// The check named `name`.
    pub fn check(&self, name: &str) -> Value {
        self.checks()
            .into_iter()
            .find(|c| c["check"] == name)
            .unwrap_or_else(|| panic!("no {name:?} check\n{self}"))
    }

    /// True when a check named `name` passed.
    pub fn passed(&self, name: &str) -> bool {
        self.checks()
            .iter()
            .any(|c| c["check"] == name && c["ok"] == true)
    }

    /// The names of the failed checks, in order.
    pub fn failed_checks(&self) -> Vec<String> {
        self.checks()
            .iter()
            .filter(|c| c["ok"] == false)
            .map(|c| {
                c["check"]
                    .as_str()
                    .unwrap_or_else(|| panic!("a check without a name\n{self}"))
                    .to_string()
            })
            .collect()
    }

    pub fn kind(&self) -> Option<String> {
        self.json()["error"]["kind"].as_str().map(str::to_owned)
    }

    /// Asserts the exit code (and, for JSON output, `error.kind`).
    #[track_caller]
    pub fn expect(&self, code: i32, kind: Option<&str>) -> &Self {
        assert_eq!(self.code, code, "exit code\n{self}");
        if let Some(k) = kind {
            assert_eq!(self.kind().as_deref(), Some(k), "error.kind\n{self}");
        }
        self
    }

    #[track_caller]
    pub fn ok(&self) -> &Self {
        self.expect(0, None)
    }

    #[track_caller]
    pub fn valid(&self) -> &Self {
        self.expect(0, None);
        let j = self.json();
        assert_eq!(j["valid"], true, "{self}");
        assert!(j["error"].is_null(), "{self}");
        self
    }

    #[track_caller]
    pub fn rejected(&self, kind: &str) -> &Self {
        self.expect(1, Some(kind));
        assert_eq!(self.json()["valid"], false, "{self}");
        self
    }

    #[track_caller]
    pub fn undecided(&self, kind: &str) -> &Self {
        self.expect(3, Some(kind))
    }

    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Self {
        self.has("stderr", &self.stderr, needle)
    }

    #[track_caller]
    pub fn stdout_has(&self, needle: &str) -> &Self {
        self.has("stdout", &self.stdout, needle)
    }

    #[track_caller]
    fn has(&self, name: &str, text: &str, needle: &str) -> &Self {
        assert!(text.contains(needle), "{name} lacks {needle:?}\n{self}");
        self
    }

    #[track_caller]
    pub fn message_has(&self, needle: &str) -> &Self {
        let m = self.json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(
            m.contains(needle),
            "error.message lacks {needle:?}: {m}\n{self}"
        );
        self
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "--- exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl std::fmt::Debug for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

// ---------------------------------------------------------------- verify

/// `oidcat [GLOBAL...] verify [ARGS...]`, the arguments in the order they are
/// added: `verify_cmd().json().jwks_file(&f).audience("api").now(NOW_S).arg(&t)`.
#[derive(Clone, Debug, Default)]
pub struct VerifyCmd {
    global: Vec<String>,
    args: Vec<String>,
}

/// A bare `verify` command line; see [`VerifyCmd`].
pub fn verify_cmd() -> VerifyCmd {
    VerifyCmd::default()
}

impl VerifyCmd {
    /// A global option, before the subcommand.
    pub fn global(mut self, arg: impl Into<String>) -> Self {
        self.global.push(arg.into());
        self
    }

    /// Global options, before the subcommand.
    pub fn globals<S: AsRef<str>>(self, args: &[S]) -> Self {
        args.iter().fold(self, |c, a| c.global(a.as_ref()))
    }

    /// `-o json`, before the subcommand.
    pub fn json(self) -> Self {
        self.global("-o").global("json")
    }

    /// One argument of `verify` (a flag, a value, the token).
    pub fn arg(mut self, arg: impl Into<String>) -> Self {
        self.args.push(arg.into());
        self
    }

    pub fn args<S: AsRef<str>>(mut self, args: &[S]) -> Self {
        self.args
            .extend(args.iter().map(|a| a.as_ref().to_string()));
        self
    }

    pub fn jwks_file(self, path: impl Into<String>) -> Self {
        self.arg("--jwks-file").arg(path)
    }

    pub fn key(self, path: impl Into<String>) -> Self {
        self.arg("--key").arg(path)
    }

    pub fn issuer(self, issuer: impl Into<String>) -> Self {
        self.arg("--issuer").arg(issuer)
    }

    pub fn audience(self, aud: impl Into<String>) -> Self {
        self.arg("--audience").arg(aud)
    }

    pub fn now(self, t: impl Into<String>) -> Self {
        self.arg("--now").arg(t)
    }

    /// The whole argument vector (after the context's own `--color never`).
    pub fn argv(&self) -> Vec<String> {
        let mut v = self.global.clone();
        v.push("verify".into());
        v.extend(self.args.iter().cloned());
        v
    }

    /// The command in `ctx`'s hermetic environment, stdin not yet given.
    pub fn command(&self, ctx: &Ctx) -> Command {
        let mut c = ctx.cmd();
        c.args(self.argv());
        c
    }

    /// Runs it in `ctx` with an empty stdin.
    pub fn run_in(&self, ctx: &Ctx) -> Outcome {
        ctx.run(&self.argv())
    }

    /// Runs it in `ctx` with `stdin`.
    pub fn run_stdin_in(&self, ctx: &Ctx, stdin: impl Into<Vec<u8>>) -> Outcome {
        ctx.run_stdin(&self.argv(), stdin)
    }

    /// Runs it in a fresh context with an empty stdin.
    pub fn run(&self) -> Outcome {
        self.run_in(&Ctx::new())
    }
}
