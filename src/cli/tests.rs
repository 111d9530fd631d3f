#[test]
fn clap_definition_is_consistent() {
    super::Cli::command().debug_assert();
}

/// Every option `serve` has of its own reads an `OIDCAT_*` variable
/// (the table misses none), and `verify` reads none.
#[test]
fn every_serve_option_has_an_environment_variable() {
    let mut cmd = super::Cli::command();
    cmd.build();
    let serve = cmd.find_subcommand("serve").unwrap();
    for a in serve.get_arguments() {
        let id = a.get_id().as_str();
        if a.is_global_set() || ["help", "version"].contains(&id) {
            continue;
        }
        let long = a.get_long().unwrap_or(id);
        let want = format!("OIDCAT_{}", long.to_uppercase().replace('-', "_"));
        assert_eq!(
            a.get_env().and_then(|e| e.to_str()),
            Some(want.as_str()),
            "serve --{id}"
        );
    }
    let verify = cmd.find_subcommand("verify").unwrap();
    assert!(verify.get_arguments().all(|a| a.get_env().is_none()));
}

fn parse(line: &str) -> Result<super::Cli, clap::Error> {
    super::Cli::parse_args(line.split_whitespace().map(Into::into).collect())
}

/// Lines the hand reader leaves to clap are parsed by clap.
#[test]
fn verify_clap_fast_path_matches_full_parser() {
    for line in [
        "oidcat verify --any-audience --issuer github -- t",
        "oidcat -ojson verify --issuer github --any-audience t",
        "oidcat verify --jwks-file k.json --any-audience --typ - t",
        "oidcat verify --key k.pem --audience a --quiet --require=sub -- -",
    ] {
        assert!(super::fast::verify(&split(line)).is_none(), "{line}");
        let fast = parse(line).unwrap();
        let full = super::Cli::try_parse_from(line.split_whitespace()).unwrap();
        assert_eq!(format!("{fast:?}"), format!("{full:?}"), "{line}");
    }
}

fn split(line: &str) -> Vec<std::ffi::OsString> {
    line.split_whitespace().map(Into::into).collect()
}

/// Whatever the fast path does not accept falls back to the full parser,
/// errors and all.
#[test]
fn verify_fast_path_falls_back() {
    use clap::error::ErrorKind;
    for (line, kind) in [
        ("oidcat verify --help", ErrorKind::DisplayHelp),
        ("oidcat --version verify", ErrorKind::DisplayVersion),
        ("oidcat verify --nope t", ErrorKind::UnknownArgument),
        ("oidcat verify --leeway 9999 t", ErrorKind::ValueValidation),
        (
            "oidcat verify --quiet --verbose t",
            ErrorKind::ArgumentConflict,
        ),
    ] {
        assert_eq!(parse(line).unwrap_err().kind(), kind, "{line}");
    }
    assert!(matches!(
        parse("oidcat decode verify").unwrap().command,
        super::Command::Decode(_)
    ));
    assert!(matches!(
        parse("oidcat --cache-dir verify jwks github")
            .unwrap()
            .command,
        super::Command::Jwks(_)
    ));
}

/// `--alg`'s help names the default list the verifier really uses.
#[test]
fn alg_help_names_every_default_algorithm() {
    let cmd = super::Cli::command();
    let verify = cmd.find_subcommand("verify").expect("verify");
    let alg = verify
        .get_arguments()
        .find(|a| a.get_id() == "alg")
        .expect("--alg");
    let help = alg.get_help().map(|h| h.to_string()).unwrap_or_default();
    for a in crate::keys::Alg::DEFAULT {
        assert!(
            help.contains(a.name()),
            "--alg help misses {}: {help}",
            a.name()
        );
    }
}
