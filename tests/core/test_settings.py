"""Typed, versioned settings: defaults, damaged files, wrong types, migrations, atomic saves."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tunedesk.core import settings as settings_module
from tunedesk.core.errors import FileProblem
from tunedesk.core.i18n import Text
from tunedesk.core.settings import (
    SCHEMA_VERSION,
    Settings,
    add_recent,
    describe,
    load_settings,
    remove_recent,
    save_settings,
    settings_path,
    stored_fields,
    to_dict,
)


def _write(data: Any) -> Path:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_path_is_in_the_isolated_config_dir() -> None:
    path = settings_path()
    assert path.name == "settings.json"
    assert path.is_relative_to(os.environ["XDG_CONFIG_HOME"])
    assert path.parent.name == "TuneDesk"


def test_missing_file_gives_defaults() -> None:
    s = load_settings()
    assert s == Settings()
    assert s.language == ""
    assert s.recent_projects == []
    assert s.validation_fraction == 0.1
    assert s.model_id == "Phi-4-mini-instruct"
    assert s.schema_version == SCHEMA_VERSION
    assert not s.read_only


def test_round_trip_of_every_field() -> None:
    s = Settings(
        language="zh_CN",
        last_project_dir="/home/mei/项目",
        last_import_dir="/data/in",
        last_export_dir="/data/out",
        validation_fraction=0.25,
        model_id="Phi-4",
        offer_restore=False,
        show_welcome=False,
        confirm_costs=False,
    )
    add_recent(s, "/projects/a.tunedesk")
    assert save_settings(s) is True
    assert load_settings() == s
    assert "项目" in settings_path().read_text(encoding="utf-8")  # readable, not \\u escapes


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"\xff\xfe\x00garbage\x00", b"", b"[1, 2, 3]", b'"just a string"', b"null"],
    ids=["broken-json", "binary", "empty", "list", "string", "null"],
)
def test_damaged_file_gives_defaults(content: bytes) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    assert load_settings() == Settings()


def test_a_folder_in_place_of_the_file_gives_defaults() -> None:
    settings_path().mkdir(parents=True)
    assert load_settings() == Settings()


def test_unknown_keys_are_ignored_and_not_written_back() -> None:
    _write({"schema_version": 1, "language": "en", "theme": "dark", "api_key": "sk-123"})
    s = load_settings()
    assert s.language == "en"
    save_settings(s)
    written = json.loads(settings_path().read_text(encoding="utf-8"))
    assert "theme" not in written
    assert "api_key" not in written


def test_wrong_types_fall_back_per_field() -> None:
    _write(
        {
            "schema_version": 1,
            "language": 5,                      # wrong type
            "recent_projects": ["/a.tunedesk", 3, None, "/b.tunedesk"],  # bad items dropped
            "last_import_dir": ["not", "a", "string"],
            "last_export_dir": "/kept",
            "validation_fraction": False,       # a bool is not a number here
            "model_id": "   ",                  # blank
            "offer_restore": 1,                 # an int is not a bool
            "show_welcome": False,              # fine
        }
    )
    s = load_settings()
    assert s.language == ""
    assert s.recent_projects == ["/a.tunedesk", "/b.tunedesk"]
    assert s.last_import_dir == ""
    assert s.last_export_dir == "/kept"
    assert s.validation_fraction == 0.1
    assert s.model_id == Settings().model_id
    assert s.offer_restore is True
    assert s.show_welcome is False


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 0.0), (0.3, 0.3), (2, 0.1), (-0.1, 0.1), ("0.2", 0.1), (None, 0.1)],
)
def test_validation_fraction_range(value: Any, expected: float) -> None:
    _write({"schema_version": 1, "validation_fraction": value})
    s = load_settings()
    assert s.validation_fraction == expected
    assert isinstance(s.validation_fraction, float)


@pytest.mark.parametrize(("value", "expected"), [("zh_CN", "zh_CN"), ("fr", ""), ("", "")])
def test_language_must_be_supported(value: str, expected: str) -> None:
    _write({"schema_version": 1, "language": value})
    assert load_settings().language == expected


def test_missing_version_is_read_as_current() -> None:
    _write({"language": "en"})
    s = load_settings()
    assert s.language == "en"
    assert s.schema_version == SCHEMA_VERSION


def test_older_schema_is_migrated(monkeypatch: pytest.MonkeyPatch) -> None:
    def v1_to_v2(raw: dict[str, Any]) -> dict[str, Any]:
        raw["model_id"] = raw.pop("base_model")  # a rename, as a real migration would do
        return raw

    monkeypatch.setattr(settings_module, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(settings_module.MIGRATIONS, 1, v1_to_v2)
    _write({"schema_version": 1, "base_model": "Phi-4", "language": "zh_CN"})
    s = load_settings()
    assert s.model_id == "Phi-4"
    assert s.language == "zh_CN"
    assert s.schema_version == 2
    save_settings(s)
    assert json.loads(settings_path().read_text(encoding="utf-8"))["schema_version"] == 2


def test_a_failing_migration_gives_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(raw: dict[str, Any]) -> dict[str, Any]:
        raise KeyError("oops")

    monkeypatch.setattr(settings_module, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(settings_module.MIGRATIONS, 1, broken)
    _write({"schema_version": 1, "language": "zh_CN"})
    assert load_settings().language == ""


def test_newer_schema_gives_defaults_and_is_never_overwritten() -> None:
    path = _write({"schema_version": SCHEMA_VERSION + 5, "language": "zh_CN", "new_thing": 1})
    before = path.read_bytes()
    s = load_settings()
    assert s.read_only
    assert s.language == ""
    s.language = "en"
    add_recent(s, "/x.tunedesk")
    assert save_settings(s) is False
    assert path.read_bytes() == before


def test_save_is_atomic_and_leaves_no_temporary_files(monkeypatch: pytest.MonkeyPatch) -> None:
    save_settings(Settings(language="en"))
    path = settings_path()
    before = path.read_bytes()

    def failing_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(settings_module.os, "replace", failing_replace)
    with pytest.raises(FileProblem) as info:
        save_settings(Settings(language="zh_CN"))
    assert str(path) in str(info.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.json"]
    monkeypatch.undo()
    save_settings(Settings(language="zh_CN"))
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.json"]
    assert load_settings().language == "zh_CN"


def test_serialised_settings_hold_only_declared_keys_and_no_secrets() -> None:
    s = Settings()
    add_recent(s, "/p.tunedesk")
    save_settings(s)
    written = json.loads(settings_path().read_text(encoding="utf-8"))
    declared = {f.name for f in stored_fields()}
    assert set(written) == declared
    assert set(to_dict(s)) == declared
    assert "read_only" not in written
    secretish = ("key", "secret", "token", "password", "credential", "connection")
    assert not [name for name in declared if any(word in name for word in secretish)]


def test_every_setting_has_a_translatable_description() -> None:
    for f in stored_fields():
        text = describe(f.name)
        assert isinstance(text, Text)
        assert text.context == "Settings"
        assert str(text).strip()
    with pytest.raises(KeyError):
        describe("nope")


def test_add_recent_dedupes_orders_and_limits(tmp_path: Path) -> None:
    s = Settings()
    for i in range(12):
        add_recent(s, tmp_path / f"p{i}.tunedesk")
    assert len(s.recent_projects) == 10
    assert s.recent_projects[0] == str(tmp_path / "p11.tunedesk")
    add_recent(s, tmp_path / "p5.tunedesk")
    assert s.recent_projects[0] == str(tmp_path / "p5.tunedesk")
    assert s.recent_projects.count(str(tmp_path / "p5.tunedesk")) == 1
    assert len(s.recent_projects) == 10
    add_recent(s, tmp_path / "x.tunedesk", limit=3)
    assert len(s.recent_projects) == 3
    remove_recent(s, tmp_path / "p5.tunedesk")
    assert str(tmp_path / "p5.tunedesk") not in s.recent_projects


def test_add_recent_stores_absolute_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    s = Settings()
    add_recent(s, "rel.tunedesk")
    add_recent(s, os.path.join(".", "rel.tunedesk"))
    assert s.recent_projects == [str(tmp_path / "rel.tunedesk")]
