//! `oidcat verify`: orchestration only. Flags -> config -> the verify core ->
//! report -> exit status, plus the GitHub Actions extras.

use crate::cli::{GlobalArgs, VerifyArgs};
use crate::clock;
use crate::config::{self, KeySource};
use crate::error::{Error, Exit, Result};
use crate::github::{self, StepFileError};
use crate::input;
use crate::issuer;
use crate::keys::cli_provider::CliKeys;
use crate::report::{Out, verdict};
use crate::verify;

pub fn run(args: &VerifyArgs, g: &GlobalArgs, out: &Out) -> Result<Exit> {
    if let Some(file) = &args.policy_file {
        return run_policy(args, file, g, out);
    }
    if args.path.is_some() || args.host.is_some() || args.method.is_some() {
        return Err(Error::usage(
            "--path, --host and --method choose a route of a policy file: give --policy FILE too",
        ));
    }
    let (mut source, mut policy) = config::resolve(
        &args.keys,
        &args.policy,
        g.allow_http,
        args.issuer_from_token,
    )?;
    let now = match &args.now {
        Some(s) => clock::parse_now(s)?,
        None => clock::system_now(),
    };
    for name in &args.github_output {
        if name.is_empty() {
            return Err(Error::usage("--github-output needs a claim name"));
        }
        if name.chars().any(char::is_control) {
            return Err(Error::usage(format!(
                "--github-output {}: a claim name has no control characters",
                crate::sanitize::escape(name)
            )));
        }
    }
    // An input refused (empty, binary, too large, unreadable) is answered
    // with the whole verdict document too.
    let (token, input_error) = match input::read_token(args.token.as_deref()) {
        Ok(t) => (t, None),
        Err(e) if verify::Verdict::is_input_failure(&e) => (String::new(), Some(e)),
        Err(e) => return Err(e),
    };
    let mut warnings = Vec::new();
    if matches!(source, KeySource::IssuerFromToken) {
        // Read `iss` unverified only to find where keys live; it is then pinned,
        // so the token must at least be consistent with that issuer.
        let iss = crate::jwt::parse_jws(&token).ok().and_then(|j| {
            j.claims
                .get("iss")
                .and_then(|v| v.as_str().map(str::to_owned))
        });
        match iss {
            Some(iss) => {
                issuer::validate(&iss, g.allow_http)?;
                warnings.push(format!(
                    "--issuer-from-token: keys come from the token's own issuer {iss}; this proves the token is consistent with that issuer, not that you should trust it"
                ));
                policy.issuer = Some(iss.clone());
                source = KeySource::Issuer(iss);
            }
            None => {
                // Leave it to the core to report the malformed token; no issuer to fetch.
                source = KeySource::Static(std::sync::Arc::new(crate::keys::KeySet::default()));
            }
        }
    }
    let loader = super::loader(g, out);
    let provider = CliKeys::new(&loader, source);
    let v = match &input_error {
        Some(e) => verify::Verdict::input_failure(e),
        None => verify::verify(&token, &provider, &policy, now),
    };
    warnings.extend(provider.notes.borrow().iter().cloned());
    warnings.extend(v.warnings.iter().cloned());
    // A key the error itself says was refused is not warned about as well.
    warnings.retain(|w| !crate::verify::said_by_error(w, &v));
    for w in &warnings {
        out.warn(w);
    }
    for w in provider.verbose_notes.borrow().iter() {
        out.debug(&format!("warning: {w}"));
    }

    finish(args, out, &v, now)
}

/// `verify --policy FILE [--path P [--host H] [--method M]]`: the decision
/// `serve --policy` makes for that request (docs/policy.md).
fn run_policy(
    args: &VerifyArgs,
    file: &std::path::Path,
    g: &GlobalArgs,
    out: &Out,
) -> Result<Exit> {
    super::refuse_flags_beside_policy(
        &args.keys,
        &args.policy,
        &[("--issuer-from-token", args.issuer_from_token)],
    )?;
    if args.path.is_none() && (args.host.is_some() || args.method.is_some()) {
        return Err(Error::usage(
            "--host and --method describe a request: give its --path too",
        ));
    }
    let policy = super::policy::load(file, g.allow_http)?;
    let now = match &args.now {
        Some(s) => clock::parse_now(s)?,
        None => clock::system_now(),
    };
    let token = input::read_token(args.token.as_deref())?;
    let request = args
        .path
        .as_deref()
        .map(|p| crate::policy::Request::new(p, args.host.as_deref(), args.method.as_deref()));
    let loader = super::loader(g, out);
    let providers: Vec<CliKeys> = policy
        .issuers
        .iter()
        .map(|i| CliKeys::new(&loader, i.source.clone()))
        .collect();
    let keys = |i: usize| &providers[i] as &dyn crate::keys::KeyProvider;
    let d = verify::decide(&policy, &token, &keys, request.as_ref(), now);
    let mut v = d.verdict;
    let mut warnings: Vec<String> = policy.warnings.clone();
    if let Some(i) = d.issuer {
        warnings.extend(providers[i].notes.borrow().iter().cloned());
    }
    if request.is_none() && !policy.routes.is_empty() {
        warnings.push(format!(
            "{} has {} route(s); none was evaluated (give --path to decide for a request)",
            policy.file,
            policy.routes.len()
        ));
    }
    warnings.append(&mut v.warnings);
    for w in &warnings {
        out.warn(w);
    }
    finish(args, out, &v, now)
}

/// The verdict shown, the GitHub Actions extras, and the exit status.
fn finish(args: &VerifyArgs, out: &Out, v: &verify::Verdict, now: i64) -> Result<Exit> {
    verdict::show(out, v, now);

    let mut exit = v.exit();
    let in_job = github::in_actions();
    if in_job && let Some(e) = &v.error {
        out.workflow_command(&github::error_command(&format!(
            "token {} ({}): {}",
            v.word().to_ascii_lowercase(),
            e.kind,
            e.message
        )));
    }
    // The step files report; they never change the verdict. A variable that
    // is not set (not in a job) is a warning; only a file that cannot be
    // written is an error, and then "could not decide" (exit 3) unless the
    // verdict already failed.
    let warn = |msg: &str| {
        if in_job {
            out.workflow_command(&github::warning_command(msg));
        } else {
            out.warn(msg);
        }
    };
    let mut failed = |flag: &str, e: StepFileError| match e {
        StepFileError::NotSet { .. } => warn(&format!("{flag}: {e}")),
        e => {
            let msg = format!("{flag}: {e}");
            out.error_line(&msg);
            if in_job {
                out.workflow_command(&github::error_command(&msg));
            }
            if exit == Exit::Ok {
                exit = Exit::Undecided;
            }
        }
    };
    if args.github_summary
        && let Err(e) = github::append("GITHUB_STEP_SUMMARY", &github::summary(v))
    {
        failed("--github-summary", e);
    }
    // Only a verified token's claims are ever written (docs/security.md G1).
    if !args.github_output.is_empty()
        && let Some(claims) = v.trusted()
    {
        match github::outputs(claims, &args.github_output) {
            Ok(o) => {
                for name in &o.absent {
                    warn(&format!(
                        "--github-output {name}: the token has no such claim; its output is empty"
                    ));
                }
                if let Err(e) = github::append("GITHUB_OUTPUT", &o.text) {
                    failed("--github-output", e);
                }
            }
            Err(e) => failed("--github-output", e),
        }
    }
    Ok(exit)
}
