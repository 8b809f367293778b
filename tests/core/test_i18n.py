"""Which interface language a person gets when they have not chosen one."""

from __future__ import annotations

import pytest

from tunedesk.core import i18n


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["zh-Hans-CN", "zh-CN", "zh"], "zh_CN"),  # Qt uiLanguages() on a Chinese system
        (["zh-Hant-TW"], "zh_CN"),  # the only Chinese shipped is Simplified
        (["en-US", "zh-Hans-CN"], "en"),  # order of preference wins
        (["de-DE", "zh-Hans-CN"], "zh_CN"),  # an unsupported first choice is skipped
        (["de-DE", "fr-FR"], "en"),  # nothing supported: English
        (["zh_CN.UTF-8"], "zh_CN"),  # POSIX LANG
        (["", "C", "POSIX", "zh_CN.GB18030"], "zh_CN"),  # empty/C/POSIX say nothing
        (["de:zh_CN:en"], "zh_CN"),  # GNU LANGUAGE list
        (["Chinese (Simplified)_China"], "zh_CN"),  # Windows locale.getlocale()
        (["English_United States"], "en"),
        ([], "en"),
    ],
)
def test_preferred_language(names: list[str], expected: str) -> None:
    assert i18n.preferred_language(names) == expected


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
        ({"LANGUAGE": "zh_CN:en", "LANG": "en_US.UTF-8"}, "zh_CN"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
    ],
)
def test_system_language_reads_the_environment(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert i18n.system_language() == expected
