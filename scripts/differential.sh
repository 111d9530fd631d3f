#!/usr/bin/env bash
# Differential test: `oidcat verify` against panva's jose (npm) and PyJWT
# (PyPI) on generated tokens and key sets (tests/differential/README.md).
# Installs the pinned oracles on first use (a venv in target/, node_modules
# in tests/differential/, both git-ignored; reinstalled when the pins
# change), builds the debug binary, and runs the comparison. CI runs it with
# the default case count (.ci/run); for a larger sweep:
#
#   scripts/differential.sh --cases 5000 [--seed N] [--verbose]
#
# Any other argument goes to tests/differential/differential.py; --oidcat
# PATH skips the build and tests that binary instead.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
dir=tests/differential
target_dir="${CARGO_TARGET_DIR:-$root/target}"
venv="$target_dir/differential-venv"

for tool in python3 node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "differential: $tool not found; install Python 3 and Node.js (20 or later)" >&2
        exit 1
    fi
done

stamp() { sha256sum "$1" | cut -d' ' -f1; }

if [[ ! -x "$venv/bin/python" || "$(cat "$venv/.pins" 2>/dev/null)" != "$(stamp "$dir/requirements.txt")" ]]; then
    echo "differential: installing PyJWT and cryptography into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$dir/requirements.txt"
    stamp "$dir/requirements.txt" >"$venv/.pins"
fi

if [[ "$(cat "$dir/node_modules/.pins" 2>/dev/null)" != "$(stamp "$dir/package-lock.json")" ]]; then
    echo "differential: installing jose into $dir/node_modules (npm ci)"
    (cd "$dir" && npm ci --silent --no-audit --no-fund)
    stamp "$dir/package-lock.json" >"$dir/node_modules/.pins"
fi

args=("$@")
have_binary=false
for arg in "${args[@]}"; do
    [[ "$arg" == --oidcat || "$arg" == --oidcat=* ]] && have_binary=true
done
if ! $have_binary; then
    cargo build --quiet --locked --bin oidcat
    args+=(--oidcat "$target_dir/debug/oidcat")
fi

echo "differential: oracles $("$venv/bin/python" -c 'import jwt, cryptography; print(f"PyJWT {jwt.__version__}, cryptography {cryptography.__version__}")'), jose $(node -p 'require("./'"$dir"'/node_modules/jose/package.json").version'), node $(node --version)"
exec "$venv/bin/python" "$dir/differential.py" "${args[@]}"
