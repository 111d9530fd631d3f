#!/usr/bin/env bash
# Requirement D: `oidcat serve` under wrk, against two baselines measured in
# the same run: a bare hyper + jsonwebtoken server (bench/baseline-hyper:
# signature and exp only) and Flask + Authlib fetching the key set on every
# request (bench/flask_authlib/app.py). Everything on 127.0.0.1; every load is
# bounded in time; every server is killed on exit.
#   bash bench/serve.sh    # env: DURATION=10s ROUNDS=1 WORKERS=2 CONNS="50 1000" FLASK_1000=1 CHURN=0
#   OIDCAT_BEFORE_BIN=../before/target/x86_64-unknown-linux-gnu/release/oidcat bash bench/serve.sh
# With OIDCAT_BEFORE_BIN (an earlier build of oidcat), that binary is loaded
# too, interleaved in the same rounds, and compared with this one (FLASK=0
# leaves Flask out). With OIDCAT_RELEASE_BIN (the binary a release ships,
# from `dist build`: musl on Linux), that binary is loaded too, as
# oidcat-release, and held to the same targets.
# Targets: oidcat >= baseline-hyper req/s; >= 40x Flask; p99 < 5 ms at 50
# connections; RSS < 25 MiB at 1000 connections.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
DURATION="${DURATION:-10s}"
ROUNDS="${ROUNDS:-1}"
WORKERS="${WORKERS:-2}"
CONNS="${CONNS:-50 1000}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

start_work  # WORK, PIDS, and the exit trap that stops them

machine_line
echo "building oidcat and bench/baseline-hyper (--release) ..."
# The release build for x86_64 Linux with glibc is the static PIE
# (cargo build-static, .cargo/config.toml): it also maps no shared libraries.
# Only the build that is measured is built.
if [ "$(uname -m)" = x86_64 ] && ldd --version 2>&1 | grep -qi glibc; then
  cargo build-static --quiet
  OIDCAT="$TARGET/x86_64-unknown-linux-gnu/release/oidcat"
else
  cargo build --release --quiet
  OIDCAT="$TARGET/release/oidcat"
fi
CARGO_TARGET_DIR="$ROOT/target/bench-baseline" cargo build --release --quiet --manifest-path bench/baseline-hyper/Cargo.toml
BASELINE="$ROOT/target/bench-baseline/release/baseline-hyper"

VENV="$ROOT/target/bench-venv"
if [ ! -x "$VENV/bin/flask" ]; then
  echo "creating $VENV (flask authlib gunicorn requests) ..."
  python3 -m venv "$VENV" && "$VENV/bin/pip" install -q flask authlib gunicorn requests
fi

# The issuer: discovery + JWKS from a python http.server.
ISS_PORT=$(free_port)
ISS="http://127.0.0.1:$ISS_PORT"
write_issuer_docs "$WORK/www" "$ISS"
python3 "$ROOT/bench/json_http.py" "$ISS_PORT" "$WORK/www" >"$WORK/issuer.log" 2>&1 &
PIDS+=($!)
wait_http "$ISS/jwks.json"
TOKEN=$(mint_rs256 "$ISS" "$AUD" 3600)

# Resident memory of a process and its children, in KiB: "rss hwm".
mem_kib() {
  local rss=0 hwm=0 p
  for p in "$1" $(pgrep -P "$1" || true); do
    [ -r "/proc/$p/status" ] || continue
    rss=$((rss + $(awk '/^VmRSS/{print $2}' "/proc/$p/status")))
    hwm=$((hwm + $(awk '/^VmHWM/{print $2}' "/proc/$p/status")))
  done
  echo "$rss $hwm"
}

# CPU time (user + system) of a process and its children so far, in clock ticks.
cpu_ticks() {
  local t=0 p
  for p in "$1" $(pgrep -P "$1" || true); do
    [ -r "/proc/$p/stat" ] || continue
    # fields 14 and 15 (utime, stime), counted after the ")" that ends the name
    t=$((t + $(sed 's/.*) //' "/proc/$p/stat" | awk '{print $12 + $13}')))
  done
  echo "$t"
}
TICK_HZ=$(getconf CLK_TCK)

RESULTS="$WORK/results.tsv"
: > "$RESULTS"
# load NAME PID URL: wrk at each connection count; RSS sampled at the middle of the run.
load() {
  local name="$1" pid="$2" url="$3" c out half
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$url")
  [ "$code" = 200 ] || { echo "$name answered $code to a valid token" >&2; exit 1; }
  for c in $CONNS; do
    out="$WORK/wrk-$name-$c.txt"
    half=$(( ${DURATION%s} / 2 ))
    ( sleep "$half"; mem_kib "$pid" > "$WORK/mem-mid" ) &
    local sampler=$!
    local t0 t1
    t0=$(cpu_ticks "$pid")
    wrk -t2 -c"$c" -d"$DURATION" --timeout 5s --latency -H "Authorization: Bearer $TOKEN" "$url" > "$out" 2>&1 || true
    t1=$(cpu_ticks "$pid")
    wait "$sampler" || true
    read -r rss_mid _ < "$WORK/mem-mid"
    read -r rss_end hwm < <(mem_kib "$pid")
    python3 - "$name" "$c" "$out" "$rss_mid" "$hwm" "$((t1 - t0))" "$TICK_HZ" >> "$RESULTS" <<'PY'
import re, sys
name, c, path, rss_mid, hwm, ticks, hz = sys.argv[1:]
t = open(path).read()
def lat(p):
    m = re.search(r"^\s*%s%%\s+([\d.]+)(us|ms|s)\s*$" % p, t, re.M)
    if not m: return float("nan")
    return float(m.group(1)) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[m.group(2)]
rps = re.search(r"Requests/sec:\s+([\d.]+)", t)
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", t)
errs = re.search(r"Socket errors:.*", t)
# the server's CPU time per answer, in microseconds (user + system)
n = re.search(r"^\s*(\d+) requests in", t, re.M)
cpu = int(ticks) / int(hz) * 1e6 / int(n.group(1)) if n and int(n.group(1)) > 0 else float("nan")
print("\t".join([name, c, rps.group(1) if rps else "nan", f"{lat(50):.3f}", f"{lat(99):.3f}",
                 f"{int(rss_mid) / 1024:.1f}", f"{int(hwm) / 1024:.1f}",
                 non2xx.group(1) if non2xx else "0", (errs.group(0) if errs else "-").replace("Socket errors: ", ""),
                 f"{cpu:.1f}"]))
PY
    tail -n 1 "$RESULTS" | awk -F'\t' '{printf "  %-22s c=%-5s %10s req/s  p50 %8s ms  p99 %8s ms  CPU %5s us/answer  RSS %s MiB (peak %s)  non-2xx %s  errors %s\n", $1, $2, $3, $4, $5, $10, $6, $7, $8, $9}'
  done
}

BEFORE="${OIDCAT_BEFORE_BIN:-}"
[ -z "$BEFORE" ] || echo "before: $BEFORE ($("$BEFORE" --version | head -n 1))"
RELEASE="${OIDCAT_RELEASE_BIN:-}"
[ -z "$RELEASE" ] || echo "release binary: $RELEASE ($("$RELEASE" --version | head -n 1))"

start_oidcat() { # extra flags...
  local port; port=$(free_port)
  "${BIN:-$OIDCAT}" serve --issuer "$ISS" --audience "$AUD" --listen "127.0.0.1:$port" --workers "$WORKERS" "$@" 2>"$WORK/oidcat-$port.log" &
  SERVER=$!; PIDS+=($SERVER); URL="http://127.0.0.1:$port/verify"
  wait_http "http://127.0.0.1:$port/readyz"
}
start_baseline() {
  local port; port=$(free_port)
  "$BASELINE" "127.0.0.1:$port" "$KEYS/rsa.pub.pem" "$WORKERS" 2>"$WORK/baseline.log" &
  SERVER=$!; PIDS+=($SERVER); URL="http://127.0.0.1:$port/verify"
  wait_http "$URL"
}
start_flask() {
  local port; port=$(free_port)
  if [ -x "$VENV/bin/gunicorn" ]; then
    (cd bench/flask_authlib && ISSUER="$ISS" AUDIENCE="$AUD" exec "$VENV/bin/gunicorn" -w "$WORKERS" -b "127.0.0.1:$port" --backlog 2048 app:app) 2>"$WORK/flask.log" &
  else
    (cd bench/flask_authlib && ISSUER="$ISS" AUDIENCE="$AUD" exec "$VENV/bin/flask" run -h 127.0.0.1 -p "$port") 2>"$WORK/flask.log" &
  fi
  SERVER=$!; PIDS+=($SERVER); URL="http://127.0.0.1:$port/verify"
  wait_http "$URL" 200
}
stop() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }

run_oidcat()   { start_oidcat;                  load oidcat "$SERVER" "$URL"; stop; }
run_baseline() { start_baseline;                load baseline-hyper "$SERVER" "$URL"; stop; }
run_before()   { BIN="$BEFORE" start_oidcat;    load oidcat-before "$SERVER" "$URL"; stop; }
run_release()  { BIN="$RELEASE" start_oidcat;   load oidcat-release "$SERVER" "$URL"; stop; }
COMPARED=(run_oidcat run_baseline)
[ -z "$BEFORE" ] || COMPARED+=(run_before)
[ -z "$RELEASE" ] || COMPARED+=(run_release)

for round in $(seq "$ROUNDS"); do
  echo "round $round/$ROUNDS (wrk -t2 -d$DURATION, connections: $CONNS)"
  # The compared servers take turns going first (odd rounds in order, even
  # rounds reversed): a machine that gets busier or quieter within a round
  # favours none of them over the run.
  if [ $((round % 2)) = 1 ]; then
    for run in "${COMPARED[@]}"; do "$run"; done
  else
    for ((i = ${#COMPARED[@]} - 1; i >= 0; i--)); do "${COMPARED[$i]}"; done
  fi
  start_oidcat --cache-verified 10000;  load oidcat-cache10k "$SERVER" "$URL"; stop
  [ "${FLASK:-1}" = 1 ] || continue
  CONNS_SAVED="$CONNS"; [ "${FLASK_1000:-1}" = 1 ] || CONNS="${CONNS%% *}"
  start_flask;                          load flask-authlib "$SERVER" "$URL"; stop
  CONNS="$CONNS_SAVED"
done

# CHURN=N: a crowd of 1,000 connections opened, loaded for 2 s and closed, N
# times on one server; resident memory 2 s after the last crowd left (a
# gateway's connection pool comes and goes; a fresh server per round does not
# show what that leaves behind).
if [ "${CHURN:-0}" -gt 0 ]; then
  echo
  echo "churn: $CHURN crowds of 1000 connections (wrk -t2 -c1000 -d2s each) on one server; RSS 2 s after the last"
  churn() { # NAME
    local i
    for i in $(seq "$CHURN"); do
      wrk -t2 -c1000 -d2s --timeout 5s -H "Authorization: Bearer $TOKEN" "$URL" > /dev/null 2>&1 || true
    done
    sleep 2
    read -r rss hwm < <(mem_kib "$SERVER")
    awk -v n="$1" -v r="$rss" -v h="$hwm" 'BEGIN { printf "  %-22s RSS %5.1f MiB  (peak %5.1f)\n", n, r / 1024, h / 1024 }'
  }
  start_oidcat; churn oidcat; stop
  start_baseline; churn baseline-hyper; stop
  if [ -n "$BEFORE" ]; then BIN="$BEFORE" start_oidcat; churn oidcat-before; stop; fi
  if [ -n "$RELEASE" ]; then BIN="$RELEASE" start_oidcat; churn oidcat-release; stop; fi
fi

python3 - "$RESULTS" "$CONNS" <<'PY'
import statistics as st, sys
CONNS = sys.argv[2].split()
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
by = {}
for r in rows:
    by.setdefault((r[0], r[1]), []).append(r)
med = lambda k, i: st.median(float(r[i]) for r in by[k]) if k in by else float("nan")
print(f"\n{'server':<18} {'conns':>5} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'CPU us':>7} {'RSS MiB':>8} {'peak':>6}  (median of {max(len(v) for v in by.values())} round(s); CPU: the server's user + system time per answer)")
for k in by:
    print(f"{k[0]:<18} {k[1]:>5} {med(k,2):10.0f} {med(k,3):8.3f} {med(k,4):8.3f} {med(k,9):7.1f} {med(k,5):8.1f} {med(k,6):6.1f}")
o50, b50, c50, f50 = (med((n, "50"), 2) for n in ("oidcat", "baseline-hyper", "oidcat-cache10k", "flask-authlib"))
o1k, b1k = med(("oidcat", "1000"), 2), med(("baseline-hyper", "1000"), 2)
print()
print(f"oidcat / baseline-hyper      c=50: {o50/b50:.2f}   c=1000: {o1k/b1k:.2f}   target >= 1.00: {'MET' if o50 >= b50 and o1k >= b1k else 'MISSED'}")
# Each round loads the servers one after another within seconds, so the
# ratio within a round is less at the mercy of the shared machine's swings
# than the ratio of medians above: the median of the per-round ratios.
def paired(name, c, ratio=lambda a, b: float(a[2]) / float(b[2]), against="baseline-hyper"):
    pairs = zip(by.get((name, c), []), by.get((against, c), []))
    r = [x for x in (ratio(a, b) for a, b in pairs) if x == x]
    return (st.median(r), min(r), max(r)) if r else (float("nan"),) * 3
# Server and wrk share the machine's cores: with them saturated, req/s is
# the cores divided by the CPU time each answer costs both. The server's
# own share (answers per CPU second, relative to the baseline's) moves far
# less with the neighbours' load than req/s does.
per_cpu = lambda a, b: float(b[9]) / float(a[9]) if float(a[9]) > 0 else float("nan")
for name in ("oidcat", "oidcat-release"):
    if (name, "50") in by:
        cells = "   ".join(f"c={c}: %.2f (rounds %.2f-%.2f)" % paired(name, c) for c in CONNS)
        print(f"{name} / baseline-hyper, median of per-round ratios  {cells}")
        cells = "   ".join(f"c={c}: %.2f (rounds %.2f-%.2f)" % paired(name, c, per_cpu) for c in CONNS)
        print(f"{name} / baseline-hyper, answers per CPU second, median of per-round ratios  {cells}")
if f50 == f50:
    print(f"oidcat / flask-authlib       c=50: {o50/f50:.1f}x  target >= 40x: {'MET' if o50 >= 40*f50 else 'MISSED'}")
print(f"oidcat --cache-verified 10000 (one token repeated) / uncached, c=50: {c50/o50:.2f}x   c=1000: {med(('oidcat-cache10k','1000'),2)/o1k:.2f}x")
p99 = med(("oidcat", "50"), 4)
print(f"oidcat p99 at 50 connections: {p99:.3f} ms  target < 5 ms: {'MET' if p99 < 5 else 'MISSED'}")
rss = max(med(("oidcat", "1000"), 5), med(("oidcat", "1000"), 6))
print(f"oidcat RSS at 1000 connections (max of mid-run VmRSS and VmHWM): {rss:.1f} MiB  target < 25 MiB: {'MET' if rss < 25 else 'MISSED'}")
if ("oidcat-release", "50") in by:
    r50, r1k = med(("oidcat-release", "50"), 2), med(("oidcat-release", "1000"), 2)
    rrss = max(med(("oidcat-release", "1000"), 5), med(("oidcat-release", "1000"), 6))
    print(f"release binary / baseline-hyper  c=50: {r50/b50:.2f}   c=1000: {r1k/b1k:.2f}   target >= 1.00: {'MET' if r50 >= b50 and r1k >= b1k else 'MISSED'}")
    print(f"release binary RSS at 1000 connections: {rrss:.1f} MiB  target < 25 MiB: {'MET' if rrss < 25 else 'MISSED'}")
if ("oidcat-before", "50") in by:
    for c in CONNS:
        k, kb = ("oidcat", c), ("oidcat-before", c)
        if kb in by and k in by:
            print(f"before -> after, c={c}: req/s {med(kb,2):.0f} -> {med(k,2):.0f} ({med(k,2)/med(kb,2):.2f}), "
                  f"RSS {max(med(kb,5), med(kb,6)):.1f} -> {max(med(k,5), med(k,6)):.1f} MiB, "
                  f"/ baseline {med(kb,2)/med(('baseline-hyper',c),2):.2f} -> {med(k,2)/med(('baseline-hyper',c),2):.2f}, "
                  f"CPU {med(kb,9):.1f} -> {med(k,9):.1f} us/answer")
    for what, ratio in (("req/s", lambda a, b: float(a[2]) / float(b[2])), ("answers per CPU second", per_cpu)):
        cells = "   ".join(f"c={c}: %.2f (rounds %.2f-%.2f)" % paired("oidcat", c, ratio, "oidcat-before") for c in CONNS)
        print(f"after / before, {what}, median of per-round ratios  {cells}")
PY
