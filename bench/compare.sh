#!/usr/bin/env bash
# Side-by-side throughput of a churn server and the FastAPI reference (bench/fastapi_churn), on this machine, in one run.
# usage: bench/compare.sh URL [SECONDS] [CONNECTIONS]
#   URL: the server's single-prediction endpoint, e.g. http://127.0.0.1:8080/predict (API key from $API_KEY, default
#   dev-key). Start the server and warm it first (one run of load): this script measures, it does not warm.
# Starts the reference on port $REF_PORT (default 18000) with $REF_WORKERS workers (default 2), runs wrk (Debian
# package wrk) with predict.lua on each in turn, A B A B, SECONDS each (default 10) at CONNECTIONS (default 64), prints
# both rates, both p99 latencies and the ratio of the rates' sums, and stops the reference. The first run installs the
# reference's Debian packages and trains its model (bench/fastapi_churn/run.sh --setup), which takes a minute or so.
# Full wrk output: /tmp/compare-wrk.log; the reference's log: /tmp/fastapi-ref.log.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
url=$1 secs=${2:-10} conns=${3:-64}
ref_port=${REF_PORT:-18000} ref_workers=${REF_WORKERS:-2}
sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
command -v wrk >/dev/null || { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq wrk >/dev/null; }
"$here/fastapi_churn/run.sh" --setup
# Something already on the port (another reference, another user's) would answer the health check and be measured.
if (exec 3<>"/dev/tcp/127.0.0.1/$ref_port") 2>/dev/null; then
  echo "compare: port $ref_port is in use; choose another with REF_PORT" >&2; exit 1
fi
# The reference accepts the key wrk sends ($API_KEY), so a non-default key does not turn its runs into 401s.
API_KEYS=${API_KEY:-dev-key} "$here/fastapi_churn/run.sh" "$ref_port" "$ref_workers" >/tmp/fastapi-ref.log 2>&1 &
ref=$!
# Waits for gunicorn's graceful stop, so that the port is free when the script returns (a second run can follow).
trap 'kill $ref 2>/dev/null && wait $ref 2>/dev/null; true' EXIT
for _ in $(seq 60); do curl -sf -o /dev/null "http://127.0.0.1:$ref_port/health" && break; kill -0 $ref 2>/dev/null || break; sleep 0.5; done
curl -sf -o /dev/null "http://127.0.0.1:$ref_port/health" || {
  echo "compare: the reference did not come up on port $ref_port (see /tmp/fastapi-ref.log)" >&2; exit 1; }
# One wrk run; prints "REQUESTS_PER_SECOND P99" (P99 as wrk prints it, e.g. 3.21ms), or fails if wrk printed no rate.
run() { local out
        out=$(wrk -t1 -c"$conns" -d"${secs}s" --latency -s "$here/predict.lua" "$1") || {
          echo "compare: wrk failed on $1" >&2; return 1; }
        printf '%s\n' "$out" >>/tmp/compare-wrk.log
        printf '%s\n' "$out" | awk '/Requests\/sec/ {r = $2} $1 == "99%" {p = $2}
                                   END { if (r == "") exit 1; print r, p }' || {
          echo "compare: no rate in wrk's output for $1 (see /tmp/compare-wrk.log)" >&2; return 1; }; }
: >/tmp/compare-wrk.log
ref_url=http://127.0.0.1:$ref_port/predict
read -r a1 pa1 < <(run "$url"); read -r b1 pb1 < <(run "$ref_url")
read -r a2 pa2 < <(run "$url"); read -r b2 pb2 < <(run "$ref_url")
[[ -n $a1 && -n $a2 && -n $b1 && -n $b2 ]] || { echo "compare: a wrk run failed (see /tmp/compare-wrk.log)" >&2; exit 1; }
errors=$(grep -c 'Non-2xx' /tmp/compare-wrk.log || true)
echo "server:    $a1 $a2 req/s, p99 $pa1 $pa2"
echo "reference: $b1 $b2 req/s, p99 $pb1 $pb2"
echo "runs with non-2xx answers: $errors (details: /tmp/compare-wrk.log)"
awk -v a1="$a1" -v a2="$a2" -v b1="$b1" -v b2="$b2" 'BEGIN { printf "ratio server/reference: %.1f\n", (a1 + a2) / (b1 + b2) }'
