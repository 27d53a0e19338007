#!/usr/bin/env bash
# Makes the image's base file system as a tar: Debian bookworm, minbase variant, from Debian's own packages
# (no registry needed), with bookworm-updates and bookworm-security added and upgraded, openjdk-17-jre-headless
# (no recommends) and a user `app` with uid/gid 10001. Run as root (debootstrap and chroot need it).
#
#   make-base.sh <work dir> <output tar>
#
# MIRROR and SECURITY_MIRROR choose the archives (defaults: deb.debian.org). SOURCE_DATE_EPOCH must be set: it is
# every file's time in the tar. What goes in is only as reproducible as the mirror: the same commit built against a
# mirror that has since published a security update gives another (newer) base, and so another digest.
set -euo pipefail

work=${1:?work dir}
out=${2:?output tar}
: "${SOURCE_DATE_EPOCH:?set SOURCE_DATE_EPOCH}"
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${SECURITY_MIRROR:-http://deb.debian.org/debian-security}
APP_UID=10001

root="$work/rootfs"
log="$work/base.log"
# The package tools' chatter goes to $log; on a failure its end is shown.
quiet() { "$@" >>"$log" 2>&1 || { echo "failed: $* (end of $log follows)" >&2; tail -40 "$log" >&2; return 1; }; }
cleanup() {
  # Whatever happened, leave no mount behind in the work folder.
  for m in proc sys dev/pts dev; do mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m" || true; done
}
assert_unmounted() {
  for m in proc sys dev; do
    if mountpoint -q "$root/$m" 2>/dev/null; then echo "$root/$m is still mounted; not touching it" >&2; exit 1; fi
  done
}
trap cleanup EXIT
cleanup
assert_unmounted
rm -rf "$root"
mkdir -p "$root" "$work/debs"
: > "$log"

# minbase: essential packages and apt only. Packages are kept in $work/debs so that a second build in the same
# folder downloads nothing it already has.
quiet debootstrap --variant=minbase --keyring=/usr/share/keyrings/debian-archive-keyring.gpg --cache-dir="$(realpath "$work/debs")" bookworm "$root" "$MIRROR"

# Never install what a server does not read: documentation (but the copyright files), manual pages, translations,
# javac's symbol table (ct.sym) and the class-data archive for heaps over 32 GB (classes_nocoops.jsa). dpkg skips these paths
# for every package installed from here on; what debootstrap already installed is deleted below.
cat > "$root/etc/dpkg/dpkg.cfg.d/01-slim" <<'CFG'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-exclude=/usr/share/lintian/*
path-exclude=/usr/share/linda/*
path-exclude=/usr/share/bug/*
path-exclude=/usr/lib/jvm/*/lib/ct.sym
path-exclude=/usr/lib/jvm/*/lib/server/classes_nocoops.jsa
CFG
cat > "$root/etc/apt/apt.conf.d/01-slim" <<'CFG'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
CFG

# debootstrap installs the release suite only: add updates and security, then upgrade and install the JRE from all
# three, so the base carries Debian's current fixes.
cat > "$root/etc/apt/sources.list" <<LIST
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb $SECURITY_MIRROR bookworm-security main
LIST
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"   # the JRE's postinst runs java (ca-certificates-java), which needs /proc
mount --bind /dev "$root/dev"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }
quiet in_root apt-get update -qq
quiet in_root apt-get -y -qq -o Dpkg::Use-Pty=0 dist-upgrade
quiet in_root apt-get -y -qq -o Dpkg::Use-Pty=0 install openjdk-17-jre-headless
quiet in_root apt-get clean
quiet in_root dpkg-query -W -f '${Package} ${Version}\n'   # what went in, for the log

# The JVM's trust store as ca-certificates-java writes it (PKCS#12) carries random salts, so it differs from build
# to build. It holds only public certificates: rewrite it with neither encryption nor MAC, which makes it a pure
# function of the certificates (the server itself makes no outbound TLS call unless OpenTelemetry export is on).
cacerts=/etc/ssl/certs/java/cacerts
quiet in_root keytool -importkeystore -noprompt -srckeystore "$cacerts" -srcstorepass changeit \
  -destkeystore /tmp/cacerts -deststoretype pkcs12 -deststorepass changeit \
  -J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE -J-Dkeystore.pkcs12.macAlgorithm=NONE
mv "$root/tmp/cacerts" "$root$cacerts"
chmod 644 "$root$cacerts"
cleanup

# The user the server runs as. Written directly rather than with useradd, which stamps today's date in /etc/shadow.
echo "app:x:$APP_UID:$APP_UID:churn-serving:/nonexistent:/usr/sbin/nologin" >> "$root/etc/passwd"
echo "app:x:$APP_UID:" >> "$root/etc/group"
echo "app:!:::::::" >> "$root/etc/shadow"
echo "app:!::" >> "$root/etc/gshadow"
# pwconv stamped every account's last password change with the day of the build: blank that field.
sed -i -E 's/^([^:]*:[^:]*:)[0-9]*:/\1:/' "$root/etc/shadow"

# Everything that is a record of this particular build rather than part of the system: logs, caches, apt lists,
# the host's resolver, backup copies of dpkg's and debconf's databases, and what the deleted paths held.
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old \
  "$root"/var/cache/ldconfig/aux-cache "$root"/var/cache/fontconfig/* \
  "$root"/var/log/* "$root"/var/lib/dpkg/*-old "$root"/tmp/* "$root"/var/tmp/* "$root"/root/.??* \
  "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* "$root"/usr/share/lintian/* \
  "$root"/etc/ssh/ssh_host_*
find "$root"/usr/share/doc -mindepth 2 ! -name copyright ! -type d -delete
find "$root"/usr/share/doc -mindepth 1 -type d -empty -delete
: > "$root/etc/resolv.conf"    # podman and Kubernetes mount their own
: > "$root/etc/machine-id" 2>/dev/null || true
echo churn-serving > "$root/etc/hostname"

# One tar, entries sorted, every time and owner fixed, so it is a function of the files alone. /dev, /proc and /sys
# go in empty: the runtime mounts its own.
assert_unmounted
tar --exclude=./dev/* --exclude=./proc/* --exclude=./sys/* --sort=name --mtime="@$SOURCE_DATE_EPOCH" --clamp-mtime --numeric-owner --xattrs --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
  -C "$root" -cf "$out" .
