"""Trim what PyInstaller collects for Qt but TuneDesk never loads (used by tunedesk.spec).

PySide6's hook collects every plugin of the categories QtGui may use, with every library
they link. Two kinds of those are dead weight in TuneDesk's bundle:

* plugins for embedded devices (framebuffer, EGLFS, VNC and KMS platforms, evdev/TUIO
  input) and image formats TuneDesk never reads. They go, with the libraries they bring
  (the TUIO and VNC plugins alone pull in QtNetwork and, through it, Kerberos);
* the libraries of the GTK 3 platform theme. The plugin loads only where the system has
  GTK 3 (PyInstaller never bundles GTK itself), and then GTK must run on the system's own
  cairo, pango, harfbuzz, ATK and gdk-pixbuf, not on older or newer copies from the build
  machine. The plugin stays (native dialogs and colours on GNOME); those libraries go, as
  PyInstaller already leaves libxcb and libwayland to the system. The GLib family stays:
  QtCore links GLib, and GIO must match it.

A library is dropped only when nothing kept still needs it, found with PyInstaller's own
dependency analysis. Names are matched as prefixes under ``Qt/plugins/`` and only drop what
exists: the same lists serve Windows and macOS, which ship few of these plugins or none.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

# Under Qt/plugins/: the platform plugins and input drivers of embedded devices (desktops
# use xcb or wayland, Windows qwindows, macOS qcocoa; tests use offscreen), and the image
# formats TuneDesk never opens (its icons are PNG and SVG).
UNUSED_QT_PLUGINS = (
    "platforms/libqeglfs",
    "platforms/libqlinuxfb",
    "platforms/libqminimalegl",
    "platforms/libqvnc",
    "platforms/libqvkkhrdisplay",
    "generic/",
    "egldeviceintegrations/",
    "imageformats/libqtiff",
    "imageformats/libqwebp",
    "imageformats/libqtga",
    "imageformats/libqwbmp",
)
# Kept, but the libraries only they link come from the system they run on.
SYSTEM_STACK_QT_PLUGINS = ("platformthemes/libqgtk3",)
# Shared with Qt itself: always bundled, whoever else links them.
SHARED_WITH_QT = ("libglib-2.0.", "libgobject-2.0.", "libgio-2.0.", "libgmodule-2.0.")

Entry = tuple[str, str, str]  # PyInstaller TOC entry: (name in the bundle, source, typecode)


def _name(entry: Entry) -> str:
    return entry[0].replace("\\", "/")


def _base(name: str) -> str:
    return posixpath.basename(name.replace("\\", "/"))


def _plugin(entry: Entry) -> str | None:
    name = _name(entry)
    if "/Qt/plugins/" in name or name.startswith("Qt/plugins/"):
        return name.split("Qt/plugins/", 1)[1]
    return None


def _is(entry: Entry, prefixes: tuple[str, ...]) -> bool:
    plugin = _plugin(entry)
    return plugin is not None and plugin.startswith(prefixes)


def _needed(entries: Iterable[Entry], bundled: dict[str, list[Entry]]) -> set[str]:
    """Base names of every bundled library ``entries`` load, directly or indirectly."""
    from PyInstaller.depend.bindepend import get_imports

    seen: set[str] = set()
    stack = [e for e in entries if e[2] != "SYMLINK"]
    while stack:
        _dest, source, _kind = stack.pop()
        for name, _path in get_imports(source):
            base = _base(name)
            if base in seen or base not in bundled:
                continue
            seen.add(base)
            stack.extend(e for e in bundled[base] if e[2] != "SYMLINK")
    return seen


def drop_unused_qt_plugins(
    binaries: list[Entry], datas: list[Entry]
) -> tuple[list[Entry], list[Entry], list[str]]:
    """``binaries`` without the plugins and libraries above, ``datas`` without the symbolic
    links to them (PyInstaller lists links as data), and the bundle names dropped."""
    unused = [e for e in binaries if _is(e, UNUSED_QT_PLUGINS)]
    system_stack = [e for e in binaries if _is(e, SYSTEM_STACK_QT_PLUGINS)]
    rest = [e for e in binaries if not _is(e, UNUSED_QT_PLUGINS)]
    bundled: dict[str, list[Entry]] = {}
    for entry in rest:
        bundled.setdefault(_base(entry[0]), []).append(entry)
    candidates = _needed([*unused, *system_stack], bundled)
    shared = {base for base in candidates if base.startswith(SHARED_WITH_QT)}
    roots = [
        e
        for e in rest
        if e not in system_stack and (_base(e[0]) not in candidates or _base(e[0]) in shared)
    ]
    orphans = candidates - _needed(roots, bundled) - shared
    kept = [e for e in rest if _base(e[0]) not in orphans]
    gone = {_name(e) for e in binaries if e not in kept}
    links = [e for e in datas if e[2] == "SYMLINK" and _link_target(e) in gone]
    kept_datas = [e for e in datas if e not in links]
    return kept, kept_datas, sorted(gone | {_name(e) for e in links})


def _link_target(entry: Entry) -> str:
    """The bundle path a SYMLINK entry points at (its source is relative to the link)."""
    folder = posixpath.dirname(_name(entry))
    return posixpath.normpath(posixpath.join(folder, entry[1].replace("\\", "/")))
