"""The step pages: one module (or sub-package) per step, all built on :class:`StepPage`.

:data:`PAGES` maps each step to the page class that shows it, as an import path, so a page
and its imports load only when it is first shown (most of them are not on the first screen).
A step without an entry has no page in this version and shows the honest "not available
yet" page. Adding a page: subclass :class:`~tunedesk.ui.pages.base.StepPage` in a module
here, set its ``step``, and add one line below.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from tunedesk.core.flow import Step

if TYPE_CHECKING:
    from tunedesk.ui.pages.base import StepPage

PAGES: dict[Step, str] = {
    Step.SIGN_IN: "tunedesk.ui.pages.sign_in:SignInPage",
    Step.DATA: "tunedesk.ui.pages.data:DataPage",
    Step.MODEL: "tunedesk.ui.pages.model:ModelPage",
    Step.TRAIN: "tunedesk.ui.pages.train:TrainPage",
    Step.DEPLOY: "tunedesk.ui.pages.deploy:DeployPage",
    Step.CHAT: "tunedesk.ui.pages.chat:ChatPage",
}


def page_class(step: Step) -> type[StepPage] | None:
    """The page class for ``step`` (imported now), or None when this version has none."""
    path = PAGES.get(step)
    if path is None:
        return None
    module, _, name = path.partition(":")
    cls: type[StepPage] = getattr(importlib.import_module(module), name)
    return cls
