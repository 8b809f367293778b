"""Run the frozen bundle the way a user's machine would, headless (STYLE G18).

    python packaging/smoke_test.py dist/TuneDesk/TuneDesk

Checks: `--version`, `self-test` (resources, translations, tokenizer, keyring round trip),
`check` on a bad file (exit 2, no traceback), and the window starting and quitting by
itself with the sample project, with nothing unexpected on stderr.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ALLOWED_STDERR = (
    "QStandardPaths:",  # offscreen runs in a temp HOME
)


def run(exe: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [exe, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def main() -> int:
    exe = sys.argv[1]
    with tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            "HOME": home,
            "XDG_CONFIG_HOME": f"{home}/c",
            "XDG_DATA_HOME": f"{home}/d",
            "XDG_STATE_HOME": f"{home}/s",
            "XDG_CACHE_HOME": f"{home}/k",
            "QT_QPA_PLATFORM": "offscreen",
        }
        failures = []
        version = run(exe, "--version", env=env)
        if version.returncode or not version.stdout.startswith("TuneDesk"):
            failures.append(f"--version: {version.stdout}{version.stderr}")
        selftest = run(exe, "self-test", env=env)
        print(selftest.stdout)
        if selftest.returncode:
            failures.append(f"self-test: {selftest.stdout}{selftest.stderr}")
        bad = Path(home) / "bad.jsonl"
        bad.write_bytes(b"\x00\xff" * 100)
        check = run(exe, "check", str(bad), env=env)
        if check.returncode != 2 or "Traceback" in check.stdout + check.stderr:
            failures.append(f"check on garbage: rc={check.returncode} {check.stdout}{check.stderr}")
        gui = run(exe, "--sample", "--no-err-windows", "--quit-after", "1500", env=env)
        noise = [
            line
            for line in gui.stderr.splitlines()
            if line.strip() and not line.startswith(ALLOWED_STDERR)
        ]
        if gui.returncode or noise:
            failures.append(f"window run: rc={gui.returncode} stderr={noise}")
    for failure in failures:
        print("FAIL", failure)
    print("smoke test", "failed" if failures else "passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
