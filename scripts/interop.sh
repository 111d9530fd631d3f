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

for tool in python3 node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "interop: $tool not found; install Python 3 and Node.js (20 or later)" >&2
        exit 1
    fi
done

stamp() { sha256sum "$1" | cut -d' ' -f1; }

if [[ ! -x "$venv/bin/python" || "$(cat "$venv/.pins" 2>/dev/null)" != "$(stamp "$dir/requirements.txt")" ]]; then
    echo "interop: installing PyJWT and cryptography into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$dir/requirements.txt"
    stamp "$dir/requirements.txt" >"$venv/.pins"
fi

if [[ "$(cat "$dir/node_modules/.pins" 2>/dev/null)" != "$(stamp "$dir/package-lock.json")" ]]; then
    echo "interop: installing jose and @noble/post-quantum into $dir/node_modules (npm ci)"
    (cd "$dir" && npm ci --silent --no-audit --no-fund)
    stamp "$dir/package-lock.json" >"$dir/node_modules/.pins"
fi

cargo build --quiet --locked --bin oidcat
exec "$venv/bin/python" "$dir/interop.py" --oidcat "$target_dir/debug/oidcat" "$@"
