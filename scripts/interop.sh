#!/usr/bin/env bash
# Interop test: tokens from `oidcat sign` against PyJWT, panva's jose and
# @noble/post-quantum (ML-DSA), and their tokens against `oidcat verify`
# (tests/interop/interop.py). Installs the pinned oracles on first use (a
# venv in target/, node_modules in tests/interop/, both git-ignored;
# reinstalled when the pins change), builds the debug binary and runs the
# driver. After one run, `cargo test --test cli interop` runs it too.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
dir=tests/interop
target_dir="${CARGO_TARGET_DIR:-$root/target}"
venv="$target_dir/interop-venv"

# shellcheck source=scripts/oracles.sh
source "$root/scripts/oracles.sh"
install_oracles interop "$dir" "$venv" "jose and @noble/post-quantum"

cargo build --quiet --locked --bin oidcat
exec "$venv/bin/python" "$dir/interop.py" --oidcat "$target_dir/debug/oidcat" "$@"
