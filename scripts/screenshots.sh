#!/bin/sh
# Save PNG screenshots of every page (English and Chinese, with the sample project) and of
# the Data and Sign in pages' states into artifacts/screenshots/, offscreen. Run scripts/test.sh once
# first so .venv and the CJK font are there.
set -eu
cd "$(dirname "$0")/.."
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q \
    tests/gui/test_screenshots.py tests/gui/test_data_page_screenshots.py \
    tests/gui/test_sign_in_screenshots.py
echo "Screenshots: $(pwd)/artifacts/screenshots"
