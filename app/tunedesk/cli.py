"""``tunedesk check`` and ``tunedesk export``: the same core as the app, without a window.

Exit codes for ``check``: 0 no errors (warnings allowed), 1 errors found, 2 a file could
not be read at all. Every failure prints a human message, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tunedesk.core import i18n
from tunedesk.core.dataset import Dataset
from tunedesk.core.errors import UserFacingError
from tunedesk.core.findings import Finding, Severity
from tunedesk.core.i18n import translate

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_UNREADABLE = 2


@dataclass
class Loaded:
    path: str
    dataset: Dataset
    problems: list[Finding]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tunedesk")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser(
        "check",
        help="print the problems found in data files or projects",
        description="Check training data the way TuneDesk's checklist does.",
    )
    check.add_argument(
        "files", nargs="+", metavar="FILE", help="JSONL, CSV, TSV, XLSX or .tunedesk"
    )
    check.add_argument("--model", help="base model whose token limit applies (default: 65,536)")
    check.add_argument("--json", action="store_true", help="print machine-readable JSON")
    export = sub.add_parser(
        "export",
        help="write train.jsonl and validation.jsonl",
        description="Export chat JSONL for Azure fine-tuning.",
    )
    export.add_argument("file", metavar="FILE", help="JSONL, CSV, TSV, XLSX or .tunedesk")
    export.add_argument("--out", required=True, metavar="DIR", help="folder to write into")
    export.add_argument(
        "--validation-fraction",
        type=float,
        default=None,
        metavar="F",
        help="share of examples held out for validation, 0 to 0.5 (default 0.1; 0 = none)",
    )
    sub.add_parser(
        "self-test",
        help="check that this installation is complete (resources, translations, keyring)",
        description="Check this installation: bundled resources, translations, tokenizer, keyring.",
    )
    return parser


def load(path_text: str) -> Loaded:
    """Read a project or any importable data file into a dataset (raises UserFacingError)."""
    from tunedesk.core.project import PROJECT_SUFFIX, Project

    path = Path(path_text)
    if path.suffix.lower() == PROJECT_SUFFIX:
        project = Project.open(path)
        try:
            dataset = Dataset(project.dataset.system_prompt, list(project.dataset))
        finally:
            project.close()
        return Loaded(str(path), dataset, [])
    from tunedesk.core.formats import ColumnMappingNeeded, import_file

    try:
        result = import_file(path)
    except ColumnMappingNeeded as exc:
        raise UserFacingError(
            i18n.lazy.translate(
                "Cli",
                "{path}: the columns could not be recognised. Name them Question and "
                "Answer (or 问题 and 答案) in the first row, or import the file in the app "
                "to choose them.",
            ).format(path=path)
        ) from exc
    return Loaded(str(path), Dataset("", result.examples), list(result.problems))


def _finding_json(finding: Finding, dataset: Dataset) -> dict[str, Any]:
    row = dataset.index_of(finding.row_id) if finding.row_id else None
    return {
        "severity": finding.severity.value,
        "line": finding.line,
        "row": row + 1 if row is not None else None,
        "code": finding.code,
        "message": str(finding.message),
    }


def _finding_text(finding: Finding, dataset: Dataset, path: str) -> str:
    row = dataset.index_of(finding.row_id) if finding.row_id else None
    severity = (
        translate("Cli", "error")
        if finding.severity == Severity.ERROR
        else translate("Cli", "warning")
    )
    if finding.line is not None:
        where = translate("Cli", "{path}, line {line}").format(path=path, line=finding.line)
    elif row is not None:
        where = translate("Cli", "{path}, row {row}").format(path=path, row=row + 1)
    else:
        where = path
    return f"{where}: {severity}: {finding.message}"


def cmd_check(args: argparse.Namespace) -> int:
    from tunedesk.core.catalog import load_catalog
    from tunedesk.core.checks import run_checks

    limit = 65_536
    if args.model:
        catalog = load_catalog()
        model = catalog.get(args.model)
        if model is None:
            known = ", ".join(m.id for m in catalog.models)
            print(
                translate("Cli", "Unknown model {model}. Known models: {known}").format(
                    model=args.model, known=known
                ),
                file=sys.stderr,
            )
            return EXIT_UNREADABLE
        limit = model.max_example_tokens
    status = EXIT_OK
    files: list[dict[str, Any]] = []
    for path in args.files:
        try:
            loaded = load(path)
        except UserFacingError as exc:
            status = EXIT_UNREADABLE
            files.append(
                {"path": path, "examples": 0, "tokens": 0, "error": str(exc), "findings": []}
            )
            if not args.json:
                print(
                    translate("Cli", "{path}: cannot be read: {reason}").format(
                        path=path, reason=exc
                    )
                )
            continue
        report = run_checks(loaded.dataset, token_limit=limit)
        findings = [*loaded.problems, *report.findings]
        if any(f.severity == Severity.ERROR for f in findings) and status == EXIT_OK:
            status = EXIT_ERRORS
        files.append(
            {
                "path": path,
                "examples": len(loaded.dataset),
                "tokens": report.total_tokens,
                "findings": [_finding_json(f, loaded.dataset) for f in findings],
            }
        )
        if not args.json:
            for finding in findings:
                print(_finding_text(finding, loaded.dataset, path))
            errors = sum(1 for f in findings if f.severity == Severity.ERROR)
            warnings = len(findings) - errors
            print(
                translate(
                    "Cli",
                    "{path}: {examples} examples, {tokens} tokens, {errors} errors, "
                    "{warnings} warnings",
                ).format(
                    path=path,
                    examples=len(loaded.dataset),
                    tokens=report.total_tokens,
                    errors=errors,
                    warnings=warnings,
                )
            )
    if args.json:
        print(json.dumps({"files": files}, ensure_ascii=False, indent=2))
    return status


def cmd_export(args: argparse.Namespace) -> int:
    from tunedesk.core.export import export_jsonl

    fraction = 0.1 if args.validation_fraction is None else args.validation_fraction
    if not 0 <= fraction <= 0.5:
        print(
            translate("Cli", "--validation-fraction must be between 0 and 0.5, for example 0.1."),
            file=sys.stderr,
        )
        return EXIT_UNREADABLE
    try:
        loaded = load(args.file)
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        result = export_jsonl(loaded.dataset, out, validation_fraction=fraction)
    except UserFacingError as exc:
        print(
            translate("Cli", "{path}: cannot be exported: {reason}").format(
                path=args.file, reason=exc
            ),
            file=sys.stderr,
        )
        return EXIT_UNREADABLE
    except OSError as exc:
        print(
            translate("Cli", "Cannot write to {path}: {reason}").format(
                path=args.out, reason=exc.strerror
            ),
            file=sys.stderr,
        )
        return EXIT_UNREADABLE
    print(
        translate("Cli", "Wrote {train} training examples to {train_path}").format(
            train=result.train_count, train_path=result.train_path
        )
    )
    if result.validation_path is not None:
        print(
            translate("Cli", "Wrote {count} validation examples to {path}").format(
                count=result.validation_count, path=result.validation_path
            )
        )
    return EXIT_OK


def cmd_self_test() -> int:
    """Verify what a broken bundle would lack; print one line per item, exit 1 on failure."""
    from tunedesk.core import tokens
    from tunedesk.core.catalog import load_catalog
    from tunedesk.core.resources import resource_path
    from tunedesk.core.samples import sample_dataset

    checks: list[tuple[str, Any]] = [
        ("tokenizer", lambda: tokens.count_text("TuneDesk 自检") > 0),
        ("catalog", lambda: len(load_catalog().models) > 0),
        ("samples", lambda: all(len(sample_dataset(lang)) >= 50 for lang in ("en", "zh_CN"))),
        ("translations", lambda: resource_path("i18n", "tunedesk_zh_CN.qm").stat().st_size > 0),
        ("keyring", _keyring_round_trip),
    ]
    failed = 0
    for name, check in checks:
        try:
            outcome = check()
        except Exception as exc:  # noqa: BLE001 - a self-test reports every failure
            outcome = f"{type(exc).__name__}: {exc}"
        ok = outcome is True or (isinstance(outcome, str) and outcome.startswith("ok"))
        failed += not ok
        print(f"{name}: {'ok' if outcome is True else outcome}")
    return EXIT_OK if not failed else EXIT_ERRORS


def _keyring_round_trip() -> str:
    import keyring
    from keyring.errors import KeyringError

    from tunedesk import KEYRING_SERVICE

    backend = keyring.get_keyring()
    account = "self-test"
    try:
        keyring.set_password(KEYRING_SERVICE, account, "round-trip")
        value = keyring.get_password(KEYRING_SERVICE, account)
        keyring.delete_password(KEYRING_SERVICE, account)
    except KeyringError as exc:
        # Not fatal: TuneDesk then keeps secrets for the session only and says so.
        return f"ok (no usable keyring: {type(backend).__name__}: {exc})"
    return "ok" if value == "round-trip" else f"round trip returned {value!r}"


def run_cli(argv: Sequence[str]) -> int:
    from tunedesk.core.settings import load_settings

    language = load_settings().language or i18n.system_language()
    i18n.set_language(language)
    args = _parser().parse_args(list(argv))
    try:
        if args.command == "self-test":
            return cmd_self_test()
        return cmd_check(args) if args.command == "check" else cmd_export(args)
    except KeyboardInterrupt:
        return 130
