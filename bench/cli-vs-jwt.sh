#!/usr/bin/env bash
# Requirement C: `oidcat verify --issuer` with the keys in the disk cache vs
# `jwt decode` (jwt-cli, no verification) vs a bare process start.
#   bash bench/cli-vs-jwt.sh
#   OIDCAT_RELEASE_BIN=target/x86_64-unknown-linux-musl/dist/oidcat bash bench/cli-vs-jwt.sh
# Target: oidcat verify (cached keys) no slower than jwt decode. With
# OIDCAT_RELEASE_BIN (the binary a release ships, from `dist build`), that
# binary is measured in the same run and held to the same target. With
# OIDCAT_BEFORE_BIN (an earlier build, e.g. of the release binary), that one
# too, for a before/after in one run.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
command -v hyperfine >/dev/null || { apt-get install -y hyperfine >/dev/null; }

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

machine_line
echo "building oidcat --release (default, dynamic) ..."
cargo build --release --quiet
DYNAMIC="${CARGO_TARGET_DIR:-$ROOT/target}/release/oidcat"
# The release build for x86_64 Linux with glibc: static PIE (cargo build-static,
# .cargo/config.toml). Elsewhere the default build is measured twice.
OIDCAT="$DYNAMIC"
if [ "$(uname -m)" = x86_64 ] && ldd --version 2>&1 | grep -qi glibc; then
  echo "building oidcat static PIE (cargo build-static) ..."
  cargo build-static --quiet
  OIDCAT="${CARGO_TARGET_DIR:-$ROOT/target}/x86_64-unknown-linux-gnu/release/oidcat"
fi

JWT="$(command -v jwt || true)"
JWT_ROOT="${CARGO_TARGET_DIR:-$ROOT/target}/jwt-cli"
[ -z "$JWT" ] && [ -x "$JWT_ROOT/bin/jwt" ] && JWT="$JWT_ROOT/bin/jwt"
if [ -z "$JWT" ]; then
  echo "jwt-cli not found: cargo install jwt-cli --locked --root $JWT_ROOT (compiles for a few minutes) ..."
  start=$(date +%s)
  cargo install jwt-cli --locked --root "$JWT_ROOT" --quiet
  echo "jwt-cli compiled in $(( $(date +%s) - start )) s"
  JWT="$JWT_ROOT/bin/jwt"
fi
echo "jwt-cli: $("$JWT" --version)"
RELEASE="${OIDCAT_RELEASE_BIN:-}"
if [ -n "$RELEASE" ]; then
  RELEASE="$(cd "$(dirname "$RELEASE")" && pwd)/$(basename "$RELEASE")"
  echo "release binary: $RELEASE ($("$RELEASE" --version | tr '\n' ' '))"
fi

PORT=$(free_port)
ISS="http://127.0.0.1:$PORT"
write_issuer_docs "$WORK/www" "$ISS"
python3 "$ROOT/bench/json_http.py" "$PORT" "$WORK/www" >"$WORK/http.log" 2>&1 &
SERVER_PID=$!
wait_http "$ISS/jwks.json"
TOKEN=$(mint_rs256 "$ISS" "$AUD" 3600)
export XDG_CACHE_HOME="$WORK/cache"   # a private, empty disk cache
echo "warming the disk cache (one verify against $ISS) ..."
"$OIDCAT" verify --issuer "$ISS" --audience "$AUD" "$TOKEN" >/dev/null
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
# The issuer is gone: a verify that succeeds now read its keys from the cache.
"$OIDCAT" verify --issuer "$ISS" --audience "$AUD" "$TOKEN" >/dev/null || { echo "cached verify failed"; exit 1; }
"$JWT" decode "$TOKEN" >/dev/null
RELEASE_ARGS=()
if [ -n "$RELEASE" ]; then
  "$RELEASE" verify --issuer "$ISS" --audience "$AUD" "$TOKEN" >/dev/null || { echo "cached verify (release binary) failed"; exit 1; }
  RELEASE_ARGS=(-n "oidcat verify, release binary" "$RELEASE verify --issuer $ISS --audience $AUD $TOKEN")
fi
BEFORE="${OIDCAT_BEFORE_BIN:-}"
if [ -n "$BEFORE" ]; then
  BEFORE="$(cd "$(dirname "$BEFORE")" && pwd)/$(basename "$BEFORE")"
  echo "before: $BEFORE"
  "$BEFORE" verify --issuer "$ISS" --audience "$AUD" "$TOKEN" >/dev/null || { echo "cached verify (before) failed"; exit 1; }
  RELEASE_ARGS+=(-n "oidcat verify, before" "$BEFORE verify --issuer $ISS --audience $AUD $TOKEN")
fi

hyperfine --warmup 20 -N --export-json "$WORK/h.json" \
  -n "oidcat verify (cached keys)" "$OIDCAT verify --issuer $ISS --audience $AUD $TOKEN" \
  -n "jwt decode" "$JWT decode $TOKEN" \
  -n "oidcat verify, default dynamic build" "$DYNAMIC verify --issuer $ISS --audience $AUD $TOKEN" \
  -n "process start (oidcat --version)" "$OIDCAT --version" \
  -n "process start (true)" "/bin/true" \
  "${RELEASE_ARGS[@]}"

python3 - "$WORK/h.json" <<'PY'
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
print(f"\n{'command':<38} {'median ms':>10} {'mean ms':>9} {'min ms':>8} {'runs':>6}")
for r in rs:
    print(f"{r['command']:<38} {r['median']*1e3:10.3f} {r['mean']*1e3:9.3f} {r['min']*1e3:8.3f} {len(r['times']):6d}")
o, j = rs[0]["median"], rs[1]["median"]
print(f"\noidcat verify / jwt decode (medians): {o/j:.2f}  target <= 1.00: {'MET' if o <= j else 'MISSED'}")
for r in rs[5:]:
    print(f"{r['command']} / jwt decode (medians): {r['median']/j:.2f}  target <= 1.00: {'MET' if r['median'] <= j else 'MISSED'}")
PY
