"""Chinese ships complete: every string is translated, placeholders match, .qm is current."""

from __future__ import annotations

import re
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
import i18n as i18n_tool  # noqa: E402  (scripts/ is not a package)

PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def _messages(ts: Path) -> list[tuple[str, str, ET.Element | None]]:
    out = []
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            out.append((name, msg.findtext("source") or "", msg.find("translation")))
    return out


@pytest.fixture(scope="module")
def fresh_ts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The .ts as lupdate would write it from the current sources."""
    ts = tmp_path_factory.mktemp("ts") / "fresh.ts"
    shutil.copy(i18n_tool.ts_file("zh_CN"), ts)
    i18n_tool.update(ts)
    return ts


@pytest.mark.slow
def test_every_source_string_is_in_the_shipped_ts(fresh_ts: Path) -> None:
    shipped = {(c, s) for c, s, _ in _messages(i18n_tool.ts_file("zh_CN"))}
    missing = [(c, s) for c, s, _ in _messages(fresh_ts) if (c, s) not in shipped]
    assert not missing, f"run `python scripts/i18n.py update` and translate: {missing[:10]}"


def test_every_string_is_translated_with_matching_placeholders() -> None:
    problems = []
    for ctx, source, tr in _messages(i18n_tool.ts_file("zh_CN")):
        if tr is None or tr.get("type") in {"unfinished", "vanished", "obsolete"} or not tr.text:
            problems.append(f"untranslated: {ctx}: {source!r}")
            continue
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(tr.text)):
            problems.append(f"placeholders differ: {ctx}: {source!r} -> {tr.text!r}")
    assert not problems, "\n".join(problems[:20])


@pytest.mark.slow
def test_shipped_qm_matches_the_ts(tmp_path: Path) -> None:
    ts = i18n_tool.ts_file("zh_CN")
    fresh = tmp_path / "fresh.qm"
    i18n_tool.compile_qm(ts, fresh)
    assert fresh.read_bytes() == ts.with_suffix(".qm").read_bytes(), (
        "run `python scripts/i18n.py compile`"
    )


def test_core_messages_translate_without_qt() -> None:
    from tunedesk.core import i18n
    from tunedesk.core.flow import STEPS

    i18n.set_language("zh_CN")
    titles = [str(step.title) for step in STEPS]
    assert titles[1] != "Data"
    assert all(t for t in titles)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in titles[1])
