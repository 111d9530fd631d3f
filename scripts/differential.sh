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

# shellcheck source=scripts/oracles.sh
source "$root/scripts/oracles.sh"
install_oracles differential "$dir" "$venv" "jose"

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
