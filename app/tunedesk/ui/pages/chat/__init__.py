"""Step 6, Chat & check (see :mod:`tunedesk.ui.pages.chat.page`)."""

from tunedesk.ui.pages.chat.page import ChatPage

__all__ = ["ChatPage"]
