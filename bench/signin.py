"""The UI event loop never stalls more than 50 ms while signing in and discovering places.

DESIGN.md's loop budget, for the Sign in page. Runs the real page
(``SignInPage.for_context(AppContext(Settings(), QUndoStack()))``, shown, offscreen) on a
qasync loop, signs in as the emulator's service principal by filling the form and pressing
"Sign in as this app", and waits until the page lists tenants → subscriptions → places.
Azure is the local emulator (tests/azure_emulator), reached only through the standard proxy
and CA variables, with the real azure-identity/MSAL and azure-core ARM pipeline. The heartbeat
is bench/responsiveness.py's: a 5 ms timer on the loop, recording the gaps between ticks.

Phases, each repeated ``--repeats`` times (a fresh emulator state and a sign-out between
repeats, neither measured):

(a) the idle loop with the page shown (baseline, after its first paint);
(b) a clean sign-in + discovery; the first one is reported on its own row: it includes the
    first imports of truststore, azure-identity, MSAL and azure-core (nothing is imported
    ahead of it, as for a person who signs in before the app's SDK preload has run; the
    emulator has imported cryptography already, which makes this row a little optimistic);
(c) 429 (Retry-After 1 s) once on the tenant and subscription lists (the client's retries
    absorb it), then on every attempt (1 + 3 retries) of both place lists;
(d) the same with 503;
(e) ``expired_token`` (401 ExpiredAuthenticationToken) on both place lists;
(f) a slow answer (2 s) on each list call.

In (c)–(e) the page must end with its inline error and Retry; the faults are then cleared,
Retry is pressed, and the places must load — all inside the measured window. The bench
exits 1 when any phase's longest stall is over 50 ms or the page does not reach the
expected state. The emulator runs in this process (its threads share the GIL with the UI
thread, which makes the figures slightly pessimistic).

    python bench/signin.py [--repeats 3]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

# A throwaway profile before anything can ask platformdirs for a folder.
PROFILE = Path(tempfile.mkdtemp(prefix="tunedesk-bench-signin-"))
for _var, _sub in {
    "XDG_CONFIG_HOME": "config",
    "XDG_DATA_HOME": "data",
    "XDG_CACHE_HOME": "cache",
    "XDG_STATE_HOME": "state",
}.items():
    (PROFILE / _sub).mkdir()
    os.environ[_var] = str(PROFILE / _sub)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_API"] = "pyside6"
# Variables a developer's shell may carry that would send the clients elsewhere.
for _var in (
    "ALL_PROXY",
    "all_proxy",
    "SSL_CERT_DIR",
    "AZURE_CLIENT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_TENANT_ID",
    "AZURE_AUTHORITY_HOST",
    "MSAL_FORCE_REGION",
):
    os.environ.pop(_var, None)

import argparse  # noqa: E402 - after the profile and environment above
import asyncio  # noqa: E402
import shutil  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from typing import TYPE_CHECKING, Any  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))  # responsiveness.GapMeter
sys.path.insert(0, str(REPO))  # tests.azure_emulator, tests.helpers
from responsiveness import GapMeter  # noqa: E402

if TYPE_CHECKING:
    from tests.azure_emulator.server import Emulator

    from tunedesk.ui.pages.sign_in import SignInPage

BUDGET_MS = 50.0
IDLE_SECONDS = 1.0
WAIT_SECONDS = 60.0
# tunedesk.cloud.discovery.ArmClient's RetryPolicy(retry_total=4) retries a 429/5xx answer
# 3 times: azure-core's retry_status (default 3) caps status retries below retry_total.
CLIENT_RETRIES = 3
PAST_RETRIES = CLIENT_RETRIES + 1  # every attempt of a call is faulted
TENANTS = r"/tenants$"
SUBSCRIPTIONS = r"/subscriptions$"
PLACE_LISTS = (
    r"/providers/Microsoft\.MachineLearningServices/workspaces$",
    r"/providers/Microsoft\.CognitiveServices/accounts$",
)


@dataclass
class Run:
    stall_ms: float
    p99_ms: float
    seconds: float
    faulted: int = 0  # answers the emulator faulted
    message: str = ""  # the inline error shown (c–e)


@dataclass
class Phase:
    label: str
    runs: list[Run] = field(default_factory=list)
    budget: bool = True


class StateError(RuntimeError):
    """The page did not reach the state the phase expects."""


async def _until(condition: Callable[[], bool], what: str) -> None:
    """Poll the page every 10 ms until ``condition`` holds (several signals could end a
    phase: the places loading, or the error with Retry)."""
    deadline = time.perf_counter() + WAIT_SECONDS
    while not condition():
        if time.perf_counter() > deadline:
            raise StateError(f"timed out after {WAIT_SECONDS:.0f} s waiting for {what}")
        await asyncio.sleep(0.01)


def _places_listed(page: SignInPage) -> bool:
    return page.chooser.tree.topLevelItemCount() > 0


def _error_with_retry(page: SignInPage) -> bool:
    message = page.chooser.message
    return message.retry_button.isVisible() and message.property("tone") == "error"


def _check_places(page: SignInPage) -> None:
    chooser = page.chooser
    names = [chooser.tree.topLevelItem(i).text(0) for i in range(chooser.tree.topLevelItemCount())]
    if "Family project" not in names:
        raise StateError(f"the places listed are {names}, without 'Family project'")
    if chooser.message.isVisible() and chooser.message.property("tone") == "error":
        raise StateError(f"places listed, but an error is still shown: {chooser.message.text}")


def _fill_form(page: SignInPage) -> None:
    from tests.azure_emulator.world import SP_CLIENT_ID, SP_CLIENT_SECRET, TENANT_ID

    choices = page.choices
    if not choices.advanced_toggle.isChecked():
        choices.advanced_toggle.click()
    choices.sp_tenant.setText(TENANT_ID)
    choices.sp_client.setText(SP_CLIENT_ID)
    choices.sp_secret.setText(SP_CLIENT_SECRET)
    if not choices.sp_button.isEnabled():
        raise StateError("'Sign in as this app' is not enabled with the form filled")


async def _sign_in(
    page: SignInPage,
    emulator: Emulator,
    faults: list[tuple[str, str, int, float]],
    *,
    fails: bool,
) -> Run:
    """One measured sign-in + discovery (and, when ``fails``, the error, Retry, places)."""
    emulator.reset()
    for kind, path, times, seconds in faults:
        emulator.faults.add(kind, method="GET", path=path, times=times, seconds=seconds)
    _fill_form(page)
    await asyncio.sleep(0.2)  # let the typed form paint before measuring
    meter = GapMeter()
    meter.start()
    start = time.perf_counter()
    page.choices.sp_button.click()
    message = ""
    if fails:
        await _until(lambda: _error_with_retry(page) or _places_listed(page), "the inline error")
        if _places_listed(page) or not _error_with_retry(page):
            raise StateError("the places loaded although every attempt was faulted")
        message = page.chooser.message.text
        emulator.faults.clear()
        page.chooser.message.retry_button.click()
    await _until(lambda: _places_listed(page), "the places to be listed")
    seconds = time.perf_counter() - start
    stall, p99 = meter.stop()
    _check_places(page)
    faulted = sum(1 for r in emulator.requests if r.fault)
    if faults and not faulted:
        raise StateError("no fault was answered: the fault paths matched no call")
    task = page.sign_out()
    await task
    if page.ctx.signed_in or page.stack.currentWidget() is not page.choices:
        raise StateError("signing out did not bring back the sign-in choices")
    return Run(stall, p99, seconds, faulted, message)


async def run(emulator: Emulator, repeats: int) -> list[Phase]:
    from PySide6.QtGui import QUndoStack

    from tunedesk.core.settings import Settings
    from tunedesk.ui.context import AppContext
    from tunedesk.ui.pages.sign_in import SignInPage

    page = SignInPage.for_context(AppContext(Settings(), QUndoStack()))
    assert isinstance(page, SignInPage)
    page.resize(1100, 760)
    page.show()
    await asyncio.sleep(0.5)  # the first paint, outside the baseline

    idle = Phase("idle loop, page shown (baseline)", budget=False)
    for _ in range(repeats):
        meter = GapMeter()
        meter.start()
        await asyncio.sleep(IDLE_SECONDS)
        stall, p99 = meter.stop()
        idle.runs.append(Run(stall, p99, IDLE_SECONDS))

    first = Phase("first sign-in + discovery (first imports of truststore, azure-identity, MSAL)")
    first.runs.append(await _sign_in(page, emulator, [], fails=False))
    clean = Phase("sign-in + discovery again")
    for _ in range(repeats):
        clean.runs.append(await _sign_in(page, emulator, [], fails=False))

    def past_retries(kind: str, seconds: float) -> list[tuple[str, str, int, float]]:
        return [
            (kind, TENANTS, 1, seconds),
            (kind, SUBSCRIPTIONS, 1, seconds),
            *[(kind, path, PAST_RETRIES, seconds) for path in PLACE_LISTS],
        ]

    throttled = Phase(
        "429 (Retry-After 1 s) once on tenants and subscriptions, on every attempt of both "
        "place lists → inline error, Retry → places"
    )
    for _ in range(repeats):
        throttled.runs.append(await _sign_in(page, emulator, past_retries("429", 1.0), fails=True))
    outage = Phase(
        "503 (Retry-After 1 s) once on tenants and subscriptions, on every attempt of both "
        "place lists → inline error, Retry → places"
    )
    for _ in range(repeats):
        outage.runs.append(await _sign_in(page, emulator, past_retries("503", 1.0), fails=True))
    expired = Phase("expired_token (401) on both place lists → inline error, Retry → places")
    for _ in range(repeats):
        faults = [("expired_token", path, PAST_RETRIES, 1.0) for path in PLACE_LISTS]
        expired.runs.append(await _sign_in(page, emulator, faults, fails=True))
    slow = Phase("slow answers (2 s) on tenants, subscriptions and both place lists")
    for _ in range(repeats):
        faults = [("slow", path, 1, 2.0) for path in (TENANTS, SUBSCRIPTIONS, *PLACE_LISTS)]
        slow.runs.append(await _sign_in(page, emulator, faults, fails=False))
    page.close()
    return [idle, first, clean, throttled, outage, expired, slow]


def _span(values: list[float], unit: str, digits: int) -> str:
    low, high = min(values), max(values)
    if f"{low:.{digits}f}" == f"{high:.{digits}f}":
        return f"{high:.{digits}f} {unit}"
    return f"{low:.{digits}f}–{high:.{digits}f} {unit}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    from tests.azure_emulator.server import Emulator
    from tests.azure_emulator.tls import CertificateAuthority

    emulator = Emulator(CertificateAuthority.create(PROFILE / "emulator-ca")).start()
    os.environ.update(emulator.env())  # before anything imports the SDKs

    import keyring
    from tests.helpers.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())  # set explicitly, never registered globally

    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    started = time.perf_counter()
    try:
        with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
            phases: list[Any] = runner.run(run(emulator, args.repeats))
    except StateError as exc:
        print(f"FAILED: the page did not reach the expected state: {exc}", file=sys.stderr)
        return 1
    finally:
        from tunedesk.cloud.executor import shutdown_executors
        from tunedesk.ui import ops

        shutdown_executors()
        ops.shutdown_executor()
        emulator.stop()
        del app
        shutil.rmtree(PROFILE, ignore_errors=True)
    total = time.perf_counter() - started

    print("| while | runs | each | longest loop stall | p99 stall | budget |")
    print("|---|---|---|---|---|---|")
    for phase in phases:
        runs: list[Run] = phase.runs
        each = _span([r.seconds for r in runs], "s", 1)
        print(
            f"| {phase.label} | {len(runs)} | {each} "
            f"| {_span([r.stall_ms for r in runs], 'ms', 0)} "
            f"| {_span([r.p99_ms for r in runs], 'ms', 1)} "
            f"| {'≤ 50 ms' if phase.budget else ''} |"
        )
    print()
    for phase in phases:
        shown = sorted({r.message for r in phase.runs if r.message})
        faulted = sorted({r.faulted for r in phase.runs if r.faulted})
        if shown or faulted:
            print(f"- {phase.label}: faulted answers {'/'.join(map(str, faulted))}", end="")
            print(f"; the page said: {' / '.join(shown)}" if shown else "")
    print(f"\n{total:.0f} s in all")
    over = [
        (phase.label, max(r.stall_ms for r in phase.runs))
        for phase in phases
        if max(r.stall_ms for r in phase.runs) > BUDGET_MS
    ]
    for label, worst in over:
        print(f"OVER BUDGET ({BUDGET_MS:.0f} ms): {label}: a loop stall of {worst:.0f} ms")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
