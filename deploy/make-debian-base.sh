#!/usr/bin/env bash
# Make a Python 3.11 base image from Debian's own packages, for machines that reach Debian's
# archive but no container registry (build-image.sh's default base comes from Docker Hub):
#
#   deploy/make-debian-base.sh                                  # -> localhost/debian-python:3.11-bookworm
#   PYTHON_IMAGE=localhost/debian-python:3.11-bookworm deploy/build-image.sh
#
# Needs root, debootstrap and buildah (apt-get install debootstrap buildah). The host's extra CA
# certificates (/usr/local/share/ca-certificates) are trusted inside too, so a build behind a
# TLS-inspecting proxy can reach PyPI; the runtime image inherits them.
set -euo pipefail
name="${BASE_IMAGE:-localhost/debian-python:3.11-bookworm}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
work=$(mktemp -d /var/tmp/debian-base.XXXXXX)
trap 'rm -rf "$work"' EXIT

debootstrap --variant=minbase --include=python3,python3-venv,python3-pip,python-is-python3,ca-certificates \
  bookworm "$work/rootfs" "$mirror"
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$work/rootfs/usr/local/share/ca-certificates/"
  chroot "$work/rootfs" update-ca-certificates >/dev/null
fi
rm -rf "$work"/rootfs/var/cache/apt/archives/*.deb "$work"/rootfs/var/lib/apt/lists/*

ctr=$(buildah from scratch)
mnt=$(buildah mount "$ctr")
cp -a "$work/rootfs/." "$mnt/"
buildah umount "$ctr" >/dev/null
buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --env LANG=C.UTF-8 \
  --cmd python "$ctr"
buildah commit --quiet "$ctr" "$name" >/dev/null
buildah rm "$ctr" >/dev/null
echo "made $name ($(chroot "$work/rootfs" python --version))"
