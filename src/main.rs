//! The `oidcat` binary: everything lives in the library; this only hands the
//! exit code the library chose to the operating system.

fn main() -> std::process::ExitCode {
    oidcat::run()
}
