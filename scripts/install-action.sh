#!/usr/bin/env bash
# Installs a released oidcat binary for the GitHub Actions runner it runs on:
# the install step of action.yml (docs/github-actions.md). Bash on every
# runner: Linux, macOS, and Windows through Git Bash (`shell: bash`).
#
# Order, so that nothing unchecked is ever run or put on PATH:
#   1. pick the release asset for RUNNER_OS / RUNNER_ARCH from TARGETS below;
#   2. download the archive and its `<archive>.sha256` into a private
#      temporary directory;
#   3. compare the archive's SHA-256 with the published one (mismatch: stop);
#   4. only then extract it (still in the temporary directory), copy the
#      binary into the tool cache, run `oidcat --version` once, and add the
#      directory to $GITHUB_PATH.
# A later run in the same tool cache reuses the binary after checking it
# against the SHA-256 recorded when it was installed.
#
# Environment (all optional):
#   OIDCAT_VERSION        X.Y.Z or vX.Y.Z; default: `version` in the Cargo.toml
#                         beside this script's directory (the action's own)
#   OIDCAT_REPOSITORY     OWNER/NAME of the releases; default: from that
#                         Cargo.toml's `repository`
#   OIDCAT_DOWNLOAD_BASE  replaces https://github.com/OWNER/NAME/releases/download
#                         (tests and mirrors only): https://..., or http:// on
#                         loopback; assets are read from BASE/vX.Y.Z/ASSET
#   RUNNER_OS, RUNNER_ARCH, RUNNER_TOOL_CACHE, RUNNER_TEMP, GITHUB_PATH,
#   GITHUB_OUTPUT         as the runner sets them (outside a job: uname, $TMPDIR)
# Outputs (to $GITHUB_OUTPUT when set): `version`, `path` (the directory).
# `install-action.sh --print-asset` prints the asset name for this runner.
set -euo pipefail

# The released binaries: RUNNER_OS, RUNNER_ARCH, target triple, archive type.
# The release workflow (dist) names each asset oidcat-<triple>.<type> and
# publishes oidcat-<triple>.<type>.sha256 beside it.
TARGETS='
Linux   X64    x86_64-unknown-linux-musl   tar.xz
Linux   ARM64  aarch64-unknown-linux-musl  tar.xz
macOS   X64    x86_64-apple-darwin         tar.xz
macOS   ARM64  aarch64-apple-darwin        tar.xz
Windows X64    x86_64-pc-windows-msvc      zip
'

# Bounds: every download is capped in size and time.
MAX_BYTES=$((100 * 1024 * 1024))
MAX_SECONDS=300

in_job() { [[ "${GITHUB_ACTIONS:-}" == "true" ]]; }

# Workflow-command data escaping (%, CR, LF), as the runner expects.
escape() {
    local s=$1 pct='%' cr=$'\r' lf=$'\n'
    s=${s//$pct/%25}
    s=${s//$cr/%0D}
    s=${s//$lf/%0A}
    printf '%s' "$s"
}

die() {
    if in_job; then
        printf '::error title=oidcat install::%s\n' "$(escape "$*")" >&2
    fi
    printf 'oidcat install: error: %s\n' "$*" >&2
    exit 1
}

note() { printf 'oidcat install: %s\n' "$*" >&2; }

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
action_root="$(cd "$script_dir/.." && pwd)"

# `key = "value"` from the [package] table of the action's Cargo.toml.
cargo_field() {
    local key=$1 file="$action_root/Cargo.toml" line in_package=0
    [[ -f "$file" ]] || return 0
    while IFS= read -r line || [[ -n "$line" ]]; do
        line=${line%$'\r'}
        case "$line" in
            '[package]') in_package=1 ;;
            '['*) in_package=0 ;;
            *)
                if ((in_package)) && [[ "$line" =~ ^${key}[[:space:]]*=[[:space:]]*\"([^\"]*)\" ]]; then
                    printf '%s' "${BASH_REMATCH[1]}"
                    return 0
                fi
                ;;
        esac
    done <"$file"
}

# --- what to install --------------------------------------------------------

version="${OIDCAT_VERSION:-}"
if [[ -z "$version" ]]; then
    version="$(cargo_field version)"
    [[ -n "$version" ]] || die "no version given (input 'version') and none found in $action_root/Cargo.toml"
fi
version="${version#v}"
# Only a plain semantic version: it becomes part of a URL and of a directory.
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$ ]] ||
    die "version '$version' is not a release version like 1.2.3"

repository="${OIDCAT_REPOSITORY:-}"
if [[ -z "$repository" ]]; then
    repo_url="$(cargo_field repository)"
    repository="${repo_url#https://github.com/}"
    repository="${repository%.git}"
    repository="${repository%/}"
fi
[[ "$repository" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]] ||
    die "cannot tell which repository publishes the releases (got '$repository'); set OIDCAT_REPOSITORY=OWNER/NAME"

runner_os="${RUNNER_OS:-}"
if [[ -z "$runner_os" ]]; then
    case "$(uname -s)" in
        Linux) runner_os=Linux ;;
        Darwin) runner_os=macOS ;;
        MINGW* | MSYS* | CYGWIN*) runner_os=Windows ;;
        *) runner_os="$(uname -s)" ;;
    esac
fi
runner_arch="${RUNNER_ARCH:-}"
if [[ -z "$runner_arch" ]]; then
    case "$(uname -m)" in
        x86_64 | amd64) runner_arch=X64 ;;
        aarch64 | arm64) runner_arch=ARM64 ;;
        *) runner_arch="$(uname -m)" ;;
    esac
fi

triple=""
kind=""
supported=()
while read -r t_os t_arch t_triple t_kind; do
    [[ -n "${t_os:-}" ]] || continue
    supported+=("$t_os/$t_arch")
    if [[ "$t_os" == "$runner_os" && "$t_arch" == "$runner_arch" ]]; then
        triple=$t_triple
        kind=$t_kind
    fi
done <<<"$TARGETS"
[[ -n "$triple" ]] ||
    die "no prebuilt oidcat for this runner (OS '$runner_os', architecture '$runner_arch'); released for: ${supported[*]}. Install it another way (cargo install oidcat) and skip this action's install."

exe=oidcat
[[ "$runner_os" == "Windows" ]] && exe=oidcat.exe
asset="oidcat-$triple.$kind"

# `--print-asset`: name the asset this runner would download, and stop (for
# mirrors, and for the self-check workflow that lays out a release).
if [[ "${1:-}" == "--print-asset" ]]; then
    printf '%s\n' "$asset"
    exit 0
fi

# --- where from --------------------------------------------------------------

base="${OIDCAT_DOWNLOAD_BASE:-https://github.com/$repository/releases/download}"
base="${base%/}"
case "$base" in
    https://*) protocols='=https' ;;
    http://127.0.0.1 | http://127.0.0.1[:/]* | http://localhost | http://localhost[:/]* | http://\[::1\] | http://\[::1\][:/]*)
        protocols='=http,https' ;;
    *) die "OIDCAT_DOWNLOAD_BASE must be an https:// URL (or http:// on loopback, for tests): '$base'" ;;
esac
[[ "$base" != *[[:space:]]* ]] || die "OIDCAT_DOWNLOAD_BASE contains white space: '$base'"
url="$base/v$version/$asset"

# --- where to ----------------------------------------------------------------

# Git Bash on Windows: the runner's paths (C:\...) in the shell's own form.
unix_path() {
    if [[ "$runner_os" == "Windows" ]] && command -v cygpath >/dev/null 2>&1; then
        cygpath -u "$1"
    else
        printf '%s' "$1"
    fi
}
temp_root="$(unix_path "${RUNNER_TEMP:-${TMPDIR:-/tmp}}")"
tool_cache="$(unix_path "${RUNNER_TOOL_CACHE:-$temp_root/oidcat-tool-cache}")"
arch_dir="$(printf '%s' "$runner_arch" | tr '[:upper:]' '[:lower:]')"
dest="$tool_cache/oidcat/$version/$arch_dir"
marker="$dest.complete"

sha256_of() {
    local out
    if command -v sha256sum >/dev/null 2>&1; then
        out="$(sha256sum "$1")"
    elif command -v shasum >/dev/null 2>&1; then
        out="$(shasum -a 256 "$1")"
    elif command -v openssl >/dev/null 2>&1; then
        out="$(openssl dgst -sha256 -r "$1")"
    else
        die "no SHA-256 tool found (sha256sum, shasum or openssl)"
    fi
    out="${out%% *}"
    printf '%s' "$out" | tr '[:upper:]' '[:lower:]'
}

publish() {
    local dir=$1 shown=$1
    if [[ "$runner_os" == "Windows" ]] && command -v cygpath >/dev/null 2>&1; then
        shown="$(cygpath -w "$dir")"
    fi
    if [[ -n "${GITHUB_PATH:-}" ]]; then
        printf '%s\n' "$shown" >>"$GITHUB_PATH"
    else
        note "GITHUB_PATH is not set: add $shown to PATH yourself"
    fi
    if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
        printf 'version=%s\npath=%s\n' "$version" "$shown" >>"$GITHUB_OUTPUT"
    fi
    note "oidcat $version ($triple) is in $shown"
}

# --- the tool cache ------------------------------------------------------------

if [[ -f "$marker" && -f "$dest/$exe" ]]; then
    recorded="$(head -c 64 "$marker" | tr '[:upper:]' '[:lower:]')"
    if [[ "$recorded" =~ ^[0-9a-f]{64}$ && "$(sha256_of "$dest/$exe")" == "$recorded" ]]; then
        note "using the cached binary in $dest"
        publish "$dest"
        exit 0
    fi
    note "the cached binary in $dest does not match its recorded SHA-256: installing it again"
    rm -f "$marker"
fi

# --- download and check ----------------------------------------------------------

command -v curl >/dev/null 2>&1 || die "curl is needed to download $url"
mkdir -p "$temp_root"
work="$(mktemp -d "$temp_root/oidcat-install.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# download URL FILE: exactly HTTP 200, or a message naming the URL.
download() {
    local from=$1 to=$2 code rc=0
    code="$(curl --silent --show-error --location \
        --proto "$protocols" --proto-redir "$protocols" \
        --retry 3 --retry-delay 2 --connect-timeout 30 --max-time "$MAX_SECONDS" \
        --max-filesize "$MAX_BYTES" --user-agent "oidcat-action-install" \
        --output "$to" --write-out '%{http_code}' "$from")" || rc=$?
    if ((rc != 0)); then
        die "could not download $from (curl exit code $rc)"
    fi
    case "$code" in
        200) ;;
        404) die "$from: not found (HTTP 404): is oidcat v$version released with an asset for $triple?" ;;
        *) die "$from: HTTP $code" ;;
    esac
}

note "downloading $url"
download "$url" "$work/$asset"
download "$url.sha256" "$work/$asset.sha256"

expected="$(head -c 200 "$work/$asset.sha256" | tr -d '\r' | head -n 1)"
expected="${expected%%[[:space:]]*}"
expected="$(printf '%s' "$expected" | tr '[:upper:]' '[:lower:]')"
[[ "$expected" =~ ^[0-9a-f]{64}$ ]] || die "$url.sha256 holds no SHA-256 checksum"
actual="$(sha256_of "$work/$asset")"
if [[ "$actual" != "$expected" ]]; then
    rm -f "$work/$asset"
    die "checksum mismatch for $asset: expected $expected (from $asset.sha256), got $actual; nothing was installed"
fi
note "SHA-256 checked: $actual"

# --- extract (in the private directory) and install ------------------------------

mkdir "$work/x"
case "$kind" in
    tar.xz) tar -xJf "$work/$asset" -C "$work/x" ;;
    zip)
        if command -v unzip >/dev/null 2>&1; then
            unzip -q "$work/$asset" -d "$work/x"
        elif command -v 7z >/dev/null 2>&1; then
            7z x -y -bd "-o$work/x" "$work/$asset" >/dev/null
        elif command -v powershell >/dev/null 2>&1; then
            zip_from="$work/$asset"
            zip_to="$work/x"
            if command -v cygpath >/dev/null 2>&1; then
                zip_from="$(cygpath -w "$zip_from")"
                zip_to="$(cygpath -w "$zip_to")"
            fi
            # shellcheck disable=SC2016 # PowerShell expands $env:, not bash
            OIDCAT_ZIP="$zip_from" OIDCAT_ZIP_TO="$zip_to" powershell -NoProfile -NonInteractive -Command \
                'Expand-Archive -LiteralPath $env:OIDCAT_ZIP -DestinationPath $env:OIDCAT_ZIP_TO'
        else
            die "no tool to extract $asset (unzip, 7z or powershell)"
        fi
        ;;
    *) die "unknown archive type $kind" ;;
esac

found=""
for candidate in "$work/x/oidcat-$triple/$exe" "$work/x/$exe"; do
    if [[ -f "$candidate" ]]; then
        found=$candidate
        break
    fi
done
[[ -n "$found" ]] || die "$asset holds no $exe (looked in oidcat-$triple/ and at the top)"

mkdir -p "$dest"
cp "$found" "$dest/$exe.partial"
chmod 755 "$dest/$exe.partial"
mv -f "$dest/$exe.partial" "$dest/$exe"

if ! reported="$("$dest/$exe" --version 2>&1)"; then
    rm -f "$dest/$exe"
    die "the installed binary does not run on this runner: $reported"
fi
note "$reported"
sha256_of "$dest/$exe" >"$marker"
publish "$dest"
