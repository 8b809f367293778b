"""The person's preferences: one typed, versioned schema stored as JSON (STYLE G13).

``settings.json`` lives in ``platformdirs.user_config_path("TuneDesk")``. Every field has a
default and a translatable description (for a settings editor and for ``--help``-style
listings). Reading never fails: a missing or damaged file gives the defaults, an unknown key
is ignored, a value of the wrong type falls back to that field's default. A file written by
an older TuneDesk is upgraded by :data:`MIGRATIONS`; one written by a *newer* TuneDesk is not
understood, so the defaults are used and the settings are marked read-only, which keeps
:func:`save_settings` from overwriting the newer file.

Secrets never go here: there is no field for them (keys and passwords live in the OS
keyring, see core/secrets). Window geometry belongs to ``QSettings`` in the UI layer.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import tempfile
from collections.abc import Callable
from dataclasses import Field, dataclass, field, fields
from pathlib import Path
from typing import Any, get_type_hints

import platformdirs

from tunedesk import APP_ID
from tunedesk.core.errors import FileProblem
from tunedesk.core.i18n import SUPPORTED_LANGUAGES, Text, lazy

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
SETTINGS_FILE = "settings.json"
RECENT_LIMIT = 10

Migration = Callable[[dict[str, Any]], dict[str, Any]]
# version -> function turning the raw dict of that version into the next version's dict.
# Add one (and bump SCHEMA_VERSION) whenever a field is renamed, retyped or reinterpreted;
# adding a new field with a default needs no migration.
MIGRATIONS: dict[int, Migration] = {}

Check = Callable[[Any], bool]


def _setting(default: Any, description: Text, *, check: Check | None = None) -> Any:
    return field(default=default, metadata={"description": description, "check": check})


def _is_language(value: Any) -> bool:
    return value == "" or value in SUPPORTED_LANGUAGES


def _is_fraction(value: Any) -> bool:
    return bool(0.0 <= value <= 0.5)


def _not_blank(value: Any) -> bool:
    return bool(str(value).strip())


@dataclass
class Settings:
    """Everything TuneDesk remembers between sessions (nothing secret)."""

    schema_version: int = _setting(
        SCHEMA_VERSION, lazy.translate("Settings", "Version of the layout of this settings file.")
    )
    language: str = _setting(
        "",
        lazy.translate(
            "Settings",
            "Language of the app: empty to follow the system, \"en\" for English or "
            "\"zh_CN\" for Simplified Chinese.",
        ),
        check=_is_language,
    )
    recent_projects: list[str] = field(
        default_factory=list,
        metadata={
            "description": lazy.translate(
                "Settings", "Projects opened recently, the most recent first."
            ),
            "check": None,
        },
    )
    last_project_dir: str = _setting(
        "", lazy.translate("Settings", "Folder last used to open or save a project.")
    )
    last_import_dir: str = _setting(
        "", lazy.translate("Settings", "Folder last used to import questions and answers.")
    )
    last_export_dir: str = _setting(
        "", lazy.translate("Settings", "Folder last used to export training files.")
    )
    validation_fraction: float = _setting(
        0.1,
        lazy.translate(
            "Settings",
            "Share of the examples kept aside to check the trained model (0 to 0.5) when "
            "a project does not choose its own.",
        ),
        check=_is_fraction,
    )
    # Phi-4-mini-instruct: the Azure OpenAI base models retired for new fine-tuning
    # customers in October 2026 (Microsoft's model retirement schedule), so no OpenAI model
    # may be the default; Phi-4-mini-instruct still trains in hub projects.
    model_id: str = _setting(
        "Phi-4-mini-instruct",
        lazy.translate("Settings", "Base model suggested for new projects."),
        check=_not_blank,
    )
    cloud_tenant_id: str = _setting(
        "",
        lazy.translate(
            "Settings", "Microsoft Entra tenant chosen last on the Sign in page (an id)."
        ),
    )
    cloud_subscription_id: str = _setting(
        "", lazy.translate("Settings", "Azure subscription chosen last (an id).")
    )
    cloud_place_id: str = _setting(
        "",
        lazy.translate(
            "Settings",
            "Where training happens: the Azure id of the Foundry project or Azure OpenAI "
            "resource chosen last.",
        ),
    )
    offer_restore: bool = _setting(
        True,
        lazy.translate(
            "Settings", "At start, offer to restore projects that were never saved."
        ),
    )
    show_welcome: bool = _setting(
        True, lazy.translate("Settings", "Show the welcome page when TuneDesk starts.")
    )
    confirm_costs: bool = _setting(
        True,
        lazy.translate(
            "Settings", "Ask before starting anything on Azure that costs money."
        ),
    )
    # Not stored: set when the file on disk was written by a newer TuneDesk.
    read_only: bool = field(
        default=False, init=False, repr=False, compare=False, metadata={"stored": False}
    )


def stored_fields() -> tuple[Field[Any], ...]:
    """The fields written to ``settings.json``, in order."""
    return tuple(f for f in fields(Settings) if f.metadata.get("stored", True))


def describe(name: str) -> Text:
    """The translatable description of setting ``name``."""
    for f in stored_fields():
        if f.name == name:
            description: Text = f.metadata["description"]
            return description
    raise KeyError(name)


def settings_path() -> Path:
    return platformdirs.user_config_path(APP_ID) / SETTINGS_FILE


# ---------------------------------------------------------------------------- reading
def _coerce(value: Any, hint: Any) -> tuple[bool, Any]:
    """(ok, value) for a JSON value against a field type; bool is never taken as a number."""
    if hint is bool:
        return isinstance(value, bool), value
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool), value
    if hint is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return (ok and math.isfinite(value)), (float(value) if ok else value)
    if hint is str:
        return isinstance(value, str), value
    if hint == list[str]:
        if not isinstance(value, list):
            return False, value
        return True, [item for item in value if isinstance(item, str)]
    return False, value


def _from_dict(raw: dict[str, Any]) -> Settings:
    hints = get_type_hints(Settings)
    values: dict[str, Any] = {}
    for f in stored_fields():
        if f.name == "schema_version" or f.name not in raw:
            continue
        ok, value = _coerce(raw[f.name], hints[f.name])
        check: Check | None = f.metadata.get("check")
        if ok and (check is None or check(value)):
            values[f.name] = value
        else:
            log.warning("settings: ignoring %s=%r (using the default)", f.name, raw[f.name])
    return Settings(**values)


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings; never raises (problems give defaults and a log line)."""
    path = settings_path() if path is None else path
    try:
        raw = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError) as exc:  # unreadable, not UTF-8, not JSON
        log.warning("settings: %s is unreadable (%s); using defaults", path, exc)
        return Settings()
    if not isinstance(raw, dict):
        log.warning("settings: %s does not hold an object; using defaults", path)
        return Settings()

    version = raw.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        version = SCHEMA_VERSION  # no usable version: read it as the current layout
    if version > SCHEMA_VERSION:
        log.warning(
            "settings: %s was written by a newer TuneDesk (schema %d > %d); using defaults "
            "and leaving the file alone",
            path, version, SCHEMA_VERSION,
        )
        settings = Settings()
        settings.read_only = True
        return settings
    try:
        while version < SCHEMA_VERSION:
            raw = MIGRATIONS[version](dict(raw))
            version += 1
    except Exception:  # a broken migration must not stop the app from starting
        log.exception("settings: could not upgrade %s from schema %d", path, version)
        return Settings()
    settings = _from_dict(raw)
    settings.schema_version = SCHEMA_VERSION
    return settings


# ---------------------------------------------------------------------------- writing
def to_dict(settings: Settings) -> dict[str, Any]:
    """The JSON object written to disk: exactly the stored fields."""
    data = {f.name: getattr(settings, f.name) for f in stored_fields()}
    data["schema_version"] = SCHEMA_VERSION
    data["recent_projects"] = list(settings.recent_projects)
    return data


def save_settings(settings: Settings, path: Path | None = None) -> bool:
    """Write atomically (temporary file, fsync, rename). False when read-only (newer file).

    Raises :class:`FileProblem` when the folder cannot be written.
    """
    path = settings_path() if path is None else path
    if settings.read_only:
        log.info("settings: not saving over %s, which a newer TuneDesk wrote", path)
        return False
    text = json.dumps(to_dict(settings), ensure_ascii=False, indent=2) + "\n"
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, prefix=".settings-", suffix=".tmp",
            delete=False,
        ) as f:
            tmp = f.name
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise FileProblem(
            str(path),
            lazy.translate("Settings", "Your settings could not be saved to {path}.").format(
                path=str(path)
            ),
            lazy.translate(
                "Settings",
                "Check that you are allowed to write to that folder and that the disk has "
                "free space. TuneDesk keeps working with the settings it has.",
            ),
        ) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.remove(tmp)
    return True


def add_recent(settings: Settings, path: str | os.PathLike[str], limit: int = RECENT_LIMIT) -> None:
    """Put ``path`` first in the recent projects, without duplicates, keeping ``limit``."""
    full = os.path.abspath(os.fspath(path))
    key = os.path.normcase(full)
    others = [p for p in settings.recent_projects if os.path.normcase(p) != key]
    settings.recent_projects = [full, *others][: max(limit, 0)]


def remove_recent(settings: Settings, path: str | os.PathLike[str]) -> None:
    """Forget ``path`` (for example after it turned out to be gone)."""
    key = os.path.normcase(os.path.abspath(os.fspath(path)))
    settings.recent_projects = [
        p for p in settings.recent_projects if os.path.normcase(p) != key
    ]
