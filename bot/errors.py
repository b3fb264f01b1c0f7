"""Errors every layer may raise and every surface knows how to show, importable without loading anything.

They live at the bottom of the import order (beside ``bot.rules``) so that the
layer that spots a problem can raise it and the surface that shows it can
catch it, without either importing the other.
"""

from __future__ import annotations


class DatabaseError(Exception):
    """The database cannot be opened or used. The message is safe to show: no password, SQL or parameters."""


class InputError(ValueError):
    """A mistake in what a person typed or picked: shown to them as it is, and nothing is changed.

    Surfaces catch this and only this: any other exception is a bug, which must
    reach the global error handler (logged, and "Sorry" to the user) instead of
    being dressed up as the user's mistake. ``field`` names the form field the
    problem is about, when the input came from a form (a Slack modal's block id).
    It subclasses ``ValueError`` so code that already handles bad values keeps working.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class UnreadableFileError(Exception):
    """A file given as input can't be read as one: missing, a directory, a device or pipe, too large.

    A problem with the setup rather than with the file's content (which is a usage error), so the
    command line exits 1 with this message, never a traceback.
    """


class SettingError(ValueError):
    """An environment variable has a value the bot can't use; the message names the variable and the choices."""


class ServiceError(Exception):
    """An outside service the command needs (Slack) refused or could not be reached; the message says which."""
