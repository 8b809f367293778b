"""Step 3, Model & settings (see :mod:`tunedesk.ui.pages.model.page`)."""

from tunedesk.ui.pages.model.page import ModelPage

__all__ = ["ModelPage"]
