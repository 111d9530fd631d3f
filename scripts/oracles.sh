# shellcheck shell=bash
# Sourced by scripts/differential.sh and scripts/interop.sh: installs the
# pinned oracles of a test folder on first use (a venv in target/ from its
# requirements.txt, node_modules in the folder from its package-lock.json,
# both git-ignored) and again whenever the pins change.

oracles_stamp() { sha256sum "$1" | cut -d' ' -f1; }

# install_oracles LABEL DIR VENV NPM_WHAT
#   LABEL     prefix of the messages (differential, interop)
#   DIR       the test folder holding requirements.txt and package-lock.json
#   VENV      where the Python venv goes
#   NPM_WHAT  what `npm ci` installs, for the message
install_oracles() {
    local label="$1" dir="$2" venv="$3" npm_what="$4" tool
    for tool in python3 node npm; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            echo "$label: $tool not found; install Python 3 and Node.js (20 or later)" >&2
            exit 1
        fi
    done

    if [[ ! -x "$venv/bin/python" || "$(cat "$venv/.pins" 2>/dev/null)" != "$(oracles_stamp "$dir/requirements.txt")" ]]; then
        echo "$label: installing PyJWT and cryptography into $venv"
        rm -rf "$venv"
        python3 -m venv "$venv"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$dir/requirements.txt"
        oracles_stamp "$dir/requirements.txt" >"$venv/.pins"
    fi

    if [[ "$(cat "$dir/node_modules/.pins" 2>/dev/null)" != "$(oracles_stamp "$dir/package-lock.json")" ]]; then
        echo "$label: installing $npm_what into $dir/node_modules (npm ci)"
        (cd "$dir" && npm ci --silent --no-audit --no-fund)
        oracles_stamp "$dir/package-lock.json" >"$dir/node_modules/.pins"
    fi
}
