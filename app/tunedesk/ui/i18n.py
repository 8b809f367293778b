"""Install Qt translators for the chosen language and route core messages through Qt.

Developer aid, never offered to users: the **pseudo-locale** shows every translatable string
(TuneDesk's, the core's and Qt's own) accented and 40 % longer, so a screenshot shows which
text would clip in a longer language and which text is not translatable at all (it stays
plain). Start the app with it::

    TUNEDESK_PSEUDO_LOCALE=1 tunedesk --sample        # or =160 for 60 % longer

or call ``install_translators(app, PSEUDO)`` (tests/gui/test_pseudo_locale.py does).
"""

from __future__ import annotations

import os
import re

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from tunedesk.core import i18n
from tunedesk.core.resources import resource_path

_installed: list[QTranslator] = []

PSEUDO = "pseudo"
PSEUDO_ENV = "TUNEDESK_PSEUDO_LOCALE"
PSEUDO_SCALE = 140  # per cent of the English length

# Left as they are: markup, format fields, entities, mnemonics, Qt's %1/%n, addresses.
# (A pattern string: ``re`` compiles it on first use, not while the app starts.)
_PROTECTED = r"<[^>]*>|\{\{|\}\}|\{[^{}]*\}|&#?\w+;|&&|&[^&\s]|%L?\d+|%n|https?://[^\s<\"]+"
_ACCENTED = str.maketrans(
    "ACDEGHIJKLNORSTUWYZacdeghijklnorstuwyz",
    "ÅÇÐÉĜĤÎĴĶĹÑÖŔŠŢÜŴÝŽåçďéĝĥîĵķĺñöŕšţüŵýž",
)


def pseudo_text(source: str, scale: int = PSEUDO_SCALE) -> str:
    """``source`` accented and ``scale`` per cent as long: its letters are repeated evenly
    along the text (words keep their places to wrap), markup and placeholders untouched."""
    parts: list[tuple[bool, str]] = []  # (translatable, text)
    pos = 0
    for match in re.finditer(_PROTECTED, source):
        parts += [(True, source[pos : match.start()]), (False, match.group(0))]
        pos = match.end()
    parts.append((True, source[pos:]))
    visible = sum(len(text) for translatable, text in parts if translatable)
    letters = sum(c.isalpha() for translatable, text in parts if translatable for c in text)
    extra = -(-visible * max(scale - 100, 0) // 100)  # rounded up
    out: list[str] = []
    seen = 0  # letters so far: the n-th letter is repeated up to its even share of ``extra``
    for translatable, text in parts:
        if not translatable:
            out.append(text)
            continue
        for char in text:
            accented = char.translate(_ACCENTED)
            out.append(accented)
            if char.isalpha():
                repeats = (seen + 1) * extra // letters - seen * extra // letters
                out.append(accented * repeats)
                seen += 1
    return "".join(out)


class PseudoTranslator(QTranslator):
    """Translates every string into the pseudo-locale (Vorta's ``TRANS_SCALE``)."""

    def __init__(self, parent: QCoreApplication, scale: int = PSEUDO_SCALE) -> None:
        super().__init__(parent)
        self.scale = scale

    def isEmpty(self) -> bool:  # reimplements QTranslator::isEmpty
        return False

    def translate(  # reimplements QTranslator::translate
        self, context: str, source_text: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        if not source_text or source_text == "QT_LAYOUT_DIRECTION":
            return source_text  # Qt asks for "LTR"/"RTL" with this one
        return pseudo_text(source_text, self.scale)


def pseudo_scale() -> int | None:
    """The scale the developer asked for with TUNEDESK_PSEUDO_LOCALE (1 or yes: 140), or None."""
    value = os.environ.get(PSEUDO_ENV, "").strip().lower()
    if value in ("", "0", "no", "false"):
        return None
    return int(value) if value.isdigit() and int(value) > 100 else PSEUDO_SCALE


def qm_path(language: str) -> str:
    return str(resource_path("i18n", f"tunedesk_{language}.qm"))


def system_language() -> str:
    """The interface language the OS prefers: Qt reads the macOS and Windows language
    settings, which Python's ``locale`` misses in an app started from the Finder or Start."""
    return i18n.preferred_language(QLocale.system().uiLanguages())


def install_translators(app: QCoreApplication, language: str) -> None:
    """Load our .qm and Qt's own (dialog buttons) for ``language``; English needs none.

    With TUNEDESK_PSEUDO_LOCALE set, every language is the pseudo-locale.
    """
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    scale = pseudo_scale()
    if scale is not None or language == PSEUDO:
        i18n.set_language(i18n.SOURCE_LANGUAGE)
        i18n.set_backend(QCoreApplication.translate)
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        pseudo = PseudoTranslator(app, scale or PSEUDO_SCALE)
        app.installTranslator(pseudo)
        _installed.append(pseudo)
        return
    i18n.set_language(language)
    i18n.set_backend(QCoreApplication.translate)
    if language == i18n.SOURCE_LANGUAGE:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return
    QLocale.setDefault(QLocale(language))
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ours = QTranslator(app)
    if ours.load(qm_path(language)):
        app.installTranslator(ours)
        _installed.append(ours)
    qtbase = QTranslator(app)
    if qtbase.load(f"qtbase_{language}", qt_dir):
        app.installTranslator(qtbase)
        _installed.append(qtbase)
