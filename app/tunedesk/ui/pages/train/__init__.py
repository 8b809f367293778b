"""Step 4, Train (see :mod:`tunedesk.ui.pages.train.page`)."""

from tunedesk.ui.pages.train.page import TrainPage

__all__ = ["TrainPage"]
