"""The Data page (step 2), split by concern; see :mod:`tunedesk.ui.pages.data.page`.

``page``: the page itself (layout, checks, selection, rows) · ``importing``: files in, with
their dialogs · ``exporting``: JSONL out · ``clipboard``: copy/cut/paste as TSV ·
``quick_fixes``: the checklist's fixes as undo commands · ``grid``: the table's set-up and
cell helpers.
"""

from __future__ import annotations

from tunedesk.ui.pages.data.page import DataPage

__all__ = ["DataPage"]
