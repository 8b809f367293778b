"""Step 1: sign in with Microsoft (or a key) and choose where training happens."""

from tunedesk.ui.pages.sign_in.page import SignInPage

__all__ = ["SignInPage"]
