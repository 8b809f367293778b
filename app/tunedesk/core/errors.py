"""Typed errors. Anything a person can act on is a :class:`UserFacingError`."""

from __future__ import annotations

from tunedesk.core.i18n import Text


class UserFacingError(Exception):
    """An expected failure with a plain-language, translatable message and an optional hint.

    The UI shows it non-fatally (inline on a page, or a message box); the command line prints
    it without a traceback. Anything that is *not* a UserFacingError is a bug and goes to the
    crash handler.
    """

    def __init__(self, message: Text, hint: Text | None = None) -> None:
        super().__init__(message.english())
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        text = str(self.message)
        return f"{text}\n{self.hint}" if self.hint is not None else text


class UserCancelled(Exception):
    """The person cancelled; callers stop quietly."""


class FileProblem(UserFacingError):
    """A file could not be read at all (missing, binary, too large, wrong format).

    ``path`` names the file; ``line`` is 1-based where a position is known.
    """

    def __init__(
        self, path: str, message: Text, hint: Text | None = None, line: int | None = None
    ) -> None:
        super().__init__(message, hint)
        self.path = path
        self.line = line
