"""The committed icons (scripts/icons.py): every size each OS needs, in well-formed containers."""

from __future__ import annotations

import struct
from pathlib import Path

from PySide6.QtGui import QImage
from scripts.icons import ICNS_CHUNKS, ICO_SIZES, PNG_SIZES

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG_MAGIC)
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk comes first
    return width, height


def test_pngs_of_every_size_from_16_to_1024() -> None:
    for size in PNG_SIZES:
        data = (ICONS / f"tunedesk-{size}.png").read_bytes()
        assert png_size(data) == (size, size)
    small = QImage(str(ICONS / "tunedesk-16.png"))
    assert small.hasAlphaChannel()
    assert small.pixelColor(0, 0).alpha() < 128  # rounded corners
    assert small.pixelColor(8, 8).alpha() == 255


def test_ico_holds_png_entries_for_every_windows_size() -> None:
    data = (ICONS / "tunedesk.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, len(ICO_SIZES))
    sizes = []
    for i in range(count):
        width, height, _colours, _res, planes, bits, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]
        )
        side = width or 256
        assert (height or 256) == side
        assert (planes, bits) == (1, 32)
        assert png_size(data[offset : offset + length]) == (side, side)
        sizes.append(side)
    assert sizes == sorted(ICO_SIZES)


def test_icns_holds_the_standard_and_retina_png_chunks() -> None:
    data = (ICONS / "tunedesk.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    found = {}
    pos = 8
    while pos < len(data):
        kind = data[pos : pos + 4]
        (length,) = struct.unpack(">I", data[pos + 4 : pos + 8])
        found[kind] = png_size(data[pos + 8 : pos + length])
        pos += length
    assert pos == len(data)
    assert found == {kind: (size, size) for kind, size in ICNS_CHUNKS}
    assert {b"ic07", b"ic08", b"ic09", b"ic10", b"ic11", b"ic12", b"ic13", b"ic14"} <= set(found)
