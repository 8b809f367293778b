#!/bin/sh
# Build TuneDesk for macOS, on macOS, from anywhere in the repository:
#
#     sh packaging/macos/build.sh
#
# 1. .venv with TuneDesk and PyInstaller (pip install -e '.[package]');
# 2. pyinstaller packaging/tunedesk.spec -> dist/TuneDesk.app (icon, Info.plist with the
#    version, high-DPI, macOS 12 minimum); signed with the Developer ID identity in
#    TUNEDESK_CODESIGN_IDENTITY if set (hardened runtime), ad hoc otherwise;
# 3. packaging/smoke_test.py on the .app's executable;
# 4. with TUNEDESK_NOTARY_PROFILE set (a `xcrun notarytool store-credentials` profile):
#    notarize and staple the .app;
# 5. packaging/macos/make_dmg.sh -> dist/TuneDesk-<version>.dmg; signed and notarized
#    (and stapled) too when the variables above are set.
# Needs Python 3.11+ (python3). Not exercised here (Linux); bundles.yml runs it on macOS.
set -eu
cd "$(dirname "$0")/../.."

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[package]'
version=$(.venv/bin/python -c 'import tunedesk; print(tunedesk.__version__)')
app=dist/TuneDesk.app
dmg=dist/TuneDesk-$version.dmg

# PyInstaller's cache stays in the clone (PACKAGING.md), so CI can cache it.
PYINSTALLER_CONFIG_DIR="$PWD/build/pyinstaller-config" \
    .venv/bin/python -m PyInstaller --noconfirm packaging/tunedesk.spec
.venv/bin/python packaging/smoke_test.py "$app/Contents/MacOS/TuneDesk"

notarize() {  # submit a .zip or .dmg, wait for Apple's verdict, staple the ticket to $2
    xcrun notarytool submit "$1" --keychain-profile "$TUNEDESK_NOTARY_PROFILE" --wait
    xcrun stapler staple "$2"
}
if [ -n "${TUNEDESK_NOTARY_PROFILE:-}" ]; then
    ditto -c -k --keepParent "$app" dist/TuneDesk-notarize.zip
    notarize dist/TuneDesk-notarize.zip "$app"
    rm dist/TuneDesk-notarize.zip
fi
sh packaging/macos/make_dmg.sh "$app" "$dmg"
if [ -n "${TUNEDESK_CODESIGN_IDENTITY:-}" ]; then
    codesign --force --timestamp --sign "$TUNEDESK_CODESIGN_IDENTITY" "$dmg"
fi
if [ -n "${TUNEDESK_NOTARY_PROFILE:-}" ]; then
    notarize "$dmg" "$dmg"
    spctl --assess --type open --context context:primary-signature --verbose "$dmg"
fi
echo "Built $app and $dmg"
