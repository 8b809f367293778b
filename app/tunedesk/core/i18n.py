"""Translation for the Qt-free layers.

Core and cloud code may not import Qt, yet every message they produce is shown to people
who read English or Simplified Chinese. The single source of translations is the Qt
Linguist file ``resources/i18n/tunedesk_zh_CN.ts``; ``pyside6-lupdate`` extracts strings
from core code because they are written as::

    translate("Checks", "Every example needs an answer.")            # now, as str
    lazy.translate("Checks", "Row {row} is empty.").format(row=3)     # later, as Text

(lupdate recognises ``translate(ctx, source)`` and ``<anything>.translate(ctx, source)``;
parameters must therefore be passed through ``.format`` and never inside the call.)

The UI replaces the backend with ``QCoreApplication.translate`` so both layers use the
same compiled ``.qm``; the command line uses the default backend, which reads the ``.ts``.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tunedesk.core.resources import resource_path

SUPPORTED_LANGUAGES: dict[str, str] = {"en": "English", "zh_CN": "简体中文"}
SOURCE_LANGUAGE = "en"

Backend = Callable[[str, str], str]

_lock = threading.Lock()
_language = SOURCE_LANGUAGE
_catalogs: dict[str, dict[tuple[str, str], str]] = {}


def ts_path(language: str) -> Any:
    return resource_path("i18n", f"tunedesk_{language}.ts")


def load_ts(path: Any) -> dict[tuple[str, str], str]:
    """Read a Qt Linguist .ts file into {(context, source): translation} (finished ones only)."""
    import xml.etree.ElementTree as ET  # only the command line reads .ts files

    catalog: dict[tuple[str, str], str] = {}
    try:
        tree = ET.parse(path)
    except (OSError, ET.ParseError):
        return catalog
    for ctx in tree.getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            source = msg.findtext("source")
            tr = msg.find("translation")
            if source is None or tr is None or tr.get("type") in {"unfinished", "obsolete"}:
                continue
            if tr.text:
                catalog[(name, source)] = tr.text
    return catalog


def _ts_backend(context: str, source: str) -> str:
    lang = _language
    if lang == SOURCE_LANGUAGE:
        return source
    with _lock:
        catalog = _catalogs.get(lang)
        if catalog is None:
            catalog = _catalogs[lang] = load_ts(ts_path(lang))
    return catalog.get((context, source), source)


_backend: Backend = _ts_backend


def set_backend(backend: Backend | None) -> None:
    """Route translation through ``backend`` (the UI passes QCoreApplication.translate)."""
    global _backend
    _backend = backend or _ts_backend


def set_language(language: str) -> None:
    global _language
    _language = language if language in SUPPORTED_LANGUAGES else SOURCE_LANGUAGE


def current_language() -> str:
    return _language


def preferred_language(names: Iterable[str]) -> str:
    """The first language in ``names`` (most preferred first) that TuneDesk speaks, else English.

    Accepts the spellings operating systems use: ``zh-Hans-CN`` and ``en-US`` (Qt's
    ``QLocale.uiLanguages()``), ``zh_CN.UTF-8`` and ``de:zh_CN`` (POSIX variables, GNU
    ``LANGUAGE`` lists), ``Chinese (Simplified)_China`` (Windows locale names). Empty, ``C``
    and ``POSIX`` say nothing and are skipped. Every Chinese variant maps to Simplified
    Chinese, the only Chinese TuneDesk ships.
    """
    for raw in names:
        for part in raw.split(":"):
            value = part.split(".")[0].replace("-", "_").strip().lower()
            if value.startswith(("zh", "chinese")):
                return "zh_CN"
            if value.startswith(("en", "english")):
                return SOURCE_LANGUAGE
    return SOURCE_LANGUAGE


def system_language() -> str:
    """The user's language from the environment and the OS locale (the command line's guess).

    The desktop app asks Qt instead (tunedesk.ui.i18n.system_language), which also reads the
    macOS and Windows language preferences that a GUI process's environment lacks.
    """
    import locale  # only when no language is configured: ~1.3 ms to import

    candidates = [os.environ.get(v, "") for v in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")]
    with contextlib.suppress(ValueError):
        candidates.append(locale.getlocale()[0] or "")
    return preferred_language(candidates)


def translate(context: str, source: str, /) -> str:
    """Translate now. Format parameters afterwards with ``.format(...)``."""
    return _backend(context, source)


def QT_TRANSLATE_NOOP(context: str, source: str, /) -> str:
    """Mark ``source`` for extraction without translating it (lupdate understands this)."""
    return source


@dataclass(frozen=True, slots=True)
class Text:
    """A message translated when it is shown, so a language switch applies to it too."""

    context: str
    source: str
    params: tuple[tuple[str, Any], ...] = field(default=())

    def format(self, **params: Any) -> Text:
        return Text(self.context, self.source, (*self.params, *params.items()))

    @property
    def kwargs(self) -> Mapping[str, Any]:
        return dict(self.params)

    def english(self) -> str:
        return self._render(self.source)

    def _render(self, template: str) -> str:
        if not self.params:
            return template
        values = {k: (str(v) if isinstance(v, Text) else v) for k, v in self.params}
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            # A broken translation must never hide the message: fall back to English.
            return self.source.format(**values)

    def __str__(self) -> str:
        return self._render(translate(self.context, self.source))


class _Lazy:
    """``lazy.translate(ctx, source)`` builds a :class:`Text` (and is visible to lupdate)."""

    @staticmethod
    def translate(context: str, source: str, /) -> Text:
        return Text(context, source)


lazy = _Lazy()
