"""The Windows and macOS recipes, checked as far as Linux can: PyInstaller reads the
generated version resource, the installer is per-user with a Start-menu entry, the shell
scripts parse, and the workflow runs the README's one command on each OS.

Building and running the bundles needs those systems (.github/workflows/bundles.yml).
"""

from __future__ import annotations

import re
import subprocess
import sys
import types
from pathlib import Path

import pytest
import yaml

from tunedesk import __version__

REPO = Path(__file__).resolve().parents[1]
PACKAGING = REPO / "packaging"
sys.path.insert(0, str(PACKAGING / "windows"))
import version_info  # noqa: E402  (packaging/windows is not a package; the spec imports it so)


@pytest.fixture
def pyinstaller_versioninfo(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """PyInstaller's own parser of version files (its pefile and win32api are Windows-only)."""
    import PyInstaller.compat

    monkeypatch.setitem(sys.modules, "pefile", types.ModuleType("pefile"))
    monkeypatch.setattr(PyInstaller.compat, "win32api", None, raising=False)
    monkeypatch.delitem(sys.modules, "PyInstaller.utils.win32.versioninfo", raising=False)
    from PyInstaller.utils.win32 import versioninfo

    return versioninfo


def test_version_numbers() -> None:
    assert version_info.version_numbers("0.1.0") == (0, 1, 0, 0)
    assert version_info.version_numbers("1.2.3.4") == (1, 2, 3, 4)
    assert version_info.version_numbers("2.0rc1") == (2, 0, 0, 0)
    with pytest.raises(ValueError, match="not a version"):
        version_info.version_numbers("dev")


def test_pyinstaller_reads_the_version_resource(
    pyinstaller_versioninfo: types.ModuleType, tmp_path: Path
) -> None:
    path = version_info.version_file(
        str(tmp_path), __version__, "TuneDesk-debug.exe", "TuneDesk (console, for support)"
    )
    info = pyinstaller_versioninfo.load_version_info_from_text_file(path)
    raw = info.toRaw()  # the binary VS_VERSIONINFO resource that goes into the EXE
    assert "VS_VERSION_INFO".encode("utf-16-le") in raw
    for text in (__version__, "TuneDesk-debug.exe", "TuneDesk (console, for support)"):
        assert text.encode("utf-16-le") in raw
    major, minor, patch, _ = version_info.version_numbers(__version__)
    assert info.ffi.fileVersionMS == (major << 16) | minor
    assert info.ffi.fileVersionLS == patch << 16


def test_the_spec_uses_the_icons_the_version_and_both_windows_exes() -> None:
    spec = (PACKAGING / "tunedesk.spec").read_text(encoding="utf-8")
    for name in re.findall(r'"(tunedesk\.(?:ico|icns))"', spec):
        assert (REPO / "resources" / "icons" / name).is_file()
    assert 'name="TuneDesk-debug"' in spec
    assert "version=version(" in spec
    assert '"CFBundleShortVersionString": __version__' in spec
    assert '"NSHighResolutionCapable": True' in spec
    assert '"LSMinimumSystemVersion"' in spec


def test_the_installer_is_per_user_with_start_menu_entry_and_uninstaller() -> None:
    iss = (PACKAGING / "windows" / "tunedesk.iss").read_text(encoding="utf-8")
    setup = dict(re.findall(r"^(\w+)=(.*)$", iss, re.M))
    assert setup["PrivilegesRequired"] == "lowest"
    assert setup["DefaultDirName"].startswith("{autopf}")  # %LOCALAPPDATA%\Programs per user
    assert re.fullmatch(r"\{\{[0-9A-F-]{36}\}", setup["AppId"])
    assert setup["UninstallDisplayIcon"] == r"{app}\{#AppExe}"
    assert "Uninstallable" not in setup  # Inno's default: an uninstaller is registered
    start_menu = r'Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"'
    assert start_menu in iss.splitlines()
    icon = PACKAGING / "windows" / setup["SetupIconFile"].replace("\\", "/")
    assert icon.resolve() == (REPO / "resources" / "icons" / "tunedesk.ico").resolve()
    assert '#define Bundle "..\\..\\dist\\TuneDesk"' in iss  # the spec's COLLECT name


def test_the_macos_scripts_parse() -> None:
    for script in ("build.sh", "make_dmg.sh"):
        subprocess.run(["sh", "-n", str(PACKAGING / "macos" / script)], check=True)
    plist = (PACKAGING / "macos" / "entitlements.plist").read_text(encoding="utf-8")
    assert "com.apple.security.cs.allow-unsigned-executable-memory" in plist


def test_the_workflow_runs_the_readme_command_on_each_os() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "bundles.yml").read_text())
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = {}
    for job in workflow["jobs"].values():
        runs = [step["run"] for step in job["steps"] if "run" in step]
        assert len(runs) == 1
        commands[job["runs-on"]] = runs[0].strip()
    assert set(commands) == {"windows-latest", "macos-latest"}
    for command in commands.values():
        assert command in readme
    assert "NOT EXERCISED HERE" in (REPO / ".github" / "workflows" / "bundles.yml").read_text()


def test_bundle_trim_takes_the_system_libraries_and_only_what_they_alone_link(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """libdbus and its own dependencies go; one that a kept library links too stays."""
    sys.path.insert(0, str(PACKAGING))
    import bundle_trim

    needs = {
        "libQt6DBus.so.6": ["libdbus-1.so.3", "libQt6Core.so.6"],
        "libQt6Core.so.6": ["libzstd.so.1"],
        "libdbus-1.so.3": ["libsystemd.so.0"],
        "libsystemd.so.0": ["libgcrypt.so.20", "libzstd.so.1", "libc.so.6"],
        "libgcrypt.so.20": ["libgpg-error.so.0"],
        "libgpg-error.so.0": [],
        "libzstd.so.1": [],
    }
    monkeypatch.setattr(bundle_trim, "_direct_needs", lambda path: needs[Path(path).name])
    binaries = [
        (f"PySide6/Qt/lib/{name}" if "Qt6" in name else name, f"/src/{name}", "BINARY")
        for name in needs
    ]
    binaries.append(("libQt6DBus.so.6", "PySide6/Qt/lib/libQt6DBus.so.6", "SYMLINK"))
    kept = {Path(e[0]).name for e in bundle_trim._without_system_libraries(binaries)}
    assert kept == {"libQt6DBus.so.6", "libQt6Core.so.6", "libzstd.so.1"}
    # Windows and macOS bundles have no libdbus: nothing is read, nothing goes
    monkeypatch.setattr(bundle_trim, "_direct_needs", None)
    windows = [("Qt6Core.dll", "/src/Qt6Core.dll", "BINARY")]
    assert bundle_trim._without_system_libraries(windows) == windows


def test_the_spec_keeps_qt_charts_and_trims_the_virtual_keyboard() -> None:
    spec = (PACKAGING / "tunedesk.spec").read_text(encoding="utf-8")
    assert '"PySide6.QtCharts"' not in spec  # never excluded: the loss chart needs it
    sys.path.insert(0, str(PACKAGING))
    import bundle_trim

    assert "platforminputcontexts/libqtvirtualkeyboardplugin" in bundle_trim.UNUSED_QT_PLUGINS
    assert "libdbus-1.so." in bundle_trim.SYSTEM_LIBRARIES
    requirements = (PACKAGING / "requirements.txt").read_text(encoding="utf-8")
    assert "PySide6-Addons==" in requirements


def test_bundle_trim_drops_the_pdf_image_format_with_qt_pdf_network_and_kerberos(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """PySide6 6.11.3's Essentials ship imageformats/qpdf, which alone links QtPdf, QtNetwork
    and Kerberos (+8 MB): all go; QtSvg stays for the SVG icon engine and image format."""
    sys.path.insert(0, str(PACKAGING))
    import PyInstaller.depend.bindepend

    import bundle_trim

    plugins = "PySide6/Qt/plugins/"
    needs = {
        "libqpdf.so": ["libQt6Pdf.so.6", "libQt6Gui.so.6"],
        "libqsvg.so": ["libQt6Svg.so.6", "libQt6Gui.so.6"],
        "libqsvgicon.so": ["libQt6Svg.so.6"],
        "libqjpeg.so": ["libQt6Gui.so.6"],
        "libQt6Pdf.so.6": ["libQt6Network.so.6", "libQt6Gui.so.6"],
        "libQt6Network.so.6": ["libgssapi_krb5.so.2", "libQt6Core.so.6"],
        "libgssapi_krb5.so.2": ["libkrb5.so.3"],
        "libkrb5.so.3": [],
        "libQt6Svg.so.6": ["libQt6Gui.so.6"],
        "libQt6Gui.so.6": ["libQt6Core.so.6"],
        "libQt6Core.so.6": [],
    }
    folders = {
        "libqpdf.so": "imageformats/",
        "libqsvg.so": "imageformats/",
        "libqjpeg.so": "imageformats/",
        "libqsvgicon.so": "iconengines/",
    }
    binaries = [
        (plugins + folders[name] + name if name in folders else name, f"/src/{name}", "BINARY")
        for name in needs
    ]

    # ldd's closure, as PyInstaller's get_imports answers on Linux
    def closure(name: str) -> set[str]:
        found = set(needs[name])
        for dep in needs[name]:
            found |= closure(dep)
        return found

    monkeypatch.setattr(
        PyInstaller.depend.bindepend,
        "get_imports",
        lambda path: [(dep, f"/src/{dep}") for dep in sorted(closure(Path(path).name))],
    )
    datas = [("libQt6Pdf.so.6.11", "libQt6Pdf.so.6", "SYMLINK")]
    kept, kept_datas, dropped = bundle_trim.drop_unused_qt_plugins(binaries, datas)
    assert {Path(e[0]).name for e in kept} == {
        "libqsvg.so",
        "libqsvgicon.so",
        "libqjpeg.so",
        "libQt6Svg.so.6",
        "libQt6Gui.so.6",
        "libQt6Core.so.6",
    }
    assert plugins + "imageformats/libqpdf.so" in dropped
    assert {"libQt6Pdf.so.6", "libQt6Network.so.6", "libgssapi_krb5.so.2"} <= set(dropped)
    assert kept_datas == []  # the link to a dropped library goes with it


# Plugins of the categories bundle_trim prunes that the app or its users need: the offscreen
# platform (tests, smoke test), xcb and Wayland (desktops), minimal; PNG is built into QtGui,
# SVG for the icons, the small common formats; the system's input methods.
KEPT_QT_PLUGINS = {
    "platforms": {"libqoffscreen.so", "libqxcb.so", "libqwayland.so", "libqminimal.so"},
    "imageformats": {"libqsvg.so", "libqjpeg.so", "libqgif.so", "libqico.so", "libqicns.so"},
    "platforminputcontexts": {
        "libcomposeplatforminputcontextplugin.so",
        "libibusplatforminputcontextplugin.so",
    },
    "generic": set(),
    "egldeviceintegrations": set(),
}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux plugin file names")
def test_every_qt_plugin_of_the_installed_qt_is_kept_or_trimmed_on_purpose() -> None:
    """A new Qt renames or adds plugins (6.11.3's Essentials brought imageformats/qpdf and
    with it +8 MB): each plugin of the pruned categories is kept here or trimmed in
    bundle_trim, and each trim still names a plugin this Qt has."""
    sys.path.insert(0, str(PACKAGING))
    import PySide6

    import bundle_trim

    root = Path(PySide6.__file__).parent / "Qt" / "plugins"
    installed = {
        f"{folder}/{path.name}"
        for folder in KEPT_QT_PLUGINS
        if (root / folder).is_dir()
        for path in (root / folder).iterdir()
    }
    kept = {f"{folder}/{name}" for folder, names in KEPT_QT_PLUGINS.items() for name in names}
    undecided = sorted(
        p for p in installed if p not in kept and not p.startswith(bundle_trim.UNUSED_QT_PLUGINS)
    )
    assert undecided == [], f"Qt {PySide6.__version__}: keep or trim {undecided}"
    assert kept <= installed, f"Qt {PySide6.__version__} lacks {sorted(kept - installed)}"
    stale = [
        t
        for t in bundle_trim.UNUSED_QT_PLUGINS
        if not any(p.startswith(t) for p in installed) and t.split("/")[0] in KEPT_QT_PLUGINS
    ]
    assert stale == [], f"Qt {PySide6.__version__} has no {stale}: renamed?"
