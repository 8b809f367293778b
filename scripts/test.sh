#!/bin/sh
# Install everything the tests need on a fresh Debian machine with Python 3.11+, then run
# the whole suite (lint, types, import contracts, core, cloud through the Azure emulator, GUI).
set -eu
cd "$(dirname "$0")/.."

# Qt's offscreen platform needs these shared libraries; the CJK font makes Chinese
# screenshots readable. Installed only when missing (apt needs root, as on CI).
packages="libegl1 libgl1 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3 fonts-wqy-microhei"
missing=""
for p in $packages; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest "$@"
