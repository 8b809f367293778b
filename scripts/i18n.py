"""Update the translation source and compile it.

    python scripts/i18n.py update   # pyside6-lupdate: collect strings from app/ into the .ts
    python scripts/i18n.py compile  # pyside6-lrelease: .ts -> .qm (shipped in resources/)

Translators edit resources/i18n/tunedesk_zh_CN.ts (Qt Linguist or a text editor).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LANGUAGES = ["zh_CN"]


def sources() -> list[str]:
    return sorted(str(p.relative_to(REPO)) for p in (REPO / "app" / "tunedesk").rglob("*.py"))


def ts_file(language: str) -> Path:
    return REPO / "resources" / "i18n" / f"tunedesk_{language}.ts"


def update(ts: Path | None = None, language: str = "zh_CN") -> None:
    target = ts or ts_file(language)
    subprocess.run(
        [str(BIN / "pyside6-lupdate"), "-no-obsolete", "-locations", "none",
         "-target-language", language, *sources(), "-ts", str(target)],
        cwd=REPO, check=True, capture_output=True,
    )


def compile_qm(ts: Path, qm: Path) -> None:
    subprocess.run(
        [str(BIN / "pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)],
        cwd=REPO, check=True, capture_output=True,
    )


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    for language in LANGUAGES:
        ts = ts_file(language)
        if command == "update":
            update(ts, language)
        elif command == "compile":
            compile_qm(ts, ts.with_suffix(".qm"))
        else:
            print(__doc__)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
