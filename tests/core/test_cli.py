"""tunedesk check / export: exit codes, JSON shape, human messages, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tunedesk.__main__ import main

PUBLISHED = Path(__file__).resolve().parents[1] / "data" / "family-as-published.jsonl"
REPO = Path(__file__).resolve().parents[2]


def _good_jsonl(path: Path, n: int = 12) -> Path:
    lines = [
        json.dumps(
            {
                "messages": [
                    {"role": "system", "content": "You answer questions about the Li family."},
                    {"role": "user", "content": f"Question number {i} about topic {i * 7}?"},
                    {"role": "assistant", "content": f"Answer {i}."},
                ]
            }
        )
        for i in range(n)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_check_published_sample_reports_errors_with_lines(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", str(PUBLISHED), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    (entry,) = data["files"]
    assert entry["path"] == str(PUBLISHED)
    assert entry["examples"] == 10
    assert entry["tokens"] > 0
    codes = {f["code"] for f in entry["findings"]}
    assert "too_few_examples" in codes
    system_only = [f for f in entry["findings"] if f["row"] == 1 and f["severity"] == "error"]
    assert system_only
    assert system_only[0]["line"] == 1
    for finding in entry["findings"]:
        assert set(finding) == {"severity", "line", "row", "code", "message"}
        assert finding["severity"] in {"error", "warning"}
        assert finding["message"]


def test_check_clean_file_exits_zero_even_with_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _good_jsonl(tmp_path / "ok.jsonl")
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "12 examples" in out
    assert "0 errors" in out


def test_check_unreadable_file_exits_two_with_a_message(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(b"\x00\x01\x02\xff" * 1000)
    result = subprocess.run(
        [sys.executable, "-m", "tunedesk", "check", str(garbage), str(tmp_path / "missing.jsonl")],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert "garbage.csv" in result.stdout
    assert "missing.jsonl" in result.stdout


def test_check_unknown_model_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(PUBLISHED), "--model", "no-such-model"]) == 2
    assert "no-such-model" in capsys.readouterr().err


def test_check_token_limit_follows_the_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "long.jsonl"
    long_answer = "word " * 40_000  # ~40k tokens: over gpt-4.1-nano's 32,768, under 65,536
    rows = [
        {
            "messages": [
                {"role": "user", "content": f"q{i}?"},
                {"role": "assistant", "content": long_answer if i == 0 else "a"},
            ]
        }
        for i in range(10)
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    main(["check", str(path), "--json", "--model", "gpt-4.1-nano-2025-04-14"])
    nano = json.loads(capsys.readouterr().out)["files"][0]["findings"]
    main(["check", str(path), "--json"])
    default = json.loads(capsys.readouterr().out)["files"][0]["findings"]
    assert any(f["code"] == "too_many_tokens" for f in nano)
    assert not any(f["code"] == "too_many_tokens" for f in default)


def test_export_writes_train_and_validation(tmp_path: Path) -> None:
    src = _good_jsonl(tmp_path / "ok.jsonl", n=20)
    out = tmp_path / "out"
    assert main(["export", str(src), "--out", str(out), "--validation-fraction", "0.1"]) == 0
    train = (out / "train.jsonl").read_text(encoding="utf-8").splitlines()
    valid = (out / "validation.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(train) == 18
    assert len(valid) == 2
    assert all(json.loads(line)["messages"][0]["role"] == "system" for line in train + valid)


def test_export_rejects_a_bad_fraction(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _good_jsonl(tmp_path / "ok.jsonl")
    assert main(["export", str(src), "--out", str(tmp_path), "--validation-fraction", "2"]) == 2
    assert "between 0 and 0.5" in capsys.readouterr().err


def test_version_and_help() -> None:
    version = subprocess.run(
        [sys.executable, "-m", "tunedesk", "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.startswith("TuneDesk ")
    helptext = subprocess.run(
        [sys.executable, "-m", "tunedesk", "--help"], capture_output=True, text=True, check=True
    )
    assert "tunedesk check" in helptext.stdout
    assert "--sample" in helptext.stdout
