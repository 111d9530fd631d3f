#!/usr/bin/env bash
# Regenerate the committed shell completions (completions/) and man pages
# (man/oidcat.1, man/oidcat-SUBCOMMAND.1) from the clap definition, by running the binary itself.
# Idempotent: running it twice changes nothing; files are only replaced when
# their content changed. tests/generated.rs fails when these files are stale.
#
# Usage: scripts/gen-docs.sh        (from anywhere inside the repository)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

cargo build --quiet --locked --bin oidcat
target_dir="${CARGO_TARGET_DIR:-$root/target}"
bin="$target_dir/debug/oidcat"
if [[ ! -x "$bin" ]]; then
    echo "gen-docs: $bin not found after cargo build" >&2
    exit 1
fi

mkdir -p completions man
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Write to a temporary file first: a failing command never truncates a
# committed file, and an unchanged file keeps its timestamp.
emit() { # emit DEST COMMAND...
    local dest="$1"
    shift
    "$bin" --color never "$@" >"$tmp/out"
    if [[ -f "$dest" ]] && cmp -s "$tmp/out" "$dest"; then
        echo "unchanged  $dest"
    else
        mv "$tmp/out" "$dest"
        echo "written    $dest"
    fi
}

# File names must match oidcat::commands::generate::completion_file.
emit completions/oidcat.bash completions bash
emit completions/_oidcat completions zsh
emit completions/oidcat.fish completions fish
emit completions/_oidcat.ps1 completions powershell
emit completions/oidcat.elv completions elvish
emit man/oidcat.1 man
# One page per subcommand: oidcat-SUB.1 (oidcat::commands::generate::man_file).
# The list is the first "[possible values: ...]" of `oidcat man --help`.
subs="$(COLUMNS=1000 "$bin" man --help | sed -n 's/.*\[possible values: \(.*\)\]/\1/p' | head -n 1 | tr -d ',')"
for sub in $subs; do
    emit "man/oidcat-$sub.1" man "$sub"
done
