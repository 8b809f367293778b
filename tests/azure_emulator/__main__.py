"""``python -m tests.azure_emulator serve [--port 8899]``: run the emulator by hand.

Starts the TLS-intercepting proxy with a persistent CA under
``~/.cache/tunedesk-emulator`` and prints the variables to export before starting the app.
``--port 0`` picks a free port; ``--env-file PATH`` also writes the ``export`` lines to PATH
once the proxy listens (and removes it when the emulator stops), so a script can source it
instead of reading the output (``scripts/emulator.sh``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import signal
import sys
import threading
from pathlib import Path

from tests.azure_emulator.aoai import Timeline
from tests.azure_emulator.server import Emulator
from tests.azure_emulator.tls import CertificateAuthority
from tests.azure_emulator.world import SP_CLIENT_ID, SP_CLIENT_SECRET, TENANT_ID


def say(text: str = "", err: bool = False) -> None:
    stream = sys.stderr if err else sys.stdout
    stream.write(text + "\n")
    stream.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.azure_emulator")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the emulator until Ctrl+C")
    serve.add_argument("--port", type=int, default=8899)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "tunedesk-emulator")
    serve.add_argument(
        "--job-seconds",
        type=float,
        default=60.0,
        help="how long an Azure OpenAI fine-tuning job runs (default 60)",
    )
    serve.add_argument(
        "--env-file",
        type=Path,
        metavar="PATH",
        help="write the export lines to PATH once listening (removed again on stop)",
    )
    args = parser.parse_args(argv)

    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    ca = CertificateAuthority.load_or_create(args.cache)
    emulator = Emulator(ca, host=args.host, port=args.port)
    if emulator.openai is not None:
        emulator.openai.timeline = Timeline(pending=5.0, running=args.job_seconds, steps=40)
        emulator.openai.file_processing = 2.0
        emulator.openai.deployment_delay = 5.0
        emulator.entra.auto_approve = True
    emulator.start()
    say(f"Azure emulator listening on {emulator.proxy_url}")
    say(f"CA certificate: {emulator.ca_cert}")
    if emulator.aml_error:
        say(f"(AML side not served: {emulator.aml_error})")
    exports = [f"export {name}={shlex.quote(value)}" for name, value in emulator.env().items()]
    if args.env_file:
        say(f"\nTuneDesk's environment (also in {args.env_file} while this runs):\n")
    else:
        say("\nExport these before starting TuneDesk:\n")
    for line in exports:
        say(line)
    say(
        f"\nService principal: tenant {TENANT_ID}, client {SP_CLIENT_ID}, secret {SP_CLIENT_SECRET}"
    )
    if emulator.openai is not None:
        for account in emulator.openai.accounts.values():
            say(
                f"Azure OpenAI {account.name} ({account.location}): {account.endpoint} "
                f"key {account.key1}"
            )
    say("\nCtrl+C to stop.")
    if args.env_file:
        # Last, so that a script which waits for this file finds the banner above complete.
        _write_atomically(args.env_file, "".join(line + "\n" for line in exports))

    seen = 0
    try:
        while not stop.wait(1.0):
            log = emulator.requests
            for r in log[seen:]:
                mark = "UNSERVED " if r.status == 404 and b'"NoRoute"' in r.response_body else ""
                say(f"{mark}{r.method} {r.url} -> {r.status}", err=True)
            seen = len(log)
    finally:
        if args.env_file:
            with contextlib.suppress(FileNotFoundError):
                args.env_file.unlink()
        emulator.stop()
    return 0


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


if __name__ == "__main__":
    raise SystemExit(main())
