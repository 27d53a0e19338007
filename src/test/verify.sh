#!/usr/bin/env bash
# The README's test command, and the one CI runs (.ci/run calls this very script): installs what the tests need
# and a new machine lacks, runs every test with `mvn -B verify`, then the container image's test (src/test/image.sh:
# builds the image and runs it with podman; needs root or sudo). Arguments go to Maven (e.g. -o, -Dtest=...);
# SKIP_IMAGE_TEST=1 leaves the image test out, e.g. while working on one test class.
#
# Beyond Java 17 and Maven, three tests drive real programs, always Debian's packages, never a download:
#   promtool (package prometheus): MetricsTest and PrometheusReadmeTest;
#   chromium and chromium-driver: SwaggerUiBrowserTest.
# What is already there is left alone; apt-get runs as root, or through sudo when this is not root.
set -euo pipefail
cd "$(dirname "$0")/../.."

missing=()
command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || missing+=(maven)
command -v promtool >/dev/null || missing+=(prometheus)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)

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

mvn -B verify "$@"
if [ "${SKIP_IMAGE_TEST:-0}" != 1 ]; then
  exec src/test/image.sh
fi
