#!/usr/bin/env bash
# Issue 17's loopback figures: one process (NODE_ROLE=all) side by side with one HTTP node and one, then two,
# scoring nodes, all on this machine. For each run: wrk's requests/s and latency, the CPU every JVM of the setup
# used (from /proc, in ms), and the batches and rows the scoring side ran (batch_size_count and _sum from
# /metrics), hence CPU µs per batch. Then one connection at a time (the hop's latency) and the batch route.
#
# usage: bench/cluster.sh            (from the repository's root, after mvn -B package; needs wrk and curl)
#   DURATION=8s ROUNDS=3 OUT=bench-results/cluster bench/cluster.sh
# Every JVM and wrk share this machine's cores: compare figures of one run side by side, not across machines.
set -euo pipefail
JAR=${JAR:-target/churn-serving.jar}
DURATION=${DURATION:-8s}
ROUNDS=${ROUNDS:-3}
OUT=${OUT:-bench-results/cluster}
mkdir -p "$OUT"
JVM=(-Xmx256m -XX:+ExitOnOutOfMemoryError)
MEMBERS=127.0.0.1:18571,127.0.0.1:18572,127.0.0.1:18573
CLUSTER=(CLUSTER_ENABLED=true CLUSTER_HOST=127.0.0.1 CLUSTER_NAME=bench-$$ CLUSTER_MEMBERS=$MEMBERS)
# METRICS_CACHE_MS=0: every scrape fresh, so the batch counts before and after a run bound exactly that run.
BASE=(CONFIG_PATH=conf/config.json ACCESS_LOG_PERCENT=0 SHUTDOWN_GRACE_MS=0 METRICS_CACHE_MS=0)
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT

start() { # name env...; the pid in $STARTED (not a subshell, so that the trap knows every pid)
  local name=$1; shift
  env "${BASE[@]}" "$@" java "${JVM[@]}" -jar "$JAR" > "$OUT/$name.log" 2>&1 &
  STARTED=$!
  PIDS+=("$STARTED")
}
ready() { for _ in $(seq 1 240); do curl -sf "$1/health/ready" > /dev/null && return 0; sleep 0.5; done
  echo "not ready: $1" >&2; exit 1; }
ticks() { local t=0 u s; for p in "$@"; do read -r u s < <(awk '{print $14, $15}' "/proc/$p/stat"); t=$((t + u + s)); done
  echo $((t * 1000 / $(getconf CLK_TCK))); }
meter() { # name urls...: the sum of a meter over every URL's /metrics
  local name=$1; shift
  for u in "$@"; do curl -s "$u/metrics"; done | awk -v n="$name" '{split($1, a, "{")} a[1] == n {s += $NF} END {printf "%d", s}'
}
run() { # label connections script url "pids" metric-urls...
  local label=$1 c=$2 script=$3 url=$4 pids=$5; shift 5
  local b0 r0 t0 b1 r1 t1 out
  local each0=() each1=() split="" p
  for p in $pids; do each0+=("$(ticks "$p")"); done
  b0=$(meter batch_size_count "$@"); r0=$(meter batch_size_sum "$@"); t0=$(ticks $pids)
  out=$(wrk -t1 -c"$c" -d"$DURATION" --latency -s "$script" "$url")
  t1=$(ticks $pids); b1=$(meter batch_size_count "$@"); r1=$(meter batch_size_sum "$@")
  for p in $pids; do each1+=("$(ticks "$p")"); done
  for i in "${!each0[@]}"; do split+="${split:+/}$((each1[i] - each0[i]))"; done
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<< "$out")
  p50=$(awk '$1 == "50%" {print $2}' <<< "$out")
  p99=$(awk '$1 == "99%" {print $2}' <<< "$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<< "$out")
  local batches=$((b1 - b0)) rows=$((r1 - r0)) cpu=$((t1 - t0))
  printf '%-29s c=%-3s %10s req/s  p50 %-8s p99 %-8s cpu %6d ms (%s)  batches %8d  rows/batch %6s  cpu/batch %6s us  non-2xx %s\n' \
    "$label" "$c" "$rps" "$p50" "$p99" "$cpu" "$split" "$batches" \
    "$(awk -v r=$rows -v b=$batches 'BEGIN {printf b ? "%.1f" : "-", b ? r / b : 0}')" \
    "$(awk -v t=$cpu -v b=$batches 'BEGIN {printf b ? "%.1f" : "-", b ? t * 1000 / b : 0}')" "${non2xx:-0}" \
    | tee -a "$OUT/results.txt"
}

# A copy of the jar: a build that replaces target/churn-serving.jar under running JVMs breaks them.
for port in 18501 18502 18511 18512 18571 18572 18573; do
  if ss -ltn | grep -q ":$port "; then echo "port $port is taken: stop what holds it" >&2; exit 1; fi
done
cp "$JAR" "$OUT/churn-serving.jar"
JAR=$OUT/churn-serving.jar
start single HTTP_PORT=18501; single=$STARTED
start http NODE_ROLE=http HTTP_PORT=18502 CLUSTER_HAZELCAST_PORT=18571 "${CLUSTER[@]}"; http=$STARTED
start scoring1 NODE_ROLE=scoring MANAGEMENT_PORT=18511 CLUSTER_HAZELCAST_PORT=18572 "${CLUSTER[@]}"; s1=$STARTED
S=http://127.0.0.1:18501 H=http://127.0.0.1:18502 M1=http://127.0.0.1:18511 M2=http://127.0.0.1:18512
ready $S; ready $H; ready $M1
: > "$OUT/results.txt"
echo "# $(date -u +%FT%TZ) $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/results.txt"
for u in $S $H; do wrk -t1 -c64 -d5s -s bench/predict.lua $u/predict > /dev/null; done
for i in $(seq 1 "$ROUNDS"); do
  run "one process" 64 bench/predict.lua $S/predict "$single" $S
  run "http + 1 scoring" 64 bench/predict.lua $H/predict "$http $s1" $M1
done
start scoring2 NODE_ROLE=scoring MANAGEMENT_PORT=18512 CLUSTER_HAZELCAST_PORT=18573 "${CLUSTER[@]}"; s2=$STARTED
ready $M2
until [ "$(grep -c 'Scoring node joined' "$OUT/http.log")" -ge 2 ]; do sleep 0.5; done
wrk -t1 -c64 -d5s -s bench/predict.lua $H/predict > /dev/null
for i in $(seq 1 "$ROUNDS"); do
  run "one process" 64 bench/predict.lua $S/predict "$single" $S
  run "http + 2 scoring" 64 bench/predict.lua $H/predict "$http $s1 $s2" $M1 $M2
done
for i in $(seq 1 "$ROUNDS"); do
  run "one process, 1 at a time" 1 bench/predict.lua $S/predict "$single" $S
  run "http + 2 scoring, 1 at a time" 1 bench/predict.lua $H/predict "$http $s1 $s2" $M1 $M2
done
for i in $(seq 1 "$ROUNDS"); do
  run "one process, batch 1000" 8 bench/batch.lua $S/v1/models/churn:predict "$single" $S
  run "http + 2 scoring, batch 1000" 8 bench/batch.lua $H/v1/models/churn:predict "$http $s1 $s2" $M1 $M2
done
