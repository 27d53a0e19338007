#!/usr/bin/env bash
# The container image, tested for real (CI runs this after src/test/verify.sh; .ci/run calls it): builds the image
# with the README's image command (src/main/container/build-image.sh; arguments go to Maven, e.g. -o), then
#   - a start with no key is refused (it binds 0.0.0.0 inside, where the development key is not allowed);
#   - runs it as CI and a hardened runtime would: podman with runc, read-only root, a tmpfs on /tmp, a memory
#     limit, an API key from the environment;
#   - waits for /health/ready, scores one customer with POST /predict;
#   - checks the process is uid 10001 (podman exec ... id), and prints its memory (RSS);
#   - stops it with SIGTERM (podman stop) and checks the log shows the grace period and the drain, and exit code 0.
# Needs root, or sudo (as the build does). podman's default runtime, crun, fails on these machines ("cgroups in
# hybrid mode"), and the default rlimits cannot be raised here, hence --runtime runc and the --ulimit options.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then exec sudo -E "$0" "$@"; fi
  echo "The image test needs root (the build does), or sudo" >&2
  exit 1
fi

src/main/container/build-image.sh "$@"
version=$(sed -n 's/^version=//p' target/classes/churn-serving/build.properties)
image="churn-serving:$version"
run=(podman run --runtime runc --ulimit nofile=20000:20000 --ulimit nproc=32768:32768)
key="ci-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
fail() { echo "image test FAILED: $*" >&2; [ -n "${cid:-}" ] && podman logs "$cid" 2>&1 | tail -30 >&2; exit 1; }

# 1. No key: refused, with the reason. Binding 0.0.0.0 with only the public development key would let anyone in.
set +e
refusal=$("${run[@]}" --rm "$image" 2>&1)
status=$?
set -e
[ "$status" -eq 1 ] || fail "a start without a key exited $status, expected 1: $refusal"
grep -q "refusing to bind 0.0.0.0 with no API key configured" <<<"$refusal" || fail "unexpected refusal: $refusal"
echo "ok: without a key the container refuses to start (exit 1)"

# 2. Run it hardened, on a free port of the host's loopback.
cid=$("${run[@]}" -d --read-only --tmpfs /tmp:rw,exec,nosuid,nodev,size=64m --memory 512m \
  -e API_KEYS="$key" -p 127.0.0.1::8080 "$image")
trap 'podman rm -f "$cid" >/dev/null 2>&1 || true' EXIT
port=$(podman port "$cid" 8080/tcp | sed 's/.*://')
ready=""
for _ in $(seq 1 120); do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready")" = 200 ]; then ready=yes; break; fi
  [ "$(podman inspect -f '{{.State.Running}}' "$cid")" = true ] || fail "the container stopped before it was ready"
  sleep 0.5
done
[ -n "$ready" ] || fail "/health/ready did not answer 200 within 60 s"
echo "ok: ready on 127.0.0.1:$port ($(podman logs "$cid" 2>&1 | grep -o '"startup_ms":[0-9]*'))"

answer=$(curl -s -w '\n%{http_code}' -X POST "http://127.0.0.1:$port/predict" -H 'Content-Type: application/json' \
  -H "X-API-Key: $key" \
  -d '{"tenure_months": 24, "monthly_charges": 79.5, "contract_type": "month-to-month", "num_products": 2, "internet_service": "Fiber"}')
[ "$(tail -1 <<<"$answer")" = 200 ] || fail "POST /predict answered: $answer"
grep -q '"churn_probability":0\.[0-9]' <<<"$answer" || fail "POST /predict answered: $answer"
echo "ok: POST /predict scored one customer: $(head -1 <<<"$answer")"

who=$(podman exec "$cid" id)
[ "$(podman exec "$cid" id -u)" = 10001 ] && [ "$(podman exec "$cid" id -g)" = 10001 ] || fail "runs as: $who"
echo "ok: runs as $who; $(podman exec "$cid" grep VmRSS /proc/1/status | tr -s ' \t' ' ')"

# 3. SIGTERM: readiness 503 for SHUTDOWN_GRACE_MS while serving, then the drain, then exit 0. -t 30 leaves room
#    for the default 5 s grace and 10 s drain before podman would kill.
podman stop -t 30 "$cid" >/dev/null
code=$(podman inspect -f '{{.State.ExitCode}}' "$cid")
logs=$(podman logs "$cid" 2>&1)
grep -q '"message":"Shutting down: readiness is 503' <<<"$logs" || fail "no shutdown line in the log"
grep -q '"message":"Draining accepted requests' <<<"$logs" || fail "no drain line in the log"
grep -q '"message":"Drained"' <<<"$logs" || fail "the drain did not finish"
[ "$code" = 0 ] || fail "exit code $code after podman stop, expected 0"
echo "ok: podman stop (SIGTERM): grace period, drain, exit code 0"
echo "image test passed"
