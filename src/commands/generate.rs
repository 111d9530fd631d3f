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

/// The roff man page.
pub fn man() -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    // VERSION shows the plain version: `--version`'s long form names the
    // build's commit and target, which would make the committed page differ
    // from one machine to the next.
    let cmd = Cli::command().long_version(None::<&'static str>);
    clap_mangen::Man::new(cmd).render(&mut buf)?;
    Ok(buf)
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
