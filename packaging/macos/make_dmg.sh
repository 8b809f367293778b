#!/bin/sh
# A drag-to-Applications disk image of the .app, with hdiutil (macOS only):
#
#     sh packaging/macos/make_dmg.sh dist/TuneDesk.app dist/TuneDesk-0.1.0.dmg
#
# The image holds TuneDesk.app and a link to /Applications, compressed (UDZO, readable on
# every macOS TuneDesk supports). Sign and notarize the .app before, the image after
# (packaging/macos/README.md). Not exercised here (Linux); bundles.yml runs it on macOS.
set -eu
app=$1
dmg=$2
name=$(basename "$app" .app)
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
ditto "$app" "$staging/$name.app"   # keeps symlinks, extended attributes and signatures
ln -s /Applications "$staging/Applications"
rm -f "$dmg"
hdiutil create -volname "$name" -srcfolder "$staging" -fs HFS+ -format UDZO \
    -imagekey zlib-level=9 -ov "$dmg"
hdiutil verify "$dmg"
echo "Built $dmg"
