#!/usr/bin/env bash
# Regenerate deploy/requirements.lock: the production image's exact dependency versions, with hashes.
#
#   deploy/lock.sh            # re-resolve from pyproject.toml, keeping current pins where still allowed
#   deploy/lock.sh --upgrade  # move every pin to the newest release pyproject.toml allows
#
# Uses uv (installed into a throwaway virtualenv if it isn't on PATH) against PyPI, for Linux and
# CPython 3.11 (the image's platform). Commit the result; the image build installs with --require-hashes.
set -euo pipefail
cd "$(dirname "$0")/.."
uv=$(command -v uv || true)
if [ -z "$uv" ]; then
  tools=$(mktemp -d)
  python3 -m venv "$tools" && "$tools/bin/pip" install -q uv
  uv="$tools/bin/uv"
fi
"$uv" pip compile pyproject.toml --quiet --generate-hashes --python-version 3.11 --python-platform linux \
  --index-url https://pypi.org/simple --custom-compile-command "deploy/lock.sh" \
  -o deploy/requirements.lock "$@"
