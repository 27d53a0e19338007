#!/usr/bin/env bash
# Starts the reference FastAPI churn service in the foreground: gunicorn with uvicorn workers, the stack the Python
# original would deploy, and what README's side-by-side figures were measured against.
# usage: bench/fastapi_churn/run.sh [PORT] [WORKERS]   (defaults 18000, 2 = one per core on the 2-core machine measured)
#        bench/fastapi_churn/run.sh --setup            only install the packages and train the model, then exit
# The first time, installs from Debian 12's packages with apt-get (as root, or through sudo): python3-fastapi (which
# brings Pydantic 1.10), python3-uvicorn, python3-httptools, python3-uvloop, gunicorn and python3-sklearn; about
# 90 MB to fetch and 550 MB installed, most of it SciPy under scikit-learn. Then trains the model once into
# artifacts/ (train.py, seeded, a few seconds).
# Environment: API_KEYS (comma-separated, default dev-key), LOG_LEVEL (default INFO: one JSON line per prediction).
set -euo pipefail
cd "$(dirname "$0")"
packages=(python3-fastapi python3-uvicorn python3-httptools python3-uvloop gunicorn python3-sklearn)
if ! /usr/bin/python3 -c 'import fastapi, pydantic, uvicorn, httptools, uvloop, sklearn' 2>/dev/null \
    || [[ ! -x /usr/bin/gunicorn ]]; then
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  echo "fastapi_churn: installing ${packages[*]} from Debian's packages" >&2
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi
[[ -f artifacts/model.pkl && -f artifacts/scaler.pkl ]] || /usr/bin/python3 train.py >&2
[[ ${1:-} == --setup ]] && exit 0
port=${1:-18000} workers=${2:-2}
exec /usr/bin/gunicorn app.main:app -w "$workers" -k uvicorn.workers.UvicornWorker -b "127.0.0.1:$port" \
  --log-level warning
