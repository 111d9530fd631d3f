#!/usr/bin/env bash
# `serve --policy` (3 issuers, 10 routes, the token's route the 8th) against
# single-issuer `serve` with the same checks, under wrk, in the same run,
# alternating rounds. Everything on 127.0.0.1; every server killed on exit.
#   bash bench/policy.sh   # env: OIDCAT=path (skip the build) DURATION=10s ROUNDS=3 CONNS=50 WORKERS=2
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
DURATION="${DURATION:-10s}"
ROUNDS="${ROUNDS:-3}"
CONNS="${CONNS:-50}"
WORKERS="${WORKERS:-2}"
if [ -z "${OIDCAT:-}" ]; then
  cargo build --release --quiet
  OIDCAT="${CARGO_TARGET_DIR:-$ROOT/target}/release/oidcat"
fi
start_work  # WORK, PIDS, and the exit trap that stops them
machine_line

ISS=https://idp.test
AUD=api
TOKEN=$(mint_rs256 "$ISS" "$AUD" 3600)
cp "$KEYS/jwks.json" "$WORK/keys-idp.json"
python3 - "$KEYS" "$WORK" <<'PY'
import json, sys
keys, work = sys.argv[1], sys.argv[2]
for name, f in [("keys-b.json", "rsa2.jwk.json"), ("keys-c.json", "p256.jwk.json")]:
    json.dump({"keys": [json.load(open(f"{keys}/{f}"))]}, open(f"{work}/{name}", "w"))
PY
{
  cat <<TOML
[[issuer]]
name = "idp"
url = "$ISS"
jwks_file = "keys-idp.json"
audience = ["$AUD"]
claims = ["repository=acme/app"]

[[issuer]]
name = "b"
url = "https://b.example"
jwks_file = "keys-b.json"
audience = ["$AUD"]

[[issuer]]
name = "c"
url = "https://c.example"
jwks_file = "keys-c.json"
audience = ["$AUD"]
TOML
  for i in 1 2 3 4 5 6 7; do
    printf '\n[[route]]\nname = "r%s"\npath = "/r%s/*"\nissuers = ["b", "c"]\n' "$i" "$i"
  done
  printf '\n[[route]]\nname = "deploy"\npath = "/deploy/*"\nmethods = ["GET", "POST"]\nissuers = ["idp"]\nclaims = ["ref=refs/heads/main"]\n'
  printf '\n[[route]]\nname = "admin"\npath = "/admin*"\ndeny = true\n'
  printf '\n[[route]]\nname = "health"\npath = "/health"\n'
} > "$WORK/policy.toml"
"$OIDCAT" -q policy check "$WORK/policy.toml" >/dev/null

start() { # VAR NAME ARGS...: starts serve in this shell, sets VAR to its port
  local var="$1" name="$2"; shift 2
  local port; port=$(free_port)
  "$OIDCAT" -q serve --listen "127.0.0.1:$port" --workers "$WORKERS" "$@" 2>"$WORK/$name.log" &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$port/healthz" >/dev/null
  printf -v "$var" '%s' "$port"
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
start SINGLE single --jwks-file "$WORK/keys-idp.json" --issuer "$ISS" --audience "$AUD" \
  --claim repository=acme/app --claim ref=refs/heads/main
SINGLE_PID=${PIDS[-1]}
start POLICY policy --policy "$WORK/policy.toml"
POLICY_PID=${PIDS[-1]}
TCK=$(getconf CLK_TCK)
H=(-H "Authorization: Bearer $TOKEN" -H "X-Original-URI: /deploy/app?x=1" -H "X-Original-Method: POST")
for p in "$SINGLE" "$POLICY"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "${H[@]}" "http://127.0.0.1:$p/verify")
  [ "$code" = 200 ] || { echo "port $p answered $code" >&2; exit 1; }
done
for r in $(seq "$ROUNDS"); do
  for name in single policy; do
    port=$SINGLE; pid=$SINGLE_PID
    [ "$name" = policy ] && { port=$POLICY; pid=$POLICY_PID; }
    before=$(cpu_ticks "$pid")
    wrk -t2 -c"$CONNS" -d"$DURATION" "${H[@]}" "http://127.0.0.1:$port/verify" > "$WORK/wrk.txt"
    after=$(cpu_ticks "$pid")
    rps=$(awk '/Requests\/sec/{print $2}' "$WORK/wrk.txt")
    reqs=$(awk '/requests in/{print $1}' "$WORK/wrk.txt")
    # CPU time of the server per answer: less at the mercy of other load than req/s
    us=$(awk -v t=$((after - before)) -v n="$reqs" -v hz="$TCK" 'BEGIN{printf "%.1f", t / hz * 1e6 / n}')
    echo "round $r $name: $rps req/s, $us us CPU per answer"
    echo "$name $rps $us" >> "$WORK/results"
  done
done
awk '{s[$1]+=$2; c[$1]+=$3; n[$1]++} END {a=s["single"]/n["single"]; b=s["policy"]/n["policy"];
  x=c["single"]/n["single"]; y=c["policy"]/n["policy"];
  printf "mean single %.0f req/s, policy %.0f req/s: policy/single = %.3f\n", a, b, b/a;
  printf "mean CPU per answer: single %.1f us, policy %.1f us: policy/single = %.3f\n", x, y, y/x}' "$WORK/results"
