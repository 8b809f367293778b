"""Step 5, Deploy (see :mod:`tunedesk.ui.pages.deploy.page`)."""

from tunedesk.ui.pages.deploy.page import DeployPage

__all__ = ["DeployPage"]
