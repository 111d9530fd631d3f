# shellcheck shell=bash
# Sourced by the action's steps, scripts/install-action.sh and
# scripts/verify-action.sh: the workflow-command helpers both use.

in_job() { [[ "${GITHUB_ACTIONS:-}" == "true" ]]; }

# Workflow-command data escaping (%, CR, LF), as the runner expects.
escape() {
    local s=$1 pct='%' cr=$'\r' lf=$'\n'
    s=${s//$pct/%25}
    s=${s//$cr/%0D}
    s=${s//$lf/%0A}
    printf '%s' "$s"
}

# report_error TITLE PREFIX MESSAGE: an error annotation titled TITLE when in
# a job, and `PREFIX: error: MESSAGE` on stderr always.
report_error() {
    if in_job; then
        printf '::error title=%s::%s\n' "$1" "$(escape "$3")" >&2
    fi
    printf '%s: error: %s\n' "$2" "$3" >&2
}
