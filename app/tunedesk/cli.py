"""``tunedesk check`` and ``tunedesk export``: the same core as the app, without a window.

Exit codes for ``check``: 0 no errors (warnings allowed), 1 errors found, 2 a file could
not be read at all. Every failure prints a human message, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

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


# ---------------------------------------------------------------- self-test
# What an incomplete installation (a bundle missing a module, a data file or its metadata)
# would lack, in the order a support person would ask about it. The frozen smoke test
# (packaging/smoke_test.py) and tests/test_self_test.py run this same list.

# The SDKs the cloud layer imports lazily (by name, on workers), with their distributions.
SELF_TEST_IMPORTS: tuple[tuple[str, str], ...] = (
    ("azure.identity", "azure-identity"),
    ("azure.ai.ml", "azure-ai-ml"),
    ("azure.ai.ml.entities", "azure-ai-ml"),
    ("openai", "openai"),
    ("azure.mgmt.core", "azure-mgmt-core"),
    ("azure.core.pipeline.transport", "azure-core"),
    ("truststore", "truststore"),
    ("tiktoken", "tiktoken"),
    # Draft from documents reads PDFs and .docx files with these, imported when first used.
    ("pypdf", "pypdf"),
    ("mammoth", "mammoth"),
)
# Each OS's own keyring backend and what it needs at run time (keyring imports these
# inside try/except, so a missing one only shows as "no backend" on a user's machine).
NATIVE_KEYRING: dict[str, tuple[str, ...]] = {
    "linux": ("keyring.backends.SecretService", "secretstorage", "jeepney"),
    "win32": ("keyring.backends.Windows", "win32ctypes.pywin32.win32cred"),
    "darwin": ("keyring.backends.macOS", "keyring.backends.macOS.api"),
}
SELF_TEST_ACCOUNT = "self-test"


class Skipped(Exception):
    """A self-test check that does not apply on this machine (not a failure)."""


def _timed(seconds: float) -> str:
    return f"{seconds:.2f} s"


def _check_tokenizer() -> str:
    from tunedesk.core import tokens

    start = time.perf_counter()
    with _no_network():
        count = tokens.count_text("TuneDesk 自检 self-test")
    if count <= 0:
        raise AssertionError(f"counted {count} tokens")
    return f"{tokens.ENCODING_NAME} from resources, offline, {_timed(time.perf_counter() - start)}"


@contextlib.contextmanager
def _no_network() -> Iterator[None]:
    """Any connection attempt inside fails: proves a check works with no network at all."""
    import socket

    def refuse(*_args: object, **_kwargs: object) -> NoReturn:
        raise OSError("self-test: no network allowed here")

    saved = socket.socket.connect, socket.create_connection, socket.getaddrinfo
    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    try:
        yield
    finally:
        socket.socket.connect, socket.create_connection, socket.getaddrinfo = saved  # type: ignore[method-assign]


def _check_catalog(today: date | None = None) -> str:
    """The bundled model list loads; says how old it is and warns past 90 days (still ok:
    the app asks Azure for its models where it can, the list is the fallback)."""
    from tunedesk.core.catalog import STALE_AFTER_DAYS, load_catalog

    catalog = load_catalog()
    if not catalog.models:
        raise AssertionError("no base models")
    text = f"{len(catalog.models)} base models, checked {catalog.checked.isoformat()}"
    if catalog.is_stale(today):
        text += (
            f" - warning: {catalog.age_days(today)} days ago, more than {STALE_AFTER_DAYS}; "
            "Azure's models have likely changed since: refresh resources/models.json"
        )
    return text


def _check_samples() -> str:
    from tunedesk.core.samples import sample_dataset

    sizes = {lang: len(sample_dataset(lang)) for lang in ("en", "zh_CN")}
    if min(sizes.values()) < 50:
        raise AssertionError(f"too few examples: {sizes}")
    return ", ".join(f"{lang} {n} examples" for lang, n in sizes.items())


def _check_translations() -> str:
    """The command line's .ts and the window's .qm agree in Chinese; Qt's own .qm loads."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    from tunedesk.ui.i18n import qm_path

    cli = i18n.load_ts(i18n.ts_path("zh_CN"))
    cli_text = cli.get(("Flow", "Sign in"), "Sign in")
    ours = QTranslator()
    if not ours.load(qm_path("zh_CN")):
        raise AssertionError(f"cannot load {qm_path('zh_CN')}")
    qt_text = ours.translate("Flow", "Sign in")
    if cli_text == "Sign in" or qt_text != cli_text:
        raise AssertionError(f"'Sign in' is {cli_text!r} in the .ts, {qt_text!r} in the .qm")
    qtbase = QTranslator()
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not qtbase.load("qtbase_zh_CN", qt_dir) or qtbase.isEmpty():
        raise AssertionError(f"cannot load Qt's qtbase_zh_CN from {qt_dir}")
    return f"zh_CN: {len(cli)} strings for the command line, the window's .qm, Qt's own"


def _check_qt_charts() -> str:
    """QtCharts (PySide6-Addons: the Train page's loss chart) loads with its Qt library and
    takes points, without a window (a QLineSeries needs no QApplication)."""
    start = time.perf_counter()
    import PySide6
    from PySide6.QtCharts import QLineSeries
    from PySide6.QtCore import QPointF

    series = QLineSeries()
    series.replace([QPointF(1, 2.0), QPointF(2, 1.5)])
    if series.count() != 2:
        raise AssertionError(f"a series given 2 points holds {series.count()}")
    return f"PySide6 {PySide6.__version__}, {_timed(time.perf_counter() - start)}"


def _check_app_modules() -> str:
    """Every TuneDesk module imports (pages and workers import some of them by name)."""
    import importlib
    import pkgutil

    import tunedesk

    start = time.perf_counter()
    names = [
        m.name
        for m in pkgutil.walk_packages(tunedesk.__path__, "tunedesk.")
        if m.name != "tunedesk.__main__"  # the running program, not a module to import
    ]
    for name in names:
        importlib.import_module(name)
    if len(names) < 20:
        raise AssertionError(f"only {len(names)} modules found: {names}")
    return f"{len(names)} modules, {_timed(time.perf_counter() - start)}"


def _check_import(module: str, distribution: str) -> Callable[[], str]:
    def check() -> str:
        import importlib
        import importlib.metadata

        start = time.perf_counter()
        importlib.import_module(module)
        took = _timed(time.perf_counter() - start)
        try:
            return f"{distribution} {importlib.metadata.version(distribution)}, {took}"
        except importlib.metadata.PackageNotFoundError:
            return took  # metadata is optional for an import; the module loaded

    return check


def _check_keyring_backends() -> str:
    import importlib
    import importlib.metadata

    found = sorted(e.name for e in importlib.metadata.entry_points(group="keyring.backends"))
    if not found:
        raise AssertionError("keyring's backend entry points are missing (its metadata)")
    native = NATIVE_KEYRING.get(sys.platform, ())
    for module in native:
        importlib.import_module(module)
    here = f"; this system's {native[0].rsplit('.', 1)[-1]} imports" if native else ""
    return f"{', '.join(found)}{here}"


def _check_keyring_round_trip() -> str:
    import keyring
    from keyring.backends import chainer, fail

    from tunedesk import KEYRING_SERVICE

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or (
        isinstance(backend, chainer.ChainerBackend) and not backend.backends
    ):
        raise Skipped(
            f"no keyring backend on this system, keyring chose {type(backend).__module__}; "
            "TuneDesk keeps secrets for the session only and says so"
        )
    value = "round-trip ✓ 往返"
    keyring.set_password(KEYRING_SERVICE, SELF_TEST_ACCOUNT, value)
    try:
        back = keyring.get_password(KEYRING_SERVICE, SELF_TEST_ACCOUNT)
    finally:
        keyring.delete_password(KEYRING_SERVICE, SELF_TEST_ACCOUNT)
    if back != value:
        raise AssertionError(f"wrote {value!r}, read back {back!r}")
    left = keyring.get_password(KEYRING_SERVICE, SELF_TEST_ACCOUNT)
    if left is not None:
        raise AssertionError("the test secret is still there after deleting it")
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    return f"set, get and delete with {name}"


def self_test_checks() -> list[tuple[str, Callable[[], str]]]:
    """(name, check): a check returns a detail on success, raises Skipped or fails."""
    return [
        ("tokenizer", _check_tokenizer),
        ("catalog", _check_catalog),
        ("samples", _check_samples),
        ("translations", _check_translations),
        ("qt charts", _check_qt_charts),
        *((f"import {m}", _check_import(m, d)) for m, d in SELF_TEST_IMPORTS),
        ("app modules", _check_app_modules),
        ("keyring backends", _check_keyring_backends),
        ("keyring round trip", _check_keyring_round_trip),
    ]


def cmd_self_test() -> int:
    """One line per check, "ok", "skipped" or "failed" with the reason; exit 1 on a failure."""
    counts = {"ok": 0, "skipped": 0, "failed": 0}
    for name, check in self_test_checks():
        try:
            status, detail = "ok", check()
        except Skipped as exc:
            status, detail = "skipped", str(exc)
        except Exception as exc:  # noqa: BLE001 - a self-test reports every failure
            status, detail = "failed", f"{type(exc).__name__}: {exc}"
        counts[status] += 1
        print(f"{name}: {status}" + (f" ({detail})" if detail else ""), flush=True)
    # The closing line in the form test runners print, so CI logs read the same.
    print(
        f"self-test: {counts['ok']} passed, {counts['failed']} failed, {counts['skipped']} skipped"
    )
    return EXIT_ERRORS if counts["failed"] else EXIT_OK


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
