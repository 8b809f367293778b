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
