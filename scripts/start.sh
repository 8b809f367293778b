#!/bin/sh
# Install TuneDesk into .venv and start it with the bundled family sample project.
set -eu
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
exec .venv/bin/tunedesk --sample "$@"
