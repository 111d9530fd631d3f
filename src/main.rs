//! The `oidcat` binary: everything lives in the library; this only hands the
//! exit code the library chose to the operating system.

/// On musl (the static Linux binaries that releases and the container ship)
/// mimalloc replaces musl's allocator, for Rust and, through its `override`
/// feature, for the C code linked in (aws-lc's allocations on every
/// signature check). With musl's own, `serve` answered 0.74x / 0.70x the
/// requests per second of the bare hyper baseline at 50 / 1,000 connections
/// (docs/benchmarks.md). Arena memory is committed as it is used
/// (`.cargo/config.toml`), which keeps resident memory at 1,000 connections
/// under 18 MiB. glibc, macOS and Windows keep their system allocator.
#[cfg(target_env = "musl")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    oidcat::run()
}
