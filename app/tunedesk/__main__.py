"""Entry point: ``tunedesk [PROJECT]`` opens the app; ``tunedesk check|export`` automate.

Nothing heavy is imported here: the command line never loads Qt, and the desktop app
imports Qt only after the crash hook is installed (see tunedesk.ui.app).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tunedesk import APP_NAME, __version__

CLI_COMMANDS = ("check", "export", "self-test")


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tunedesk",
        description=(
            f"{APP_NAME}: teach a small language model what you know on Azure AI Foundry, "
            "then talk to it."
        ),
        epilog=(
            "commands for automation (no window):\n"
            "  tunedesk check FILE... [--model NAME] [--json]\n"
            "      print the problems in data files or projects; exit 0 = no errors,\n"
            "      1 = errors found, 2 = a file could not be read\n"
            "  tunedesk export FILE --out DIR [--validation-fraction F]\n"
            "      write train.jsonl and validation.jsonl\n"
            "  tunedesk self-test\n"
            "      check this installation (resources, translations, SDK imports,\n"
            "      keyring): one line per check, exit 0 = all ok or skipped, 1 = a failure\n"
            "run 'tunedesk check --help' or 'tunedesk export --help' for details."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("project", nargs="?", help="a .tunedesk project or a data file to open")
    parser.add_argument(
        "--sample",
        action="store_true",
        help="open the bundled family sample project (in the interface language)",
    )
    parser.add_argument(
        "--lang", choices=["en", "zh_CN"], help="interface language for this run"
    )
    parser.add_argument(
        "--no-err-windows",
        action="store_true",
        help="log crashes only, never show a dialog (for automated runs)",
    )
    parser.add_argument(
        "--quit-after",
        type=int,
        metavar="MS",
        help="quit by itself this many milliseconds after the window is shown (smoke tests)",
    )
    parser.add_argument(
        "--smoke-pages",
        action="store_true",
        help=(
            "check this installation's window: open the project, show every step's page "
            "once (printing what each shows), then quit; exit 1 if a page failed"
        ),
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in CLI_COMMANDS:
        from tunedesk.cli import run_cli

        return run_cli(args)
    options = _gui_parser().parse_args(args)
    from tunedesk.ui.app import run_gui

    return run_gui(options)


if __name__ == "__main__":
    sys.exit(main())
