#!/bin/sh
# Click through the real TuneDesk against the local Azure emulator, with no Azure account:
#
#     sh scripts/emulator.sh [--fresh] [TUNEDESK OPTIONS...]      (e.g. --lang zh_CN)
#
# 1. makes sure .venv holds the app and the test extras (pip install -e '.[test]' if needed);
# 2. starts `python -m tests.azure_emulator serve` in the background on a free loopback port,
#    with its persistent CA, logging to $DIR/emulator.log;
# 3. starts `tunedesk --sample` with only the emulator's standard proxy/CA variables
#    (HTTPS_PROXY, NO_PROXY, REQUESTS_CA_BUNDLE, SSL_CERT_FILE, ...) and a throwaway profile
#    in $DIR/profile (XDG folders), so your real settings and sign-in stay untouched;
#    --fresh wipes that profile first;
# 4. stops the emulator when the app exits or on Ctrl+C.
# It prints the sign-in facts and the log's path. DIR: ${XDG_CACHE_HOME:-~/.cache}/tunedesk-emulator.
set -eu
cd "$(dirname "$0")/.."

fresh=0
for arg do
    shift
    case "$arg" in
        --fresh) fresh=1 ;;
        -h|--help) sed -n '2,14s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) set -- "$@" "$arg" ;;
    esac
done

if [ "$(uname -s)" = Darwin ]; then
    echo "scripts/emulator.sh keeps your profile apart through XDG folders, which macOS apps" >&2
    echo "do not use; run the emulator by hand (tests/azure_emulator/README.md)." >&2
    exit 1
fi

# -- the app and the test extras in .venv (pip only when something is missing or too old)
[ -x .venv/bin/python ] || python3 -m venv .venv
if ! .venv/bin/python - >/dev/null 2>&1 <<'EOF'
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

import tunedesk

assert Path(tunedesk.__file__).resolve().parents[1] == Path("app").resolve(), "other checkout"
project = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))["project"]
for spec in project["dependencies"] + project["optional-dependencies"]["test"]:
    req = Requirement(spec)
    if req.marker is None or req.marker.evaluate():
        assert req.specifier.contains(metadata.version(req.name), prereleases=True), spec
EOF
then
    echo "Installing TuneDesk and the test tools into .venv ..."
    .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
fi

dir="${XDG_CACHE_HOME:-$HOME/.cache}/tunedesk-emulator"
profile="$dir/profile"
log="$dir/emulator.log"
envfile="$dir/emulator.env"
real_config="${XDG_CONFIG_HOME:-$HOME/.config}"
mkdir -p "$dir"
[ "$fresh" = 0 ] || rm -rf "$profile"

emulator_pid=""
app_pid=""

# Stop a child: TERM, up to 5 s to finish, then KILL.
stop_process() {
    kill "$1" 2>/dev/null || return 0
    n=0
    while kill -0 "$1" 2>/dev/null && [ "$n" -lt 50 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    kill -9 "$1" 2>/dev/null || :
    wait "$1" 2>/dev/null || :
}

cleanup() {
    trap - EXIT INT TERM HUP
    [ -z "$app_pid" ] || stop_process "$app_pid"
    if [ -n "$emulator_pid" ]; then
        stop_process "$emulator_pid"
        echo "Azure emulator stopped (log: $log)"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# -- the emulator, on a port the system picks; it writes $envfile once it listens
rm -f "$envfile"
.venv/bin/python -m tests.azure_emulator serve --port 0 --cache "$dir" --env-file "$envfile" \
    >"$log" 2>&1 &
emulator_pid=$!

# -- wait until it is ready, then take its variables (export lines) from $envfile
n=0
while [ ! -f "$envfile" ]; do
    if ! kill -0 "$emulator_pid" 2>/dev/null || [ "$n" -ge 300 ]; then
        cat "$log" >&2
        echo "The Azure emulator did not start (log: $log)." >&2
        exit 1
    fi
    sleep 0.1
    n=$((n + 1))
done
# shellcheck disable=SC1090
. "$envfile"
unset ALL_PROXY all_proxy  # nothing may go around the emulator's proxy

# The throwaway profile: platformdirs and Qt follow these on Linux (and other non-macOS Unix).
export XDG_CONFIG_HOME="$profile/config" XDG_DATA_HOME="$profile/data" \
    XDG_CACHE_HOME="$profile/cache" XDG_STATE_HOME="$profile/state"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"
# keyring reads its backend choice from the config folder: keep yours (the OS keyring stays
# the same; with none, TuneDesk itself offers to keep secrets for this session only).
if [ -f "$real_config/python_keyring/keyringrc.cfg" ]; then
    mkdir -p "$XDG_CONFIG_HOME/python_keyring"
    cp "$real_config/python_keyring/keyringrc.cfg" "$XDG_CONFIG_HOME/python_keyring/"
fi

# -- the sign-in facts (the emulator's banner) and where to look
cat "$log"
echo
echo "Emulator log (each request; UNSERVED marks a gap): $log"
echo "Throwaway TuneDesk profile: $profile (--fresh wipes it)"
echo "Sign in with a code: nothing to open, the emulator approves it."
echo

# -- the app; in the background so that Ctrl+C reaches the trap at once
.venv/bin/python -m tunedesk --sample "$@" &
app_pid=$!
status=0
wait "$app_pid" || status=$?
app_pid=""
# -- cleanup (the EXIT trap) stops the emulator
exit "$status"
