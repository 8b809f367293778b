"""``tunedesk self-test`` and ``tunedesk --smoke-pages`` from the source tree.

The frozen smoke test (packaging/smoke_test.py) runs the same two in the bundle; here they
must pass from source, so a failure there points at the bundle, not at the checks.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.profile_env import fresh_profile_env
from tunedesk import cli
from tunedesk.__main__ import main
from tunedesk.core.catalog import load_catalog
from tunedesk.core.flow import STEPS

REPO = Path(__file__).resolve().parents[1]


def _env(home: Path, *, keyring_backend: str) -> dict[str, str]:
    """A fresh profile whose keyring is ``keyring_backend``, set in keyring's own config."""
    env = fresh_profile_env(home)
    env.pop("PYTHON_KEYRING_BACKEND", None)  # keyring must read the config file below
    config = home / "c" / "python_keyring"
    config.mkdir(parents=True)
    (config / "keyringrc.cfg").write_text(
        f"[backend]\ndefault-keyring={keyring_backend}\nkeyring-path={REPO}\n", encoding="utf-8"
    )
    return env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tunedesk", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=REPO,
        timeout=180,
        check=False,
    )


def _lines(stdout: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in stdout.splitlines() if ": " in line)


@pytest.mark.slow
def test_self_test_passes_from_source_with_a_keyring(tmp_path: Path) -> None:
    env = _env(tmp_path, keyring_backend="tests.helpers.memory_keyring.MemoryKeyring")
    result = _run(env, "self-test")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    lines = _lines(result.stdout)
    names = [name for name, _check in cli.self_test_checks()]
    assert list(lines)[: len(names)] == names  # one line per check, in order
    for name in names:
        assert lines[name].startswith("ok"), f"{name}: {lines[name]}"
    assert f"checked {load_catalog().checked.isoformat()}" in lines["catalog"]
    assert "offline" in lines["tokenizer"]
    assert "MemoryKeyring" in lines["keyring round trip"]
    assert result.stdout.splitlines()[-1] == f"self-test: {len(names)} passed, 0 failed, 0 skipped"


@pytest.mark.slow
def test_without_a_keyring_the_round_trip_is_skipped_not_failed(tmp_path: Path) -> None:
    result = _run(_env(tmp_path, keyring_backend="keyring.backends.fail.Keyring"), "self-test")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = _lines(result.stdout)
    assert lines["keyring round trip"].startswith("skipped (no keyring backend on this system")
    assert lines["self-test"].endswith(" 0 failed, 1 skipped")


def test_a_failing_check_is_reported_with_its_reason_and_exits_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken() -> str:
        raise ModuleNotFoundError("No module named 'openai'")

    def not_here() -> str:
        raise cli.Skipped("not on this system")

    checks = [("fine", lambda: "all there"), ("import openai", broken), ("other", not_here)]
    monkeypatch.setattr(cli, "self_test_checks", lambda: checks)
    assert main(["self-test"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "fine: ok (all there)",
        "import openai: failed (ModuleNotFoundError: No module named 'openai')",
        "other: skipped (not on this system)",
        "self-test: 1 passed, 1 failed, 1 skipped",
    ]


def test_the_tokenizer_check_fails_when_loading_would_use_the_network(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import socket

    from tunedesk.core import tokens

    def download() -> dict[bytes, int]:
        socket.create_connection(("openaipublic.blob.core.windows.net", 443))
        raise AssertionError("unreachable")

    monkeypatch.setattr(tokens, "_encoding", None)
    monkeypatch.setattr(tokens, "_load_ranks", download)
    with pytest.raises(OSError, match="no network"):
        cli._check_tokenizer()
    assert socket.getaddrinfo.__name__ == "getaddrinfo"  # the guard is gone again


def test_the_frozen_smoke_test_expects_every_self_test_line() -> None:
    spec = importlib.util.spec_from_file_location(
        "smoke_test", REPO / "packaging" / "smoke_test.py"
    )
    assert spec is not None
    assert spec.loader is not None
    smoke = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(smoke)
    names = [name for name, _check in cli.self_test_checks()]
    assert tuple(names) == smoke.SELF_TEST_LINES
    assert tuple(info.step.value for info in STEPS) == smoke.STEPS
    assert smoke.source_modules() >= 80


@pytest.mark.slow
def test_smoke_pages_shows_every_step_once_then_quits(tmp_path: Path) -> None:
    env = _env(tmp_path, keyring_backend="keyring.backends.fail.Keyring")
    result = _run(env, "--sample", "--no-err-windows", "--smoke-pages", "--lang", "zh_CN")
    assert result.returncode == 0, result.stdout + result.stderr
    shown = re.findall(r"^page (\w+): (\w+) ok$", result.stdout, re.MULTILINE)
    assert [step for step, _page in shown] == [info.step.value for info in STEPS]
    assert dict(shown)["sign_in"] == "SignInPage"
    assert dict(shown)["data"] == "DataPage"
    assert not list((tmp_path / "s").rglob("crash-*.txt"))


def test_self_test_warns_when_the_model_list_is_older_than_90_days() -> None:
    from datetime import timedelta

    checked = load_catalog().checked
    fresh = cli._check_catalog(checked + timedelta(days=90))
    assert "warning" not in fresh
    assert checked.isoformat() in fresh
    stale = cli._check_catalog(checked + timedelta(days=91))
    assert "warning: 91 days ago, more than 90" in stale
