"""A stand-in web browser for interactive sign-in tests (the user "clicks" at once).

InteractiveBrowserCredential calls ``webbrowser.open(url)``. With ``BROWSER`` pointing at
this script, the sign-in page is fetched through the emulator's proxy (which redirects at
once, as for a user who is already signed in) and the redirect is delivered to the app's
loopback server from a detached child, because ``webbrowser.open`` waits for the script.
"""

from __future__ import annotations

import sys
import webbrowser
from pathlib import Path

import pytest

BROWSER_SCRIPT = """#!{python}
import os
import sys

import requests

response = requests.get(sys.argv[1], allow_redirects=False, timeout=10)
location = response.headers["Location"]
if os.fork() == 0:
    requests.get(location, timeout=10)
    os._exit(0)
"""


NEVER_ANSWERS = "#!/bin/sh\nexit 0\n"  # opens nothing: the person never signs in


def use_browser_script(
    folder: Path, monkeypatch: pytest.MonkeyPatch, *, answers: bool = True
) -> Path:
    """Write the script, point ``BROWSER`` at it and make ``webbrowser`` read it again.

    ``answers=False``: a browser that never delivers the redirect (to test waiting, cancel).
    """
    script = folder / "browser"
    script.write_text(BROWSER_SCRIPT.format(python=sys.executable) if answers else NEVER_ANSWERS)
    script.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(script))
    # webbrowser (stdlib, not an SDK) reads BROWSER once per process.
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    return script
