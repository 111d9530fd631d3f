use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;

use clap::ArgAction;

use super::super::Cli;
use super::*;

fn split(line: &str) -> Vec<OsString> {
    line.split_whitespace().map(Into::into).collect()
}

/// Every long option of `oidcat verify` in clap's definition (the global
/// ones from the top-level command), by name.
fn clap_options(cmd: &clap::Command) -> BTreeMap<String, (clap::Arg, bool)> {
    let verify = cmd.find_subcommand("verify").expect("verify");
    let mut all = BTreeMap::new();
    for (arg, top) in cmd
        .get_arguments()
        .map(|a| (a, true))
        .chain(verify.get_arguments().map(|a| (a, false)))
    {
        if let Some(long) = arg.get_long()
            && !["help", "version"].contains(&long)
            && (top || !arg.is_global_set())
        {
            all.insert(long.to_string(), (arg.clone(), top));
        }
    }
    all
}

/// The table is clap's definition: the same options, short forms,
/// global or not, flag / single value / repeatable. A flag added to
/// `cli` and not here (or changed there only) fails this test.
#[test]
fn options_table_matches_clap() {
    let cmd = Cli::command();
    let clap = clap_options(&cmd);
    let mine: BTreeSet<&str> = OPTIONS.iter().map(|o| o.long).collect();
    let theirs: BTreeSet<&str> = clap.keys().map(String::as_str).collect();
    assert_eq!(mine, theirs, "OPTIONS and clap list different options");
    for o in OPTIONS {
        let (arg, top) = &clap[o.long];
        assert_eq!(o.short, arg.get_short(), "--{} short form", o.long);
        assert_eq!(o.global, *top && arg.is_global_set(), "--{} global", o.long);
        let form = match arg.get_action() {
            ArgAction::SetTrue => Form::Flag,
            ArgAction::Set => Form::Value,
            ArgAction::Append => Form::Repeated,
            other => panic!("--{}: action {other:?} is not read by hand", o.long),
        };
        assert_eq!(o.form, form, "--{} form", o.long);
    }
}

/// [`ALIASES`] is exactly clap's aliases of verify's options, and a line
/// with them reads as clap reads it.
#[test]
fn aliases_match_clap() {
    let cmd = Cli::command();
    let mut theirs = BTreeSet::new();
    for (long, (arg, _)) in clap_options(&cmd) {
        for alias in arg.get_all_aliases().into_iter().flatten() {
            theirs.insert((alias.to_string(), long.clone()));
        }
    }
    let mine: BTreeSet<(String, String)> = ALIASES
        .iter()
        .map(|(a, l)| (a.to_string(), l.to_string()))
        .collect();
    assert_eq!(mine, theirs);
    let line = split("oidcat verify --iss github --aud a --aud=b t");
    let fast = verify(&line).expect("the hand reader takes aliases");
    let full = Cli::try_parse_from(&line).unwrap();
    assert_eq!(format!("{fast:?}"), format!("{full:?}"));
    assert!(verify(&split("oidcat verify --iss github --issuer github t")).is_none());
}

/// [`CONFLICTS`] is exactly the set of pairs clap refuses.
#[test]
fn conflicts_match_clap() {
    let mut cmd = Cli::command();
    cmd.build();
    let verify = cmd.find_subcommand("verify").expect("verify").clone();
    let pair = |a: &str, b: &str| {
        if a < b {
            (a.to_string(), b.to_string())
        } else {
            (b.to_string(), a.to_string())
        }
    };
    let mut theirs = BTreeSet::new();
    for (name, (arg, top)) in clap_options(&cmd) {
        let owner = if top { &cmd } else { &verify };
        for other in owner.get_arg_conflicts_with(&arg) {
            if let Some(l) = other.get_long() {
                theirs.insert(pair(&name, l));
            }
        }
    }
    let mine: BTreeSet<_> = CONFLICTS.iter().map(|(a, b)| pair(a, b)).collect();
    assert_eq!(mine, theirs);
}

fn clap_accepts(long: &str, value: &str) -> bool {
    let line = ["oidcat", "verify", &format!("--{long}={value}"), "t"];
    Cli::try_parse_from(line).is_ok()
}

/// Ranges and defaults of the number options and the values of the
/// enumerated ones are clap's; every other value option takes any text.
#[test]
fn values_ranges_and_defaults_match_clap() {
    let cmd = Cli::command();
    let clap = clap_options(&cmd);
    let default = |long: &str| -> Option<String> {
        let d = clap[long].0.get_default_values();
        d.first().map(|v| v.to_string_lossy().into_owned())
    };
    for n in NUMBERS {
        assert_eq!(
            known(n.long).map(|o| o.form),
            Some(Form::Value),
            "--{}",
            n.long
        );
        assert_eq!(
            n.default.map(|d| d.to_string()),
            default(n.long),
            "--{} default",
            n.long
        );
        assert!(clap_accepts(n.long, &n.min.to_string()), "--{} min", n.long);
        assert!(clap_accepts(n.long, &n.max.to_string()), "--{} max", n.long);
        if n.min > 0 {
            assert!(
                !clap_accepts(n.long, &(n.min - 1).to_string()),
                "--{} below",
                n.long
            );
        }
        let above = n
            .max
            .checked_add(1)
            .map_or("18446744073709551616".into(), |m| m.to_string());
        assert!(!clap_accepts(n.long, &above), "--{} above", n.long);
    }
    for (long, values) in CHOICES {
        let possible: Vec<String> = clap[*long]
            .0
            .get_possible_values()
            .iter()
            .map(|p| p.get_name().to_string())
            .collect();
        let mut sorted: Vec<&str> = values.to_vec();
        sorted.sort();
        let mut theirs: Vec<&str> = possible.iter().map(String::as_str).collect();
        theirs.sort();
        assert_eq!(sorted, theirs, "--{long} values");
        assert_eq!(
            default(long).as_deref(),
            values.first().copied(),
            "--{long} default"
        );
    }
    for o in OPTIONS.iter().filter(|o| o.form != Form::Flag) {
        let special =
            NUMBERS.iter().any(|n| n.long == o.long) || CHOICES.iter().any(|(c, _)| *c == o.long);
        if !special {
            assert!(
                clap_accepts(o.long, "any text"),
                "--{} takes more than text",
                o.long
            );
            assert_eq!(default(o.long), None, "--{} has a default", o.long);
        }
    }
}

/// What the hand reader accepts, clap parses to the same value.
fn same_as_clap(line: &[OsString]) -> bool {
    let Some(fast) = verify(line) else {
        return false;
    };
    match Cli::parse_reference(line) {
        Ok(full) => assert_eq!(format!("{fast:?}"), format!("{full:?}"), "{line:?}"),
        Err(e) => panic!("the hand reader accepted what clap refuses: {line:?}: {e}"),
    }
    true
}

#[test]
fn hand_reader_matches_clap() {
    for line in [
        "oidcat verify --issuer github --audience a t",
        "oidcat -o json verify --issuer github --any-audience --quiet t",
        "oidcat --cache-dir /tmp/c verify --jwks-file k.json --claim a=b --claim c~d* --leeway 5 t",
        "oidcat verify --offline --timeout 3 --color never --alg RS256 --now 1700000000 -",
        "oidcat --timeout 7 verify --key k.pem --require sub --typ at+jwt --max-age 60",
        "oidcat verify t --issuer=https://x.example --audience=a=b -v --output=json",
        "oidcat verify --issuer-from-token --any-audience --no-require-exp --github-summary --github-output sub t",
        "oidcat verify --secret-env S --assert .a --ca-file a.pem --ca-file b.pem --allow-http --no-cache verify",
    ] {
        assert!(same_as_clap(&split(line)), "{line}");
    }
    for doubt in [
        "oidcat verify --help",
        "oidcat --version verify",
        "oidcat verify --nope t",
        "oidcat verify --leeway 9999 t",
        "oidcat verify --leeway +5 t",
        "oidcat verify --timeout 0 t",
        "oidcat verify --timeout 301 t",
        "oidcat verify --quiet --verbose t",
        "oidcat verify --issuer a --issuer b t",
        "oidcat verify --jwks-file a --key b t",
        "oidcat verify -qv t",
        "oidcat verify -- t",
        "oidcat verify a b",
        "oidcat --issuer a verify t",
        "oidcat decode verify",
        "oidcat --cache-dir verify jwks github",
        "oidcat verify --claim -x t",
        "oidcat verify --quiet=true t",
        "oidcat verify --output yaml t",
    ] {
        assert!(!same_as_clap(&split(doubt)), "{doubt}");
    }
    // a value that is not UTF-8 is left to clap (built from raw bytes,
    // which only Unix's OsString allows: not checked on Windows)
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        let not_utf8 = OsString::from_vec(vec![b'x', 0xff]);
        let line = ["oidcat".into(), "verify".into(), "--any-audience".into()];
        assert!(same_as_clap(&line));
        let mut bad = line.to_vec();
        bad.push(not_utf8);
        assert!(verify(&bad).is_none());
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 3000, .. Default::default() })]
    /// Random lines over the options' names and tricky values: whatever
    /// the hand reader accepts, clap parses to the same value.
    #[test]
    fn hand_reader_agrees_on_random_lines(
        words in proptest::collection::vec(proptest::sample::select(vec![
            "verify", "verify", "t", "-", "--", "-q", "-v", "-o", "json", "text", "x", "-x", "5", "0", "601", "",
            "--issuer", "--jwks-uri", "--jwks-file", "--key", "--secret-file", "--secret-env",
            "--issuer-from-token", "--audience", "--any-audience", "--alg", "--claim", "--require",
            "--assert", "--leeway", "--typ", "--max-age", "--no-require-exp", "--now",
            "--github-summary", "--github-output", "--output", "--color", "never", "--quiet",
            "--verbose", "--timeout", "--ca-file", "--allow-http", "--cache-dir", "--no-cache",
            "--offline", "--leeway=7", "--issuer=a", "--output=json", "--help", "decode",
            "--timeout=301", "--timeout=300", "--leeway=601", "--max-age=18446744073709551616",
        ]), 0..10),
    ) {
        let mut line: Vec<OsString> = vec!["oidcat".into()];
        line.extend(words.iter().map(|w| OsString::from(*w)));
        same_as_clap(&line);
    }
}

/// Lines built from whole options with plausible and edge values (so many
/// are accepted): whatever the hand reader accepts, clap parses to the
/// same value, and the reader does answer for a good share of them.
#[test]
fn hand_reader_agrees_on_plausible_lines() {
    const PIECES: &[&[&str]] = &[
        &["--issuer", "github"],
        &["--issuer=https://a.example"],
        &["--jwks-uri", "https://a/j"],
        &["--jwks-file", "k.json"],
        &["--key", "k.pem"],
        &["--secret-file", "s"],
        &["--secret-env", "S"],
        &["--issuer-from-token"],
        &["--audience", "api"],
        &["--audience=b"],
        &["--any-audience"],
        &["--alg", "RS256"],
        &["--claim", "a=b"],
        &["--claim=sub~x*"],
        &["--require", "sub"],
        &["--assert", ".a"],
        &["--leeway", "5"],
        &["--leeway", "600"],
        &["--leeway", "601"],
        &["--typ", "at+jwt"],
        &["--max-age", "60"],
        &["--no-require-exp"],
        &["--now", "1700000000"],
        &["--github-summary"],
        &["--github-output", "sub"],
        &["-o", "json"],
        &["--output=text"],
        &["--color", "never"],
        &["--color", "sometimes"],
        &["-q"],
        &["-v"],
        &["--timeout", "0"],
        &["--timeout", "300"],
        &["--ca-file", "a.pem"],
        &["--allow-http"],
        &["--cache-dir", "/c"],
        &["--no-cache"],
        &["--offline"],
        &["t"],
        &["-"],
        &["--"],
        &["-qv"],
        &["--help"],
        &["--nope"],
        &["decode"],
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n
    };
    let (mut accepted, runs) = (0, 2000);
    for _ in 0..runs {
        let mut line: Vec<OsString> = vec!["oidcat".into()];
        for _ in 0..next(3) {
            line.extend(PIECES[next(PIECES.len())].iter().map(Into::into));
        }
        if next(8) > 0 {
            line.push("verify".into());
        }
        for _ in 0..next(6) {
            line.extend(PIECES[next(PIECES.len())].iter().map(Into::into));
        }
        accepted += usize::from(same_as_clap(&line));
    }
    assert!(
        accepted * 10 >= runs,
        "only {accepted} of {runs} lines read by hand"
    );
}

/// Every option clap defines for `verify` is known to the hand reader, so
/// a new option cannot be silently mis-read (it would be refused anyway,
/// but then `verify` lines with it take the slow path).
#[test]
fn hand_reader_knows_every_verify_option() {
    let cmd = Cli::command();
    let verify = cmd.find_subcommand("verify").unwrap();
    for arg in cmd.get_arguments().chain(verify.get_arguments()) {
        if let Some(long) = arg.get_long()
            && !["help", "version"].contains(&long)
        {
            assert!(known(long).is_some(), "--{long}");
        }
    }
}
