//! `oidcat completions SHELL` and `oidcat man`: rendered from the clap
//! definition, so they cannot drift from the real flags. The committed copies
//! under `completions/` and `man/` are checked by a test.

use crate::cli::Cli;

/// The completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "oidcat", &mut buf);
    buf
}

/// The subcommands with a man page of their own, `oidcat-NAME(1)`.
pub fn man_subcommands() -> Vec<String> {
    Cli::command()
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        .map(|s| s.get_name().to_string())
        .collect()
}

/// File name under `man/` of the page for `sub` (`None`: oidcat(1)).
pub fn man_file(sub: Option<&str>) -> String {
    match sub {
        None => "oidcat.1".into(),
        Some(s) => format!("oidcat-{s}.1"),
    }
}

/// The roff man page: oidcat(1), or oidcat-SUB(1) for a subcommand. Rendered
/// from the clap definition (NAME, SYNOPSIS, DESCRIPTION, OPTIONS under their
/// headings) with the sections clap knows nothing about added: EXIT STATUS,
/// ENVIRONMENT, FILES, EXAMPLES, SEE ALSO, and for verify the claim-assertion
/// syntax and the error kinds.
pub fn man(sub: Option<&str>) -> std::io::Result<Vec<u8>> {
    // VERSION shows the plain version: `--version`'s long form names the
    // build's commit and target, which would make the committed page differ
    // from one machine to the next.
    let mut root = Cli::command().long_version(None::<&'static str>);
    root.build();
    let cmd = match sub {
        None => root.clone(),
        Some(name) => root
            .find_subcommand(name)
            .cloned()
            .ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!(
                        "no subcommand {name:?}: one of {}",
                        man_subcommands().join(", ")
                    ),
                )
            })?
            .version(env!("CARGO_PKG_VERSION")),
    };
    let title = match sub {
        None => "oidcat".to_string(),
        Some(s) => format!("oidcat-{s}"),
    };
    let examples = cmd.get_after_long_help().map(|h| h.to_string());
    let cmd = cmd
        .after_long_help(None::<&'static str>)
        .after_help(None::<&'static str>);
    let man = clap_mangen::Man::new(cmd.clone())
        .title(title.clone())
        .source(format!("oidcat {}", env!("CARGO_PKG_VERSION")))
        .manual("oidcat manual");
    let mut buf = Vec::new();
    man.render_title(&mut buf)?;
    man.render_name_section(&mut buf)?;
    man.render_synopsis_section(&mut buf)?;
    man.render_description_section(&mut buf)?;
    let mut options = Vec::new();
    man.render_options_section(&mut options)?;
    buf.extend_from_slice(options_under_one_section(&options).as_bytes());
    if sub.is_none() {
        man.render_subcommands_section(&mut buf)?;
    }
    let mut extra = String::new();
    if sub == Some("verify") {
        extra.push_str(CLAIM_ASSERTIONS);
        extra.push_str(&error_kinds());
    }
    extra.push_str(EXIT_STATUS);
    extra.push_str(&environment(sub));
    extra.push_str(FILES);
    if let Some(text) = examples {
        extra.push_str(&examples_section(&text));
    }
    extra.push_str(&see_also(sub));
    buf.extend_from_slice(extra.as_bytes());
    Ok(one_preamble(&buf))
}

/// Each clap_mangen part starts with the same two-line string definition;
/// the page needs it once, at the top.
fn one_preamble(page: &[u8]) -> Vec<u8> {
    const PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    let text = String::from_utf8_lossy(page);
    let rest = text.replace(PREAMBLE, "");
    format!("{PREAMBLE}{rest}").into_bytes()
}

/// clap_mangen renders each help heading as a section of its own; here they
/// are subsections of OPTIONS, as man pages have them.
fn options_under_one_section(roff: &[u8]) -> String {
    let text = String::from_utf8_lossy(roff);
    let mut out = String::new();
    let mut seen_options = false;
    for line in text.lines() {
        if let Some(h) = line.strip_prefix(".SH ") {
            let h = h.trim_matches('"');
            if h == "OPTIONS" {
                seen_options = true;
                out.push_str(".SH OPTIONS\n");
                continue;
            }
            if !seen_options {
                out.push_str(".SH OPTIONS\n");
                seen_options = true;
            }
            let heading = HEADINGS
                .iter()
                .find(|x| x.to_uppercase() == h)
                .copied()
                .unwrap_or(h);
            out.push_str(&format!(".SS \"{heading}\"\n"));
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

const HEADINGS: &[&str] = &[
    crate::cli::KEY_SOURCE,
    crate::cli::CHECKS,
    crate::cli::CLAIMS,
    crate::cli::OUTPUT,
    crate::cli::NETWORK,
    crate::cli::GITHUB,
    crate::cli::SERVER,
];

/// Escapes text for roff: backslashes, and a leading `.` or `'`.
fn roff_text(line: &str) -> String {
    let line = line.replace('\\', "\\e").replace('-', "\\-");
    if line.starts_with('.') || line.starts_with('\'') {
        format!("\\&{line}")
    } else {
        line
    }
}

fn examples_section(text: &str) -> String {
    let mut out = String::from(".SH EXAMPLES\n");
    let mut lines = text.lines();
    if let Some(first) = lines.next() {
        let intro = first.trim_start_matches("Examples").trim_start_matches(':');
        let intro = intro.trim().trim_start_matches('(').trim_end_matches(':');
        let intro = intro.trim_end_matches(')');
        if !intro.is_empty() {
            out.push_str(&roff_text(&format!("Run {intro}.")));
            out.push('\n');
        }
    }
    out.push_str(".PP\n.nf\n.RS 4\n");
    for line in lines {
        out.push_str(&roff_text(line.strip_prefix("  ").unwrap_or(line)));
        out.push('\n');
    }
    out.push_str(".RE\n.fi\n");
    out
}

const CLAIM_ASSERTIONS: &str = r#".SH "CLAIM ASSERTIONS"
\fB\-\-claim\fR takes one of four forms; each is reported as its own check:
.TP
\fINAME\fR\fB=\fR\fIVALUE\fR
the claim equals VALUE (a string claim exactly; a number or boolean claim by its JSON text; an array holds VALUE as an element).
.TP
\fINAME\fR\fB!=\fR\fIVALUE\fR
the claim is present and does not equal VALUE.
.TP
\fINAME\fR\fB~\fR\fIGLOB\fR
the claim matches GLOB, anchored at both ends: \fB*\fR matches any run of characters (also \fB/\fR), \fB?\fR one character.
.TP
\fINAME\fR\fB!~\fR\fIGLOB\fR
the claim is present and does not match GLOB.
.PP
A dotted NAME reaches into objects (\fBaddress.country\fR). A missing claim fails all four forms.
\fB\-\-require\fR \fINAME\fR only asks that the claim be present.
\fB\-\-assert\fR \fIEXPR\fR is a jq expression over the claims (\fB$header\fR is the header) that holds when it yields only \fBtrue\fR.
Quote globs for the shell:
.PP
.nf
.RS 4
oidcat verify ... \-\-claim 'ref~refs/heads/*' \-\-claim 'repository!=acme/old' \e
    \-\-require sha \-\-assert '.run_attempt == "1"'
.RE
.fi
"#;

fn kind_meaning(k: crate::error::Kind) -> &'static str {
    use crate::error::Kind::*;
    match k {
        Malformed => "not a well-formed JWT (encoding, JSON, size, segments)",
        EncryptedToken => "a JWE (five segments): encrypted tokens are not verified",
        AlgNotAllowed => "the header's alg is not an allowed algorithm (\\-\\-alg)",
        KeyNotFound => "no usable key for the token's kid and alg in the key set",
        BadSignature => "the signature does not verify",
        IssuerMismatch => "iss is not the expected issuer",
        AudienceMismatch => "aud holds none of the accepted audiences",
        Expired => "now is at or after exp plus the leeway",
        NotYetValid => "nbf is in the future beyond the leeway",
        IssuedInFuture => "iat is in the future beyond the leeway",
        TooOld => "iat is older than \\-\\-max\\-age",
        MissingClaim => "a claim named by \\-\\-require (or a time claim) is missing",
        ClaimMismatch => "a \\-\\-claim assertion does not hold",
        AssertionFailed => "an \\-\\-assert expression did not yield only true",
        TypMismatch => "the header's typ is not the one \\-\\-typ asks for",
        CritUnsupported => "the header has crit or b64, which are never implemented",
        MissingToken => "serve: no bearer token in the request",
        RouteDenied => "a policy file's routes do not let this request through",
        Usage => "a flag or its value is wrong; nothing was checked",
        FetchFailed => "the discovery document or key set could not be fetched",
        DiscoveryInvalid => "the discovery document is not valid",
        JwksInvalid => "the key set is not valid or holds no usable key",
        OfflineMiss => "\\-\\-offline and nothing usable in the cache",
        Io => "a file could not be read or written",
    }
}

/// The error kinds (`error.kind` in `-o json`) with their exit status.
fn error_kinds() -> String {
    use crate::error::{Category, Kind};
    let mut out = String::from(
        ".SH \"ERROR KINDS\"\nThe first failing check names the kind (\\fB\\-o json\\fR: \\fBerror.kind\\fR), in the order input, algorithm, key, signature, issuer, audience, time, type, claims.\n",
    );
    for k in Kind::ALL {
        let exit = match k.category() {
            Category::Rejected => 1,
            Category::Usage => 2,
            Category::Undecided => 3,
        };
        out.push_str(&format!(
            ".TP\n\\fB{}\\fR (exit {exit})\n{}.\n",
            k.as_str(),
            kind_meaning(k)
        ));
    }
    out
}

const EXIT_STATUS: &str = r#".SH "EXIT STATUS"
.TP
.B 0
valid token, or success
.TP
.B 1
rejected: the token failed a check (the error kind says which)
.TP
.B 2
usage error: a flag or its value is wrong; nothing was checked
.TP
.B 3
could not decide: network, TLS, a bad discovery document or key set, an \-\-offline cache miss, I/O.
This is not a verdict on the token.
"#;

fn environment(sub: Option<&str>) -> String {
    let mut out = String::from(
        r#".SH ENVIRONMENT
.TP
.B NO_COLOR
no colour (with \-\-color auto)
.TP
.B CLICOLOR_FORCE
colour even when not writing to a terminal (with \-\-color auto)
.TP
.BR SSL_CERT_FILE ", " SSL_CERT_DIR
extra trusted root certificates, on top of the bundled Mozilla roots
.TP
.BR HTTPS_PROXY ", " HTTP_PROXY ", " ALL_PROXY ", " NO_PROXY
the HTTP proxy for fetches (lower case too)
.TP
.B XDG_CACHE_HOME
the cache lives in $XDG_CACHE_HOME/oidcat
"#,
    );
    if matches!(sub, None | Some("verify") | Some("token")) {
        out.push_str(
            r#".TP
.B GITHUB_ACTIONS
in a GitHub Actions job (true): errors also become workflow annotations
.TP
.BR GITHUB_STEP_SUMMARY ", " GITHUB_OUTPUT
files written by verify \-\-github\-summary and \-\-github\-output
.TP
.BR ACTIONS_ID_TOKEN_REQUEST_URL ", " ACTIONS_ID_TOKEN_REQUEST_TOKEN
set by the runner when the job may request an OIDC token (oidcat token)
"#,
        );
    }
    if matches!(sub, None | Some("serve")) {
        out.push_str(".TP\n.B OIDCAT_*\nserve: each option from a variable; a flag wins over its variable:\n.RS\n");
        let serve = Cli::command();
        let has = |id: &str| {
            serve
                .find_subcommand("serve")
                .is_some_and(|s| s.get_arguments().any(|a| a.get_id() == id))
        };
        for (_, var, list) in crate::cli::SERVE_ENV.iter().filter(|(id, _, _)| has(id)) {
            let flag = var["OIDCAT_".len()..].to_lowercase().replace('_', "\\-");
            let list = if *list { " (comma\\-separated)" } else { "" };
            out.push_str(&format!(".TP\n.B {var}\n\\-\\-{flag}{list}\n"));
        }
        out.push_str(".RE\n");
    }
    out
}

const FILES: &str = r#".SH FILES
.TP
.I $XDG_CACHE_HOME/oidcat/
(else \fI~/.cache/oidcat/\fR) the disk cache of discovery documents and key sets, kept as long as the issuer's Cache\-Control allows; \-\-cache\-dir moves it, \-\-no\-cache skips it, \-\-offline uses only it.
"#;

fn see_also(sub: Option<&str>) -> String {
    let mut pages: Vec<String> = Vec::new();
    if sub.is_some() {
        pages.push("oidcat".into());
    }
    for s in man_subcommands() {
        if Some(s.as_str()) != sub {
            pages.push(format!("oidcat\\-{s}"));
        }
    }
    let list: Vec<String> = pages.iter().map(|p| format!("\\fB{p}\\fR(1)")).collect();
    format!(
        ".SH \"SEE ALSO\"\n{}\n.PP\nhttps://github.com/oidcat/oidcat/blob/main/docs/reference.md\n",
        list.join(", ")
    )
}

/// File name under `completions/` for each shell.
pub fn completion_file(shell: clap_complete::Shell) -> String {
    use clap_complete::Shell::*;
    match shell {
        Bash => "oidcat.bash".into(),
        Zsh => "_oidcat".into(),
        Fish => "oidcat.fish".into(),
        PowerShell => "_oidcat.ps1".into(),
        Elvish => "oidcat.elv".into(),
        _ => format!("oidcat.{shell}"),
    }
}
