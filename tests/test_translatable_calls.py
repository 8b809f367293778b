"""Every translation call is one pyside6-lupdate can extract.

lupdate reads source text: ``translate(CONTEXT_VARIABLE, "…")`` is skipped silently and an
alias such as ``tr = QCoreApplication.translate; tr("Ctx", "…")`` is filed under the wrong
context, so those strings stayed English in the Chinese UI. The completeness test in
test_translations.py cannot see that (it compares lupdate with lupdate), this one can.
"""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app" / "tunedesk"
# The translation machinery itself passes contexts and sources through variables.
MACHINERY = {APP / "core" / "i18n.py", APP / "ui" / "i18n.py"}
# translate() calls whose source is a QT_TRANSLATE_NOOP-marked constant looked up at run time.
NOOP_LOOKUPS = {"_HEADERS", "SPLIT_LABELS", "FILTER_LABELS", "_FILTER_LABELS"}


def _is_str(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _problems(path: Path) -> list[str]:
    out = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        where = f"{path.relative_to(APP.parent)}:{node.lineno}"
        # (one argument: str.translate(table), not Qt's translate(context, source))
        if name == "translate" and len(node.args) >= 2:
            if not _is_str(node.args[0]):
                out.append(f"{where}: translate() context is not a string literal")
            elif len(node.args) > 1 and not _is_str(node.args[1]):
                source = ast.unparse(node.args[1])
                if not any(source.startswith(lookup) for lookup in NOOP_LOOKUPS):
                    out.append(f"{where}: translate() source is not a string literal")
            if len(node.args) > 2 or node.keywords:
                out.append(f"{where}: parameters inside translate(); use .format() after it")
        elif name == "tr" and isinstance(func, ast.Name):
            out.append(f"{where}: tr() alias; call QCoreApplication.translate or self.tr")
        elif name == "tr" and isinstance(func, ast.Attribute):
            owner = ast.unparse(func.value)
            if owner != "self":
                # lupdate files it under the class it is written in; Qt looks it up under
                # the runtime class of ``owner``: they differ, and it stays English.
                out.append(f"{where}: {owner}.tr(); use QCoreApplication.translate")
            elif node.args and not _is_str(node.args[0]):
                out.append(f"{where}: self.tr() source is not a string literal")
    return out


def test_every_translation_call_can_be_extracted() -> None:
    problems = []
    for path in sorted(APP.rglob("*.py")):
        if path not in MACHINERY:
            problems.extend(_problems(path))
    assert not problems, "\n".join(problems)
