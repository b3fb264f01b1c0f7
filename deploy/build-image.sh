#!/usr/bin/env bash
# Build the ilm-bot image from the repository root, tagged with pyproject.toml's version.
#
#   deploy/build-image.sh                 # ilm-bot:<version>
#   IMAGE=registry.example.com/ilm-bot deploy/build-image.sh
#   PYTHON_IMAGE=my-mirror/python:3.11-slim-bookworm deploy/build-image.sh   # another base image
#
# Uses docker when a Docker daemon answers, else buildah (`buildah bud --isolation chroot`, which
# needs no daemon and works unprivileged in CI containers). Prints the image's size and digest:
# pin the Deployment to the digest once the image is pushed.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -n1)
image="${IMAGE:-ilm-bot}:${version}"
build_args=()
if [ -n "${PYTHON_IMAGE:-}" ]; then
  build_args+=(--build-arg "PYTHON_IMAGE=${PYTHON_IMAGE}")
fi

if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  docker build -f deploy/Dockerfile -t "$image" "${build_args[@]}" .
  size=$(docker image inspect --format '{{.Size}}' "$image")
  digest=$(docker image inspect --format '{{.Id}}' "$image")
elif command -v buildah >/dev/null 2>&1; then
  # docker format: the OCI format has no HEALTHCHECK and buildah would drop it
  buildah bud --isolation chroot --layers --format docker -f deploy/Dockerfile -t "$image" "${build_args[@]}" .
  size=$(buildah inspect --type image --format '{{.ImageSize}}' "$image" 2>/dev/null || echo 0)
  if [ "$size" = 0 ] || [ -z "$size" ]; then
    size=$(buildah images --noheading --format '{{.Size}}' "$image" | head -n1)
  fi
  digest=$(buildah images --noheading --digests --format '{{.Digest}}' "$image" | head -n1)
else
  echo "build-image.sh: neither a Docker daemon nor buildah is available (apt-get install buildah)" >&2
  exit 1
fi
echo "built $image  size=$size  digest=$digest"
