#!/usr/bin/env bash
# Side-by-side throughput of a churn server and the FastAPI reference (bench/fastapi_churn), on this machine, in one run.
# usage: bench/compare.sh URL [SECONDS] [CONNECTIONS]
#   URL: the server's single-prediction endpoint, e.g. http://127.0.0.1:8080/predict (API key from $API_KEY, default
#   dev-key). Start the server and warm it first (one run of load): this script measures, it does not warm.
# Starts the reference on port $REF_PORT (default 18000) with $REF_WORKERS workers (default 2), runs wrk (Debian
# package wrk) with predict.lua on each in turn, A B A B, SECONDS each (default 10) at CONNECTIONS (default 64), prints
# both rates and the ratio of their sums, and stops the reference. The first run installs the reference's Debian
# packages and trains its model (bench/fastapi_churn/run.sh --setup), which takes a while.
# Full wrk output: /tmp/compare-wrk.log; the reference's log: /tmp/fastapi-ref.log.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
url=$1 secs=${2:-10} conns=${3:-64}
ref_port=${REF_PORT:-18000} ref_workers=${REF_WORKERS:-2}
sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
command -v wrk >/dev/null || { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq wrk >/dev/null; }
"$here/fastapi_churn/run.sh" --setup
"$here/fastapi_churn/run.sh" "$ref_port" "$ref_workers" >/tmp/fastapi-ref.log 2>&1 &
ref=$!
trap 'kill $ref 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -sf -o /dev/null "http://127.0.0.1:$ref_port/health" && break; sleep 0.5; done
curl -sf -o /dev/null "http://127.0.0.1:$ref_port/health" || {
  echo "compare: the reference did not come up on port $ref_port (see /tmp/fastapi-ref.log)" >&2; exit 1; }
rps() { wrk -t1 -c"$conns" -d"${secs}s" --latency -s "$here/predict.lua" "$1" | tee -a /tmp/compare-wrk.log |
        awk '/Requests\/sec/ {print $2}'; }
: >/tmp/compare-wrk.log
ref_url=http://127.0.0.1:$ref_port/predict
a1=$(rps "$url"); b1=$(rps "$ref_url"); a2=$(rps "$url"); b2=$(rps "$ref_url")
errors=$(grep -c 'Non-2xx' /tmp/compare-wrk.log || true)
echo "server:    $a1 $a2 req/s"
echo "reference: $b1 $b2 req/s"
echo "runs with non-2xx answers: $errors (details: /tmp/compare-wrk.log)"
awk -v a1="$a1" -v a2="$a2" -v b1="$b1" -v b2="$b2" 'BEGIN { printf "ratio server/reference: %.1f\n", (a1 + a2) / (b1 + b2) }'
