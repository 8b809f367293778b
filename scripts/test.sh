#!/bin/sh
# Install everything the tests need on a fresh Debian machine with Python 3.11+, run the
# whole suite (lint, types, import contracts, core, cloud through the Azure emulator, GUI)
# and then, once it has passed, build the Linux bundle and smoke-test it
# (packaging/linux/build.sh: ~2 minutes more, the bundle in dist/TuneDesk).
#
#   sh scripts/test.sh                   the suite, then the bundle (what CI runs)
#   sh scripts/test.sh PYTEST_ARGS...    only pytest with those arguments, no bundle
#                                        (e.g. tests/core -k tokens)
# TUNEDESK_BUNDLE=1 builds and smoke-tests the bundle after pytest with arguments too;
# TUNEDESK_BUNDLE=0 skips it after the whole suite. CI (CI set) always builds it.
set -eu
cd "$(dirname "$0")/.."

bundle=${TUNEDESK_BUNDLE:-}
if [ -n "${CI:-}" ]; then
    bundle=1
elif [ -z "$bundle" ] && [ $# -eq 0 ]; then
    bundle=1
fi

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
# The pinned PyInstaller too: tests of the packaging recipes use it, and the bundle below.
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]' \
    -r packaging/requirements.txt
# set -e: a failing pytest ends the script here, with pytest's exit code.
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest "$@"

if [ "$bundle" = 1 ]; then
    sh packaging/linux/build.sh
fi
