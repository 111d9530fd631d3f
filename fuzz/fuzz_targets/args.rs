//! Differential: the hand-written `verify` argument reader against clap.
//!
//! Argument lines are words from a small alphabet of the real option
//! names, their `--name=value` forms and tricky values (numbers at and past
//! each range, empty, `-`, `--`), plus the odd arbitrary word. Whatever the
//! hand reader (`cli::fast::verify`) accepts, clap (`Cli::parse_reference`)
//! must parse to the same value, and the caller's parse (`Cli::parse_args`)
//! must return it. clap runs only on the lines the hand reader accepts:
//! the others go to clap in the program anyway, so there is nothing to
//! compare (and clap with debug assertions costs milliseconds a line).
#![no_main]

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use oidcat::cli::{Cli, fast};

const WORDS: &[&str] = &[
    "verify",
    "verify",
    "verify",
    "t",
    "t",
    "-",
    "--",
    "-q",
    "-v",
    "-o",
    "-qv",
    "-ojson",
    "-h",
    "json",
    "text",
    "yaml",
    "auto",
    "always",
    "never",
    "x",
    "-x",
    "a=b",
    "c~d*",
    "sub",
    ".a",
    "RS256",
    "HS256",
    "none",
    "at+jwt",
    "0",
    "5",
    "+5",
    "007",
    "60",
    "300",
    "301",
    "600",
    "601",
    "1700000000",
    "18446744073709551615",
    "18446744073709551616",
    "",
    "=",
    "github",
    "https://x.example",
    "k.json",
    "k.pem",
    "/tmp/c",
    "S",
    "decode",
    "jwks",
    "--help",
    "--version",
    "--",
    "--=x",
    "--issuer",
    "--jwks-uri",
    "--jwks-file",
    "--key",
    "--secret-file",
    "--secret-env",
    "--issuer-from-token",
    "--audience",
    "--any-audience",
    "--alg",
    "--claim",
    "--require",
    "--assert",
    "--leeway",
    "--typ",
    "--max-age",
    "--no-require-exp",
    "--now",
    "--github-summary",
    "--github-output",
    "--output",
    "--color",
    "--quiet",
    "--verbose",
    "--timeout",
    "--ca-file",
    "--allow-http",
    "--cache-dir",
    "--no-cache",
    "--offline",
    "--leeway=7",
    "--leeway=600",
    "--leeway=601",
    "--leeway=",
    "--issuer=a",
    "--issuer=",
    "--issuer=-",
    "--output=json",
    "--output=text",
    "--output=",
    "--color=always",
    "--timeout=0",
    "--timeout=1",
    "--timeout=300",
    "--timeout=301",
    "--max-age=0",
    "--max-age=18446744073709551615",
    "--max-age=18446744073709551616",
    "--quiet=true",
    "--any-audience=",
    "--audience=a",
    "--audience==",
    "--claim=a=b",
    "--now=x",
    "--typ=-",
    "--alg=RS256",
    "--key=k.pem",
    "--jwks-file=k.json",
    "--secret-env=S",
    "--ca-file=a.pem",
    "--cache-dir=/tmp/c",
    "--github-output=sub",
    "--require=sub",
];

fn word(u: &mut Unstructured) -> Result<OsString> {
    Ok(match u.int_in_range(0..=31)? {
        0 => OsString::from(u.arbitrary::<String>()?),
        1 => OsString::from_vec(u.arbitrary::<Vec<u8>>()?),
        2 => {
            // An option name with an arbitrary value attached.
            let name = u.choose(WORDS)?;
            let value: String = u.arbitrary()?;
            OsString::from(format!("{name}={value}"))
        }
        3..=8 => {
            // Every option the reader knows, so a new one is fuzzed too.
            let o = u.choose(fast::OPTIONS)?;
            OsString::from(match (u.int_in_range(0..=3)?, o.short) {
                (0, Some(c)) => format!("-{c}"),
                (1, _) => format!("--{}={}", o.long, u.choose(WORDS)?),
                _ => format!("--{}", o.long),
            })
        }
        _ => OsString::from(*u.choose(WORDS)?),
    })
}

fn run(u: &mut Unstructured) -> Result<()> {
    let mut line = vec![OsString::from("oidcat")];
    for _ in 0..u.int_in_range(0..=12)? {
        line.push(word(u)?);
    }
    if let Some(fast) = fast::verify(&line) {
        match Cli::parse_reference(&line) {
            Ok(full) => assert_eq!(format!("{fast:?}"), format!("{full:?}"), "{line:?}"),
            Err(e) => panic!("the hand reader accepted what clap refuses: {line:?}: {e}"),
        }
        // The caller takes the hand reader's answer as is.
        let used = Cli::parse_args(line.clone()).map(|c| format!("{c:?}"));
        assert_eq!(used.ok(), Some(format!("{fast:?}")), "{line:?}");
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
