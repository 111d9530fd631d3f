# Shared helpers for bench/*.sh (sourced, not run). Everything stays on 127.0.0.1.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KEYS="$ROOT/tests/fixtures/keys"
AUD="${AUD:-https://github.com/acme}"

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# mint_rs256 ISSUER AUDIENCE LIFETIME_SECS -> a GitHub-shaped RS256 token (kid rsa-1) on stdout.
mint_rs256() {
  local iss="$1" aud="$2" life="$3" now h p s
  now=$(date +%s)
  h=$(printf '{"alg":"RS256","kid":"rsa-1","typ":"JWT"}' | b64url)
  p=$(printf '{"jti":"93721cf5-93cc-45e5-b7b6-47849c10e71d","sub":"repo:acme/app:ref:refs/heads/main","aud":"%s","ref":"refs/heads/main","sha":"a501fa6b06a6dc25cca7cace0b989abe6b156366","repository":"acme/app","repository_owner":"acme","repository_owner_id":"14130403","run_id":"3989419862","run_number":"37","run_attempt":"1","repository_visibility":"private","repository_id":"588298808","actor_id":"14130403","actor":"octocat","workflow":"Deploy","head_ref":"","base_ref":"","event_name":"push","ref_type":"branch","workflow_ref":"acme/app/.github/workflows/deploy.yml@refs/heads/main","workflow_sha":"a501fa6b06a6dc25cca7cace0b989abe6b156366","job_workflow_ref":"acme/app/.github/workflows/deploy.yml@refs/heads/main","job_workflow_sha":"a501fa6b06a6dc25cca7cace0b989abe6b156366","iss":"%s","nbf":%d,"exp":%d,"iat":%d}' \
      "$aud" "$iss" $((now - 60)) $((now + life)) $((now - 60)) | b64url)
  s=$(printf '%s.%s' "$h" "$p" | openssl dgst -sha256 -sign "$KEYS/rsa.pem" -binary | b64url)
  printf '%s.%s.%s\n' "$h" "$p" "$s"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# write_issuer_docs DIR ISSUER: discovery document + JWKS (tests/fixtures/keys/jwks.json) under DIR.
write_issuer_docs() {
  local dir="$1" iss="$2"
  mkdir -p "$dir/.well-known"
  cp "$KEYS/jwks.json" "$dir/jwks.json"
  cat > "$dir/.well-known/openid-configuration" <<JSON
{"issuer":"$iss","jwks_uri":"$iss/jwks.json","authorization_endpoint":"$iss/authorize","response_types_supported":["id_token"],"subject_types_supported":["public"],"id_token_signing_alg_values_supported":["RS256","ES256","EdDSA"]}
JSON
}

# wait_http URL [TRIES]: polls until URL answers (any status), 0.1 s apart.
wait_http() {
  local url="$1" tries="${2:-100}"
  for _ in $(seq "$tries"); do
    curl -s -o /dev/null --max-time 1 "$url" && return 0
    sleep 0.1
  done
  echo "timed out waiting for $url" >&2
  return 1
}

machine_line() {
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
}

# A scratch directory in WORK and a PIDS list of servers to stop: on exit
# (or interrupt) every server in PIDS is killed and WORK removed.
start_work() {
  WORK="$(mktemp -d)"
  PIDS=()
  trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT INT TERM
}
