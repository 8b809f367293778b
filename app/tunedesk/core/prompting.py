"""Text put inside the tags of a prompt TuneDesk sends a model (the quiz's judge, drafting).

A prompt marks its data with tags (``<question>…</question>``, ``<document …>…</document>``)
and tells the model that what is inside is data, not instructions. :func:`inert` breaks up
those tags inside the data (``</document>`` becomes ``< /document>``), so a passage or an
answer cannot close its own tag early and speak as the prompt.

Plain Python: no Qt, no cloud imports.
"""

from __future__ import annotations

from collections.abc import Iterable


def inert(text: str, tags: Iterable[str]) -> str:
    """``text`` with every opening or closing of ``tags`` broken up by a space."""
    for tag in tags:
        text = text.replace(f"</{tag}", f"< /{tag}").replace(f"<{tag}", f"< {tag}")
    return text
