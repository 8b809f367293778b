"""Trim what PyInstaller collects for Qt but TuneDesk never loads (used by tunedesk.spec).

PySide6's hook collects every plugin of the categories QtGui may use, with every library
they link. Three kinds of those are dead weight in TuneDesk's bundle:

* plugins for embedded devices (framebuffer, EGLFS, VNC and KMS platforms, evdev/TUIO
  input, the Qt Virtual Keyboard of touch kiosks) and image formats TuneDesk never reads.
  They go, with the libraries they bring (the TUIO and VNC plugins and the PDF image format
  pull in QtNetwork and, through it, Kerberos, the PDF one QtPdf too; the virtual keyboard
  QtQuick and QtQml);
* the libraries of the GTK 3 platform theme. The plugin loads only where the system has
  GTK 3 (PyInstaller never bundles GTK itself), and then GTK must run on the system's own
  cairo, pango, harfbuzz, ATK and gdk-pixbuf, not on older or newer copies from the build
  machine. The plugin stays (native dialogs and colours on GNOME); those libraries go, as
  PyInstaller already leaves libxcb and libwayland to the system. The GLib family stays:
  QtCore links GLib, and GIO must match it;
* the D-Bus client library and what only it links (libsystemd, libgcrypt, libgpg-error,
  lz4, libcap: ~2.9 MB). QtDBus talks to the session's own D-Bus daemon through it, on
  every Linux desktop there is one, and its libsystemd and libgcrypt are security-relevant
  plumbing that should get the system's updates, not a copy frozen at build time. Like
  libGL and libEGL it is a system requirement of the Linux bundle (scripts/test.sh installs
  libdbus-1-3 for the offscreen tests too).

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
    # PDF pages as images (Qt PDF, from qtwebengine): PyInstaller collects every
    # imageformats plugin, and this one links libQt6Pdf, which links QtNetwork and, through
    # it, Kerberos (+8 MB with PySide6 6.11.3, where Essentials ships it). TuneDesk opens no PDF.
    "imageformats/libqpdf",
    # Qt Virtual Keyboard (PySide6-Addons): a QML on-screen keyboard for touch kiosks,
    # loaded only with QT_IM_MODULE=qtvirtualkeyboard. It brought QtQuick, QtQml and
    # their friends, QtNetwork and QtOpenGL into the bundle: +21.5 MB. Desktop users
    # keep their system's input methods (ibus and compose plugins) and on-screen keyboards.
    "platforminputcontexts/libqtvirtualkeyboardplugin",
)
# Kept, but the libraries only they link come from the system they run on.
SYSTEM_STACK_QT_PLUGINS = ("platformthemes/libqgtk3",)
# Libraries (by the start of their file name) taken from the system, with what only they
# need. Only Linux bundles hold them (macOS and Windows Qt builds have no libdbus).
SYSTEM_LIBRARIES = ("libdbus-1.so.",)
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
    kept = _without_system_libraries([e for e in rest if _base(e[0]) not in orphans])
    gone = {_name(e) for e in binaries if e not in kept}
    links = [e for e in datas if e[2] == "SYMLINK" and _link_target(e) in gone]
    kept_datas = [e for e in datas if e not in links]
    return kept, kept_datas, sorted(gone | {_name(e) for e in links})


def _without_system_libraries(binaries: list[Entry]) -> list[Entry]:
    """``binaries`` without SYSTEM_LIBRARIES and the libraries that only they link.

    PyInstaller's get_imports answers with ldd's whole closure on Linux (libQt6DBus
    "imports" libsystemd, through libdbus), so who needs what is read here from each
    binary's own DT_NEEDED entries (objdump, which PyInstaller requires on Linux too).
    """
    system = {_base(e[0]) for e in binaries if _base(e[0]).startswith(SYSTEM_LIBRARIES)}
    if not system:
        return binaries  # Windows, macOS
    files = [e for e in binaries if e[2] != "SYMLINK"]
    needs = {_base(e[0]): _direct_needs(e[1]) for e in files}
    # Everything the system libraries reach, and which of it is reached from elsewhere.
    reach, stack = set(), [n for base in system for n in needs.get(base, ())]
    while stack:
        base = stack.pop()
        if base in needs and base not in reach and base not in system:
            reach.add(base)
            stack.extend(needs[base])
    kept: set[str] = set()
    stack = [n for base in needs if base not in reach | system for n in needs[base]]
    while stack:
        base = stack.pop()
        if base in reach and base not in kept:
            kept.add(base)
            stack.extend(needs[base])
    gone = system | (reach - kept)
    return [e for e in binaries if _base(e[0]) not in gone]


def _direct_needs(path: str) -> list[str]:
    import subprocess

    out = subprocess.run(["objdump", "-p", path], capture_output=True, text=True, check=True).stdout
    return [line.split()[1] for line in out.splitlines() if line.strip().startswith("NEEDED")]


def _link_target(entry: Entry) -> str:
    """The bundle path a SYMLINK entry points at (its source is relative to the link)."""
    folder = posixpath.dirname(_name(entry))
    return posixpath.normpath(posixpath.join(folder, entry[1].replace("\\", "/")))
