#!/usr/bin/env bash
# Soak: each hostile client of `bench --attack` beside normal load, against the server as a real process (issue 12).
# usage: bench/soak.sh [ATTACK ...]        (no names: every attack `bench --attack list` names, in its order)
#        bench/soak.sh busy-core ...       a control, not an attack: shell loops burning both cores, at the
#                                          attacker's nice, to show what a client's own CPU costs
#
# Per attack, on a fresh server process (so no attack inherits another's leftovers):
#   1. start the server: java $SERVER_OPTS -jar ... with HTTP_PORT=$PORT; wait until /health/ready answers 200;
#   2. baseline: normal load alone, `bench --mode open --rate $RATE` on POST /predict, $WARMUP s then $BASELINE s;
#   3. start the attacker (`bench --attack NAME`), give it $RAMP s to build up, then the same normal load again,
#      $WARMUP s then $DURATION s, beside it;
#   4. SIGTERM the server, the attack still running (SIGTERM_UNDER_ATTACK=1) or stopped first (0); record the exit
#      status and how long the exit took; then stop the attacker, which reports what it did.
#   Throughout, once a second: the server's RSS (ps -o rss=) and GET /health/live with a 2 s timeout.
# Baseline and attacked run share one server, one after the other, so they compare the same JIT-warm process on the
# same noisy machine minutes apart; a fresh server per attack keeps the attacks apart.
#
# Prints one line per attack and a verdict: PASS when no OutOfMemoryError, /health/live always answered 200 during
# the baseline and the attack, normal clients' p99 under attack was at most 2x the baseline's, and the server exited
# 0 on SIGTERM. Everything (server logs, bench and attack reports, samples.csv, /metrics at the end) is kept under
# $OUT/<attack>/, and the lines in $OUT/summary.txt and $OUT/summary.tsv.
#
# Settings (environment):
#   DURATION=300       seconds of normal load measured beside the attack (issue 12: 5 minutes)
#   BASELINE=$DURATION seconds of normal load measured without it
#   RATE=5000          normal load, requests/s, open loop: well under what the server does on these 2 cores
#                      (60-70k req/s with wrk), so the machine is not saturated before the attack starts
#   CONNECTIONS=64     normal load's connections
#   WARMUP=10          seconds of normal load before each measured run, not measured
#   RAMP=5             seconds the attack runs before the normal load starts
#   PORT=18080         the server's port (HTTP_PORT)
#   SERVER_OPTS="-Xmx256m -XX:+ExitOnOutOfMemoryError"   the server's JVM options, as README's command
#   SERVER_ENV=""      extra environment for the server, e.g. "MANAGEMENT_PORT=18081 LOG_LEVEL=WARN"
#   ATTACK_OPTS=""     extra attacker options for every attack, e.g. "--connections 100"
#   ATTACKER_JVM="-Xmx1g"  the attacker's JVM options
#   ATTACKER_NICE=19   the attacker's nice value. The attacker shares this machine's two cores with the server and the
#                      load generator; in a real attack its CPU is its own, not the server's. At nice 19 it runs on
#                      what the other two leave, so what the soak shows is what the attack makes the *server* do, not
#                      the CPU the attacking client burns itself (the busy-core control shows what a client burning
#                      both cores at this nice costs). 0 lets the attacker compete as an equal.
#   SIGTERM_UNDER_ATTACK=1 SIGTERM while the attack still runs; 0 stops the attack 5 s before
#   JAR=target/churn-serving.jar   OUT=bench-results/soak-<date>-<time>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

DURATION=${DURATION:-300}
BASELINE=${BASELINE:-$DURATION}
RATE=${RATE:-5000}
CONNECTIONS=${CONNECTIONS:-64}
WARMUP=${WARMUP:-10}
RAMP=${RAMP:-5}
PORT=${PORT:-18080}
SERVER_OPTS=${SERVER_OPTS:--Xmx256m -XX:+ExitOnOutOfMemoryError}
SERVER_ENV=${SERVER_ENV:-}
ATTACK_OPTS=${ATTACK_OPTS:-}
ATTACKER_JVM=${ATTACKER_JVM:--Xmx1g}
ATTACKER_NICE=${ATTACKER_NICE:-19}
SIGTERM_UNDER_ATTACK=${SIGTERM_UNDER_ATTACK:-1}
JAR=${JAR:-target/churn-serving.jar}
OUT=${OUT:-bench-results/soak-$(date +%Y%m%d-%H%M%S)}

command -v jq >/dev/null || { echo "soak: needs jq (apt-get install jq)" >&2; exit 2; }
[[ -f $JAR ]] || { echo "soak: no $JAR; build it with mvn -q -B -DskipTests package" >&2; exit 2; }
if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/"; then
  echo "soak: something already answers on port $PORT; set PORT" >&2
  exit 2
fi
mkdir -p "$OUT"
# Everything runs from a copy of the jar: a server whose jar is rebuilt under it fails to load the classes it has
# not loaded yet (every 4xx answer closed the connection with NoClassDefFoundError in a trial), which would be
# reported as the attack's doing.
work=$(mktemp -d)
cp "$JAR" "$work/churn-serving.jar"
jar=$work/churn-serving.jar

attacks=("$@")
if [[ ${#attacks[@]} -eq 0 ]]; then
  mapfile -t attacks < <(java -jar "$jar" bench --attack list | awk '/^[a-z0-9]/ {print $1}')
fi

server_pid='' attacker_pid='' sampler_pid=''
cleanup() {
  for pid in $sampler_pid $attacker_pid $server_pid; do
    kill "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

url=http://127.0.0.1:$PORT
rss_kb() { ps -o rss= -p "$1" 2>/dev/null | tr -d ' ' || true; }

# Once a second until the server is gone: time, phase, RSS in kB, /health/live status (000: no answer in 2 s) and
# its time.
sample() {
  local dir=$1 pid=$2 live
  while kill -0 "$pid" 2>/dev/null; do
    live=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 2 "$url/health/live" || true)
    echo "$(date +%s),$(cat "$dir/phase"),$(rss_kb "$pid"),${live% *},${live#* }" >>"$dir/samples.csv"
    sleep 1
  done
}

# Normal load: open loop, so a stalled server shows as latency from each request's due time (coordinated omission
# corrected); its p99 is the figure the issue compares.
normal_load() {
  local dir=$1 name=$2 seconds=$3
  java -jar "$jar" bench --mode open --rate "$RATE" --connections "$CONNECTIONS" --duration "${seconds}s" \
    --warmup "${WARMUP}s" --timeout 10s --url "$url/predict" --out "$dir/$name" >"$dir/$name.txt" 2>&1 || true
}

p99() { jq -r '.latency_ms.p99 // "nan"' "$1" 2>/dev/null || echo nan; }
# Service time counts from when a request actually left: far below the p99 above, the wait was for a free
# connection or in the load generator itself, not in the server.
service_p99() { jq -r '.service_time_ms.p99 // "nan"' "$1" 2>/dev/null || echo nan; }
normal_errors() {
  jq -r '([.error_status_counts[]] | add // 0) + ([.transport_errors[]] | add // 0)' "$1" 2>/dev/null || echo nan
}
never_sent() { jq -r '.schedule.never_sent // 0' "$1" 2>/dev/null || echo nan; }
mb() { [[ -n ${1:-} ]] && awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }' || echo "?"; }

printf 'attack\tp99_baseline_ms\tp99_attack_ms\tratio\tnormal_errors\tnever_sent\tlive_failures\tlive_samples\trss_start_mb\trss_before_mb\trss_max_mb\trss_end_mb\texit_status\texit_s\toom\tverdict\tattack_counts\n' \
  >"$OUT/summary.tsv"
echo "soak: ${#attacks[@]} attack(s), ${DURATION}s each beside ${RATE} req/s of normal load (baseline ${BASELINE}s), server $SERVER_OPTS; results in $OUT" \
  | tee "$OUT/summary.txt"

for attack in "${attacks[@]}"; do
  dir=$OUT/$attack
  mkdir -p "$dir"
  echo starting >"$dir/phase"
  : >"$dir/samples.csv"

  # shellcheck disable=SC2086 # SERVER_OPTS and SERVER_ENV are word lists on purpose
  env HTTP_PORT="$PORT" $SERVER_ENV java $SERVER_OPTS -jar "$jar" >"$dir/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 120); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url/health/ready" || true) == 200 ]] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.5
  done
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "$attack: the server did not start (see $dir/server.log)" | tee -a "$OUT/summary.txt"
    server_pid=''
    continue
  fi
  sample "$dir" "$server_pid" &
  sampler_pid=$!
  rss_start=$(rss_kb "$server_pid")

  echo baseline >"$dir/phase"
  normal_load "$dir" baseline "$BASELINE"
  echo between >"$dir/phase"
  rss_before=$(rss_kb "$server_pid")

  if [[ $attack == busy-core ]]; then
    nice -n "$ATTACKER_NICE" bash -c 'while :; do :; done & other=$!; trap "kill \$other; exit" TERM; while :; do :; done' &
  else
    # shellcheck disable=SC2086
    nice -n "$ATTACKER_NICE" java $ATTACKER_JVM -jar "$jar" bench --attack "$attack" --url "$url" \
      --duration "$((RAMP + WARMUP + DURATION + 300))s" --progress 30s --out "$dir/attack" $ATTACK_OPTS \
      >"$dir/attack.txt" 2>"$dir/attack.err" &
  fi
  attacker_pid=$!
  echo attack >"$dir/phase"
  sleep "$RAMP"
  normal_load "$dir" attacked "$DURATION"
  echo after >"$dir/phase"
  rss_end=$(rss_kb "$server_pid")
  curl -s --max-time 5 "$url/metrics" >"$dir/metrics-end.txt" || true

  if [[ $SIGTERM_UNDER_ATTACK != 1 ]]; then
    kill -TERM "$attacker_pid" 2>/dev/null || true
    wait "$attacker_pid" || true
    attacker_pid=''
    sleep 5
    rss_end=$(rss_kb "$server_pid")
  fi

  echo sigterm >"$dir/phase"
  started=$(date +%s.%N)
  kill -TERM "$server_pid" 2>/dev/null || true
  exit_status=''
  for _ in $(seq 1200); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$server_pid" 2>/dev/null; then
    exit_status=hung
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  status=0
  wait "$server_pid" || status=$?
  [[ -z $exit_status ]] && exit_status=$status
  exit_s=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  server_pid=''
  if [[ -n $attacker_pid ]]; then
    kill -TERM "$attacker_pid" 2>/dev/null || true
    wait "$attacker_pid" || true
    attacker_pid=''
  fi
  wait "$sampler_pid" 2>/dev/null || true
  sampler_pid=''

  base=$(p99 "$dir/baseline.json")
  hit=$(p99 "$dir/attacked.json")
  service_base=$(service_p99 "$dir/baseline.json")
  service_hit=$(service_p99 "$dir/attacked.json")
  ratio=$(awk -v a="$base" -v b="$hit" 'BEGIN { if (a + 0 > 0) printf "%.2f", b / a; else print "nan" }')
  errors=$(normal_errors "$dir/attacked.json")
  unsent=$(never_sent "$dir/attacked.json")
  live_samples=$(awk -F, '$2 == "baseline" || $2 == "attack"' "$dir/samples.csv" | wc -l)
  live_failures=$(awk -F, '($2 == "baseline" || $2 == "attack") && $4 != "200"' "$dir/samples.csv" | wc -l)
  rss_max=$(awk -F, '$2 == "attack" && $3 + 0 > m { m = $3 + 0 } END { print m + 0 }' "$dir/samples.csv")
  # The start-up WARN about a missing -XX:+ExitOnOutOfMemoryError names the error too; it is not one.
  oom=$(grep -E 'OutOfMemoryError|Out of memory \(' "$dir/server.log" | grep -vc 'ExitOnOutOfMemoryError' || true)
  counts=$(jq -r '[(.counts | to_entries[] | "\(.key)=\(.value)"), (.statuses | to_entries[] | "status_\(.key)=\(.value)"),
      (.errors | to_entries[] | "error[\(.key)]=\(.value)"), (.max | to_entries[] | "max_\(.key)=\(.value)")] | join(" ")' \
      "$dir/attack.json" 2>/dev/null || echo "no attack report (see $dir/attack.err)")
  [[ $attack == busy-core ]] && counts="shell loops burning both cores at nice $ATTACKER_NICE (control, not an attack)"
  refusals=$(awk '/^http_refusals_total\{/ && $2 + 0 > 0 { sub(/.*reason="/, "", $1); sub(/".*/, "", $1); printf "%s%s=%d", s, $1, $2; s = "," }' \
      "$dir/metrics-end.txt" 2>/dev/null || true)
  in_flight=$(awk '/^requests_in_flight / { print $2 + 0 }' "$dir/metrics-end.txt" 2>/dev/null || true)

  why=()
  [[ $oom -gt 0 ]] && why+=("OOM")
  [[ $live_failures -gt 0 ]] && why+=("live failed $live_failures")
  awk -v r="$ratio" 'BEGIN { exit !(r == "nan" || r + 0 > 2) }' && why+=("p99 x$ratio")
  [[ $exit_status != 0 ]] && why+=("exit $exit_status")
  if [[ ${#why[@]} -eq 0 ]]; then verdict=PASS; else verdict="FAIL(${why[*]})"; fi

  line=$(printf '%-21s p99 %s -> %s ms (x%s; service p99 %s -> %s)  normal errors %s, never sent %s  live failures %s/%s  RSS MB start %s before %s max %s end %s  exit %s in %ss  OOM %s  %s\n    server at the end: refusals %s, requests_in_flight %s\n    attack: %s' \
    "$attack" "$base" "$hit" "$ratio" "$service_base" "$service_hit" "$errors" "$unsent" "$live_failures" "$live_samples" "$(mb "$rss_start")" \
    "$(mb "$rss_before")" "$(mb "$rss_max")" "$(mb "$rss_end")" "$exit_status" "$exit_s" "$oom" "$verdict" \
    "${refusals:-none}" "${in_flight:-?}" "$counts")
  echo "$line" | tee -a "$OUT/summary.txt"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$attack" "$base" "$hit" "$ratio" \
    "$errors" "$unsent" "$live_failures" "$live_samples" "$(mb "$rss_start")" "$(mb "$rss_before")" \
    "$(mb "$rss_max")" "$(mb "$rss_end")" "$exit_status" "$exit_s" "$oom" "$verdict" "$counts" >>"$OUT/summary.tsv"
done
echo "soak: done; $OUT/summary.txt, $OUT/summary.tsv, and per attack $OUT/<attack>/" | tee -a "$OUT/summary.txt"
