#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ (fuzz/README.md) for a bounded time each
# and prints, per target: executions per second, corpus size, time run and
# the result. Needs the nightly toolchain and cargo-fuzz
# (`cargo install cargo-fuzz --locked`).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# SECONDS defaults to 60 (per target); no TARGET means all of them. The
# corpus grows in fuzz/corpus/TARGET (git-ignored), seeded from
# fuzz/seeds/TARGET; a failing input is saved under fuzz/artifacts/TARGET/
# and the script exits 1 after the other targets have run. Reproduce one
# with `cargo +nightly fuzz run TARGET fuzz/artifacts/TARGET/crash-...`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

seconds="${1:-60}"
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2
    exit 2
fi
shift $(($# > 0 ? 1 : 0))

if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "fuzz: the nightly toolchain is not installed (rustup toolchain install nightly)" >&2
    exit 3
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz: cargo-fuzz is not installed (cargo install cargo-fuzz --locked)" >&2
    exit 3
fi

# A release build of oidcat reads the commit from git and rebuilds whenever
# HEAD moves (build.rs); a fixed id keeps fuzz builds from recompiling the
# crate after every commit.
export OIDCAT_COMMIT="${OIDCAT_COMMIT:-0000000}"

targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    mapfile -t targets < <(cd fuzz && cargo +nightly fuzz list)
fi

echo "building ${#targets[@]} fuzz targets"
(cd fuzz && cargo +nightly fuzz build) >/dev/null

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
status=0
printf '%-12s %10s %10s %8s %8s  %s\n' target execs/s execs corpus time result
for t in "${targets[@]}"; do
    corpus="fuzz/corpus/$t"
    mkdir -p "$corpus" "fuzz/artifacts/$t"
    seeds=()
    [[ -d "fuzz/seeds/$t" ]] && seeds=("$root/fuzz/seeds/$t")
    log="$logs/$t.log"
    start=$(date +%s)
    # -timeout: one input running longer than 10 s is a failure (a hang).
    if (cd fuzz && cargo +nightly fuzz run "$t" "$root/$corpus" "${seeds[@]}" -- \
        -max_total_time="$seconds" -timeout=10 -print_final_stats=1) >"$log" 2>&1; then
        result=ok
    else
        result="FAILED (log below)"
        status=1
    fi
    took=$(($(date +%s) - start))
    stat() { awk -v k="stat::$1:" '$1 == k { print $2 }' "$log" | tail -n 1; }
    printf '%-12s %10s %10s %8s %7ss  %s\n' "$t" "$(stat average_exec_per_sec)" \
        "$(stat number_of_executed_units)" "$(find "$corpus" -type f | wc -l)" "$took" "$result"
    if [[ "$result" != ok ]]; then
        grep -v '^#[0-9]' "$log" | tail -n 40 | sed "s/^/  $t: /"
    fi
done
exit "$status"
