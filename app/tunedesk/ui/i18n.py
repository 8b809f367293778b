"""Install Qt translators for the chosen language and route core messages through Qt."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from tunedesk.core import i18n
from tunedesk.core.resources import resource_path

_installed: list[QTranslator] = []


def qm_path(language: str) -> str:
    return str(resource_path("i18n", f"tunedesk_{language}.qm"))


def system_language() -> str:
    """The interface language the OS prefers: Qt reads the macOS and Windows language
    settings, which Python's ``locale`` misses in an app started from the Finder or Start."""
    return i18n.preferred_language(QLocale.system().uiLanguages())


def install_translators(app: QCoreApplication, language: str) -> None:
    """Load our .qm and Qt's own (dialog buttons) for ``language``; English needs none."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
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
