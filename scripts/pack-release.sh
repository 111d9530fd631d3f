#!/usr/bin/env bash
# Lays out a built oidcat binary the way a release publishes it, for tests of
# the action's install script (tests/action.rs) and for the self-check
# workflow: DIR/vVERSION/ASSET, DIR/vVERSION/ASSET.sha256 and
# DIR/vVERSION/sha256.sum, where ASSET is oidcat-<triple>.tar.xz (or .zip)
# holding oidcat-<triple>/oidcat (or oidcat.exe).
#
# Usage: scripts/pack-release.sh BINARY ASSET VERSION DIR
set -euo pipefail

if [[ $# -ne 4 ]]; then
    echo "usage: $0 BINARY ASSET VERSION DIR" >&2
    exit 2
fi
binary=$1 asset=$2 version=$3 out=$4

case "$asset" in
    oidcat-*.tar.xz) stem=${asset%.tar.xz} exe=oidcat ;;
    oidcat-*.zip) stem=${asset%.zip} exe=oidcat.exe ;;
    *) echo "pack-release: unknown asset name $asset" >&2; exit 2 ;;
esac

sha256() {
    if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1"; else shasum -a 256 "$1"; fi
}

rel="$out/v$version"
mkdir -p "$rel"
stage="$(mktemp -d "${TMPDIR:-/tmp}/oidcat-pack.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$stem"
cp "$binary" "$stage/$stem/$exe"
chmod 755 "$stage/$stem/$exe"
case "$asset" in
    *.tar.xz)
        if command -v xz >/dev/null 2>&1; then
            # Fastest preset: the archives here are for tests, not downloads.
            (cd "$stage" && tar -cf - "$stem" | xz -0 -T0 >"$stage/$asset")
        else
            (cd "$stage" && tar -cJf "$asset" "$stem")
        fi
        ;;
    *.zip)
        if command -v zip >/dev/null 2>&1; then
            (cd "$stage" && zip -q -r "$asset" "$stem")
        else
            (cd "$stage" && 7z a -bd "$asset" "$stem" >/dev/null)
        fi
        ;;
esac
mv "$stage/$asset" "$rel/$asset"
(cd "$rel" && sha256 "$asset" >"$asset.sha256" && cat ./*.sha256 >sha256.sum)
