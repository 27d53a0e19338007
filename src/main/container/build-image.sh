#!/usr/bin/env bash
# Builds the container image: target/image/churn-serving-oci.tar (an OCI archive), loaded into the local podman
# store as churn-serving:<version> and churn-serving:latest. Arguments go to Maven (e.g. -o).
#
#   src/main/container/build-image.sh
#
# Needs root (debootstrap, and buildah's and podman's system store), or sudo. Installs what a new Debian or Ubuntu
# machine lacks (debootstrap, buildah, podman, runc; Java and Maven) with apt-get. Network: Maven Central (unless
# -o) and a Debian mirror (MIRROR, SECURITY_MIRROR; default deb.debian.org), no container registry.
#
# Reproducible: the jar's entries carry the commit's time (project.build.outputTimestamp), the base tar's files
# that time too, and every layer file and image date is 0 (buildah bud --timestamp 0). Two builds of one commit
# give one digest as long as Debian's mirror has not changed in between (a new security update changes the base).
set -euo pipefail
cd "$(dirname "$0")/../../.."

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then exec sudo -E "$0" "$@"; fi
  echo "Building the image needs root (debootstrap, chroot, buildah's system store)" >&2
  exit 1
fi

missing=()
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v buildah >/dev/null || missing+=(buildah)
command -v podman >/dev/null || missing+=(podman)
command -v runc >/dev/null || missing+=(runc)
# debootstrap checks Debian's Release files with Debian's keys, which an Ubuntu machine lacks.
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || missing+=(debian-archive-keyring)
command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || missing+=(maven)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing what the image build needs: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# One time for everything, the commit's: the jar's entries, the base's files. An uncommitted change still builds,
# stamped with the last commit's time.
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)
fi
export SOURCE_DATE_EPOCH
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
timestamp=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)

start=$(date +%s)
mvn -B -q -Dstyle.color=never -DskipTests "-Dproject.build.outputTimestamp=$timestamp" package "$@"
version=$(sed -n 's/^version=//p' target/classes/churn-serving/build.properties)

out=target/image
mkdir -p "$out"
src/main/container/make-base.sh "$out/work" "$out/work/base.tar"

# The app layer's context: jar, models, conf, with modes fixed (a checkout's depend on its umask); owned by root.
ctx="$out/work/context"
rm -rf "$ctx"
mkdir -p "$ctx/app"
cp target/churn-serving.jar "$ctx/app/"
cp -r models conf "$ctx/app/"
chmod -R u=rwX,go=rX "$ctx"
chown -R 0:0 "$ctx"

buildah() { command buildah --storage-driver overlay "$@"; }
base=localhost/churn-serving-base:bookworm
build=localhost/churn-serving-build:$revision
buildah bud -q --timestamp 0 --isolation chroot -f src/main/container/Containerfile.base -t "$base" "$out/work" >/dev/null
buildah bud -q --timestamp 0 --isolation chroot --build-arg "BASE=$base" --build-arg "VERSION=$version" \
  --build-arg "REVISION=$revision" -f src/main/container/Containerfile -t "$build" "$ctx" >/dev/null

# The OCI layout, tarred here with sorted entries and fixed times and owners (buildah's oci-archive stamps the
# time of the push), so that the archive file too is the same from build to build, not only the digest.
archive="$out/churn-serving-oci.tar"
layout="$out/work/oci"
rm -rf "$archive" "$layout"
buildah push -q "$build" "oci:$layout:churn-serving:$version" >/dev/null
buildah rmi "$build" >/dev/null
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=posix \
  --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime -C "$layout" -cf "$archive" oci-layout index.json blobs

# What podman runs is what the archive holds: load it back rather than tag the build.
loaded=$(podman load -q -i "$archive" | sed -n 's/^Loaded image[^:]*: *//p' | tail -1)
podman tag "$loaded" "churn-serving:$version" "churn-serving:latest"

digest=$(sed -E 's/.*"digest":"(sha256:[0-9a-f]+)".*/\1/' "$layout/index.json")
unpacked=$(podman image inspect --format '{{.Size}}' "churn-serving:$version")
echo "churn-serving:$version and :latest loaded from $archive"
echo "manifest digest $digest, image id $(podman image inspect --format '{{.Id}}' "churn-serving:$version")"
echo "size: $(stat -c %s "$archive") bytes compressed (the archive), $unpacked bytes unpacked; built in $(( $(date +%s) - start )) s"
echo "archive sha256 $(sha256sum "$archive" | cut -d' ' -f1)"
rm -rf "$out/work/rootfs" "$ctx" "$layout"
