#!/usr/bin/env bash
# The verify step of action.yml (docs/github-actions.md): gets the job's OIDC
# token with `oidcat token` and pipes it into `oidcat verify` with the
# action's inputs turned into flags. The token travels only through the pipe:
# `oidcat token` writes `::add-mask::` before printing it, and this script
# never stores or echoes it.
#
# Inputs arrive as environment variables (set by action.yml's `env:`, never
# spliced into this script), each optional except the audience:
#   OIDCAT_AUDIENCE     the audience to request and require
#   OIDCAT_ISSUER       default github
#   OIDCAT_REPO, OIDCAT_REF, OIDCAT_WORKFLOW, OIDCAT_ENVIRONMENT, OIDCAT_EVENT
#                       the CI claim flags (--repo, --ref, ...)
#   OIDCAT_CLAIMS       --claim assertions, one per line
#   OIDCAT_ASSERT       --assert jq expressions, one per line
#   OIDCAT_OUTPUTS      claim names to write as step outputs (--github-output),
#                       separated by new lines, spaces or commas
#   OIDCAT_SUMMARY      true (default) or false: --github-summary
#   OIDCAT_BIN_DIR      where the install step put the binary (else PATH)
# Lines that are empty or start with `#` are skipped in the multi-line inputs.
# Writes the output `valid` (true/false) and exits with oidcat's exit code
# (0 valid, 1 rejected, 2 usage, 3 could not check).
set -euo pipefail

# The claim outputs action.yml declares (an action's outputs are fixed in its
# metadata): every claim of GitHub's OIDC token. tests/action.rs checks this
# list against action.yml.
DECLARED_OUTPUTS='actor actor_id aud base_ref check_run_id enterprise enterprise_id
environment event_name exp head_ref iat iss job_workflow_ref job_workflow_sha
jti nbf ref ref_protected ref_type repository repository_id repository_owner
repository_owner_id repository_visibility run_attempt run_id run_number
runner_environment sha sub workflow workflow_ref workflow_sha'

in_job() { [[ "${GITHUB_ACTIONS:-}" == "true" ]]; }

escape() {
    local s=$1 pct='%' cr=$'\r' lf=$'\n'
    s=${s//$pct/%25}
    s=${s//$cr/%0D}
    s=${s//$lf/%0A}
    printf '%s' "$s"
}

usage_error() {
    if in_job; then
        printf '::error title=oidcat::%s\n' "$(escape "$*")" >&2
    fi
    printf 'oidcat action: error: %s\n' "$*" >&2
    set_valid false
    exit 2
}

set_valid() {
    if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
        printf 'valid=%s\n' "$1" >>"$GITHUB_OUTPUT"
    fi
}

trim() {
    local s=$1
    s="${s#"${s%%[![:space:]]*}"}"
    s="${s%"${s##*[![:space:]]}"}"
    printf '%s' "$s"
}

bin=oidcat
if [[ -n "${OIDCAT_BIN_DIR:-}" ]]; then
    dir=$OIDCAT_BIN_DIR
    if command -v cygpath >/dev/null 2>&1; then
        dir="$(cygpath -u "$dir")"
    fi
    bin="$dir/oidcat"
    [[ -x "$bin" || ! -x "$bin.exe" ]] || bin="$bin.exe"
fi

audience="$(trim "${OIDCAT_AUDIENCE:-}")"
[[ -n "$audience" ]] || usage_error "the audience input is empty"
issuer="$(trim "${OIDCAT_ISSUER:-}")"
[[ -n "$issuer" ]] || issuer=github

args=(verify --issuer "$issuer" --audience "$audience")

add_flag() {
    local flag=$1 value
    value="$(trim "$2")"
    if [[ -n "$value" ]]; then
        args+=("$flag" "$value")
    fi
}
add_flag --repo "${OIDCAT_REPO:-}"
add_flag --ref "${OIDCAT_REF:-}"
add_flag --workflow "${OIDCAT_WORKFLOW:-}"
add_flag --environment "${OIDCAT_ENVIRONMENT:-}"
add_flag --event "${OIDCAT_EVENT:-}"

# One flag per non-empty line that is not a comment.
add_lines() {
    local flag=$1 line
    while IFS= read -r line || [[ -n "$line" ]]; do
        line="$(trim "$line")"
        [[ -n "$line" && "$line" != '#'* ]] || continue
        args+=("$flag" "$line")
    done <<<"$2"
}
add_lines --claim "${OIDCAT_CLAIMS:-}"
add_lines --assert "${OIDCAT_ASSERT:-}"

declared=" $(printf '%s' "$DECLARED_OUTPUTS" | tr '\n' ' ') "
outputs="${OIDCAT_OUTPUTS:-}"
outputs="${outputs//,/ }"
names=()
IFS=$' \t\r\n' read -r -d '' -a names <<<"$outputs" || true
for name in ${names[@]+"${names[@]}"}; do
    [[ "$name" != '#'* ]] || continue
    if [[ "$declared" != *" $name "* ]]; then
        usage_error "outputs: '$name' is not an output of this action (it declares valid and these claims: $(printf '%s' "$DECLARED_OUTPUTS" | tr '\n' ' ')); for another claim run oidcat verify --github-output in a step of your own"
    fi
    args+=(--github-output "$name")
done

case "$(trim "${OIDCAT_SUMMARY:-true}")" in
    true | '') args+=(--github-summary) ;;
    false) ;;
    *) usage_error "summary must be true or false, not '${OIDCAT_SUMMARY:-}'" ;;
esac

args+=(-)

set +e
"$bin" token --audience "$audience" | "$bin" "${args[@]}"
status=("${PIPESTATUS[@]}")
set -e

if ((status[0] != 0)); then
    # No token: oidcat token has said why (exit 3: not in a job, or no
    # `permissions: id-token: write`).
    set_valid false
    exit "${status[0]}"
fi
if ((status[1] == 0)); then
    set_valid true
else
    set_valid false
fi
exit "${status[1]}"
