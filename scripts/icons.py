"""Render every application icon from the one source, resources/icons/tunedesk.svg.

    python scripts/icons.py          # writes resources/icons/ (commit the result)

Writes, next to the SVG:

- ``tunedesk-<size>.png`` for 16, 24, 32, 48, 64, 128, 256, 512 and 1024 px (full bleed:
  the window icon, Linux desktops, docs);
- ``tunedesk.ico`` (Windows: the EXE, the installer, the taskbar) with PNG entries of
  16, 24, 32, 48, 64, 128 and 256 px, which Windows reads since Vista;
- ``tunedesk.icns`` (macOS: the .app and the DMG) with PNG chunks ``icp4``/``icp5``
  (16, 32), ``ic07``-``ic10`` (128, 256, 512, 1024) and the Retina ``ic11``-``ic14``
  (16@2x ... 256@2x). The tile is drawn 824 of 1024 px wide, centred, as in Apple's icon
  template, so it matches the other icons in the Dock.

Only PySide6 is needed (QtSvg ships in PySide6-Essentials); both containers are written
here, no Pillow or iconutil.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ICONS = REPO / "resources" / "icons"
SOURCE = ICONS / "tunedesk.svg"

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS chunk type -> pixel size of its PNG (Apple's names: ic11 is icon_16x16@2x, ...).
ICNS_CHUNKS = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic07", 128),
    (b"ic13", 256),
    (b"ic08", 256),
    (b"ic14", 512),
    (b"ic09", 512),
    (b"ic10", 1024),
)
MACOS_BODY = 824 / 1024  # Apple's template: an 824 px shape on a 1024 px canvas


def render_png(size: int, *, scale: float = 1.0) -> bytes:
    """The SVG drawn on a transparent ``size`` x ``size`` canvas, ``scale`` of it, as PNG."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SOURCE}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    side = size * scale
    margin = (size - side) / 2
    renderer.render(painter, QRectF(margin, margin, side, side))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise SystemExit(f"cannot encode a {size} px PNG")
    buffer.close()
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """An ICO file holding ``pngs`` ({size: PNG bytes}) as PNG-compressed entries."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))  # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(sizes)
    entries, images = b"", b""
    for size in sizes:
        data = pngs[size]
        side = 0 if size >= 256 else size  # 0 means 256
        # width, height, palette colours, reserved, colour planes, bits per pixel, size, offset
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        images += data
        offset += len(data)
    return header + entries + images


def icns(chunks: list[tuple[bytes, bytes]]) -> bytes:
    """An ICNS file of ``chunks`` ([(4-byte type, PNG bytes)]); lengths are big-endian."""
    body = b"".join(kind + struct.pack(">I", 8 + len(data)) + data for kind, data in chunks)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    full = {size: render_png(size) for size in sorted({*PNG_SIZES, *ICO_SIZES})}
    for size in PNG_SIZES:
        (ICONS / f"tunedesk-{size}.png").write_bytes(full[size])
    (ICONS / "tunedesk.ico").write_bytes(ico({size: full[size] for size in ICO_SIZES}))
    inset = {size: render_png(size, scale=MACOS_BODY) for _, size in ICNS_CHUNKS}
    (ICONS / "tunedesk.icns").write_bytes(icns([(kind, inset[size]) for kind, size in ICNS_CHUNKS]))
    for path in sorted(ICONS.iterdir()):
        print(f"{path.relative_to(REPO)}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
