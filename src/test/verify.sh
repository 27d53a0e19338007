#!/usr/bin/env bash
# The README's test command, and the one CI runs (.ci/run calls this very script): installs what the tests need
# and a new machine lacks, runs every test with `mvn -B verify`, then the container image's test (src/test/image.sh:
# builds the image and runs it with podman; needs root or sudo). Arguments go to Maven (e.g. -o, -Dtest=...);
# SKIP_IMAGE_TEST=1 leaves the image test out, e.g. while working on one test class.
#
# Beyond Java 17 and Maven, three tests drive real programs, always Debian's packages, never a download:
#   promtool (package prometheus): MetricsTest and PrometheusReadmeTest;
#   chromium and chromium-driver: SwaggerUiBrowserTest;
#   Redocly CLI (RedoclyLintTest), pinned with its whole tree by src/test/redocly/package-lock.json and installed
#   with npm ci from the npm registry into .tools/redocly (git-ignored), again only when that copy is missing or
#   differs from the lock file; Node.js and npm come from Debian when the machine has none (Node.js 18 or later).
# What is already there is left alone; apt-get runs as root, or through sudo when this is not root.
set -euo pipefail
cd "$(dirname "$0")/../.."

missing=()
command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || missing+=(maven)
command -v promtool >/dev/null || missing+=(prometheus)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
command -v npm >/dev/null || missing+=(nodejs npm)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null; then
    as_root=(sudo)
  else
    echo "The tests need these Debian packages, and installing them needs root: ${missing[*]}" >&2
    exit 1
  fi
  if ! command -v apt-get >/dev/null; then
    echo "The tests need: ${missing[*]} (Debian package names); install them with your system's package manager." >&2
    exit 1
  fi
  echo "Installing what the tests need: ${missing[*]}"
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

tools=.tools/redocly
if [ ! -x "$tools/node_modules/.bin/redocly" ] || ! cmp -s src/test/redocly/package-lock.json "$tools/package-lock.json"; then
  echo "Installing Redocly CLI into $tools"
  rm -rf "$tools" && mkdir -p "$tools"
  cp src/test/redocly/package.json src/test/redocly/package-lock.json "$tools/"
  (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error)
fi

mvn -B verify "$@"
if [ "${SKIP_IMAGE_TEST:-0}" != 1 ]; then
  exec src/test/image.sh
fi
