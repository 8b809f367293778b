"""Run the frozen bundle the way a user's machine would, headless (STYLE G18).

    python packaging/smoke_test.py dist/TuneDesk/TuneDesk      (or the folder dist/TuneDesk)

On Windows pass the console twin, TuneDesk-debug.exe: the windowed EXE has no stdout.
Every run gets a fresh, empty profile (HOME, XDG folders, LOCALAPPDATA in a temp folder)
and Qt's offscreen platform. Checks, each one line "ok" or "FAILED":

* ``--version``;
* ``self-test`` (tokenizer offline, catalog, samples, translations, every SDK import,
  every TuneDesk module, keyring backends, keyring round trip: ok, or skipped where this
  machine has no keyring), and again with a test keyring backend (configured through
  keyring's own keyringrc.cfg), where the round trip must be ok;
* ``check`` on a garbage file (exit 2, a message, no traceback) and on a good file in
  Chinese (the command line's translations ship);
* the window with the sample project, starting and quitting by itself;
* ``--smoke-pages`` in English and in Chinese: every step's page is shown once;
* afterwards: no crash report and no error in the app's log.

Any line on stderr other than ALLOWED_STDERR fails the check it came from. Exit 0 when
everything passed, 1 otherwise; the last line reads "smoke: N passed, N failed".
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ALLOWED_STDERR = (
    "QStandardPaths:",  # offscreen runs with a temporary HOME and no XDG_RUNTIME_DIR
)
# Lines `self-test` must print (an installation that silently drops a check fails here).
SELF_TEST_LINES = (
    "tokenizer",
    "catalog",
    "samples",
    "translations",
    "qt charts",
    "import azure.identity",
    "import azure.ai.ml",
    "import azure.ai.ml.entities",
    "import openai",
    "import azure.mgmt.core",
    "import azure.core.pipeline.transport",
    "import truststore",
    "import tiktoken",
    "import pypdf",
    "import mammoth",
    "app modules",
    "keyring backends",
    "keyring round trip",
)
STEPS = ("sign_in", "data", "model", "train", "deploy", "chat")
# An in-memory keyring backend that keyring loads from its own config file (keyring-path),
# so the frozen app's keyring code is exercised without touching a real keyring.
TEST_KEYRING = """
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class Keyring(KeyringBackend):
    priority = 1

    def __init__(self):
        super().__init__()
        self.store = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        if self.store.pop((service, username), None) is None:
            raise PasswordDeleteError(username)
"""


def find_exe(target: Path) -> Path:
    if target.is_dir():
        for name in ("TuneDesk-debug.exe", "TuneDesk.exe", "TuneDesk"):
            if (target / name).is_file():
                return target / name
    return target


def profile_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}
    env.update(LANG="C.UTF-8")
    env.update(
        HOME=str(home),
        USERPROFILE=str(home),
        LOCALAPPDATA=str(home / "AppData" / "Local"),
        APPDATA=str(home / "AppData" / "Roaming"),
        XDG_CONFIG_HOME=str(home / "c"),
        XDG_DATA_HOME=str(home / "d"),
        XDG_STATE_HOME=str(home / "s"),
        XDG_CACHE_HOME=str(home / "k"),
        QT_QPA_PLATFORM="offscreen",
    )
    env.update(extra)
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(var, None)
    return env


def keyring_config_dir(env: dict[str, str]) -> Path:
    """Where keyring reads keyringrc.cfg (keyring.util.platform_.config_root)."""
    if sys.platform == "win32":
        return Path(env["LOCALAPPDATA"]) / "Python Keyring"
    return Path(env["XDG_CONFIG_HOME"]) / "python_keyring"


class Smoke:
    def __init__(self, exe: Path, work: Path) -> None:
        self.exe = exe
        self.work = work
        self.passed = 0
        self.failures: list[str] = []

    def run(
        self, name: str, args: list[str], env: dict[str, str], judge: Callable[..., str | None]
    ) -> subprocess.CompletedProcess[str] | None:
        """Run the bundle; ``judge(result)`` returns a problem or None. Stderr is checked."""
        try:
            result = subprocess.run(
                [str(self.exe), *args],
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                env=env,
                timeout=180,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            self.fail(name, f"{type(exc).__name__}: {exc}")
            return None
        noise = [
            line
            for line in result.stderr.splitlines()
            if line.strip() and not line.startswith(ALLOWED_STDERR)
        ]
        problem = judge(result)
        if noise:
            problem = (problem + "; " if problem else "") + "stderr: " + " | ".join(noise[:20])
        if problem:
            self.fail(name, f"{problem}\n--- stdout:\n{result.stdout}")
        else:
            self.ok(name)
        return result

    def ok(self, name: str) -> None:
        self.passed += 1
        print(f"ok      {name}", flush=True)

    def fail(self, name: str, problem: str) -> None:
        self.failures.append(name)
        print(f"FAILED  {name}: {problem}", flush=True)


def source_modules() -> int | None:
    """How many modules app/tunedesk has: `self-test`'s "app modules" must find them all
    (it can only walk what the bundle has, so a module PyInstaller missed shows here)."""
    app = Path(__file__).resolve().parents[1] / "app"
    if not (app / "tunedesk").is_dir():
        return None
    count = 0
    for path in (app / "tunedesk").rglob("*.py"):
        parts = path.relative_to(app).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts in (("tunedesk",), ("tunedesk", "__main__")):
            continue
        # pkgutil.walk_packages only enters folders that are packages
        if all((app.joinpath(*parts[:i]) / "__init__.py").is_file() for i in range(1, len(parts))):
            count += 1
    return count


def _self_test_judge(*, round_trip: tuple[str, ...]) -> Callable[..., str | None]:
    def judge(result: subprocess.CompletedProcess[str]) -> str | None:
        status = {}
        details = {}
        for line in result.stdout.splitlines():
            name, sep, rest = line.partition(": ")
            if sep:
                status[name] = rest.split(" ", 1)[0]
                details[name] = rest
        missing = [n for n in SELF_TEST_LINES if n not in status]
        expected = source_modules()
        found = re.match(r"ok \((\d+) modules", details.get("app modules", ""))
        if expected is not None and (found is None or int(found.group(1)) < expected):
            missing.append(f"app modules: {expected} in app/tunedesk, the bundle has fewer")
        bad = [f"{n}: {status[n]}" for n in SELF_TEST_LINES if status.get(n, "ok") != "ok"]
        bad = [b for b in bad if not b.startswith("keyring round trip")]
        if status.get("keyring round trip", round_trip[0]) not in round_trip:
            bad.append(f"keyring round trip: {status['keyring round trip']}")
        if result.returncode or missing or bad:
            return f"exit {result.returncode}, missing {missing}, not ok {bad}"
        return None

    return judge


def _pages_judge(result: subprocess.CompletedProcess[str]) -> str | None:
    shown = [line for line in result.stdout.splitlines() if line.startswith("page ")]
    ok = {line.split()[1].rstrip(":") for line in shown if line.endswith(" ok")}
    missing = [step for step in STEPS if step not in ok]
    if result.returncode or missing:
        return f"exit {result.returncode}, pages not shown: {missing}"
    return None


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    started = time.monotonic()
    exe = find_exe(Path(sys.argv[1]))
    if not exe.is_file():
        print(f"FAILED  no TuneDesk executable at {sys.argv[1]}")
        print("smoke: 0 passed, 1 failed")
        return 1
    with tempfile.TemporaryDirectory(prefix="tunedesk-smoke-") as tmp:
        work = Path(tmp)
        home = work / "home"
        home.mkdir()
        env = profile_env(home)
        smoke = Smoke(exe, work)
        print(f"smoke test of {exe}", flush=True)

        smoke.run(
            "--version",
            ["--version"],
            env,
            lambda r: None if r.returncode == 0 and r.stdout.startswith("TuneDesk ") else r.stdout,
        )
        selftest = smoke.run(
            "self-test", ["self-test"], env, _self_test_judge(round_trip=("ok", "skipped"))
        )
        if selftest is not None:
            print("        " + selftest.stdout.rstrip().replace("\n", "\n        "), flush=True)

        # A test backend keyring loads from its own keyringrc.cfg: the round trip must work.
        keyring_home = work / "keyring-home"
        keyring_env = profile_env(keyring_home)
        config = keyring_config_dir(keyring_env)
        config.mkdir(parents=True)
        (work / "keyring-path").mkdir()
        (work / "keyring-path" / "smoke_keyring.py").write_text(TEST_KEYRING, encoding="utf-8")
        (config / "keyringrc.cfg").write_text(
            "[backend]\ndefault-keyring=smoke_keyring.Keyring\n"
            f"keyring-path={work / 'keyring-path'}\n",
            encoding="utf-8",
        )
        smoke.run(
            "self-test with a test keyring backend",
            ["self-test"],
            keyring_env,
            _self_test_judge(round_trip=("ok",)),
        )

        bad = work / "bad.jsonl"
        bad.write_bytes(b"\x00\xff" * 100)
        smoke.run(
            "check on a garbage file",
            ["check", str(bad)],
            env,
            lambda r: (
                None
                if r.returncode == 2 and "Traceback" not in r.stdout and r.stdout.strip()
                else f"exit {r.returncode}"
            ),
        )
        good = work / "good.jsonl"
        good.write_text(
            "".join(
                json.dumps(
                    {
                        "messages": [
                            {"role": "user", "content": f"问题 {i}?"},
                            {"role": "assistant", "content": f"答案 {i}。"},
                        ]
                    },
                    ensure_ascii=False,
                )
                + "\n"
                for i in range(12)
            ),
            encoding="utf-8",
        )
        english = smoke.run("check in English", ["check", str(good)], env, lambda r: None)
        smoke.run(
            "check in Chinese",
            ["check", str(good)],
            profile_env(home, LANG="zh_CN.UTF-8"),
            lambda r: (
                None
                if english is not None
                and r.returncode == english.returncode
                and r.stdout != english.stdout
                and any("\u4e00" <= ch <= "\u9fff" for ch in r.stdout.replace(str(good), ""))
                else f"exit {r.returncode}, not in Chinese: {r.stdout!r}"
            ),
        )

        smoke.run(
            "window with the sample project, quits by itself",
            ["--sample", "--no-err-windows", "--quit-after", "1500"],
            env,
            lambda r: f"exit {r.returncode}" if r.returncode else None,
        )
        for lang in ("en", "zh_CN"):
            result = smoke.run(
                f"--smoke-pages --lang {lang}",
                ["--sample", "--no-err-windows", "--smoke-pages", "--lang", lang],
                env,
                _pages_judge,
            )
            if result is not None and lang == "en":
                print("        " + result.stdout.rstrip().replace("\n", "\n        "), flush=True)

        crashes = sorted(p.name for p in work.rglob("crash-*.txt"))
        errors = [
            line
            for log in work.rglob("tunedesk.log")
            for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
            if " ERROR " in line or " CRITICAL " in line or "Traceback" in line
        ]
        if crashes or errors:
            smoke.fail("no crash report, no error logged", f"{crashes} {errors[:10]}")
        else:
            smoke.ok("no crash report, no error logged")
    print(f"smoke test took {time.monotonic() - started:.0f} s", flush=True)
    print(f"smoke: {smoke.passed} passed, {len(smoke.failures)} failed", flush=True)
    return 1 if smoke.failures else 0


if __name__ == "__main__":
    sys.exit(main())
