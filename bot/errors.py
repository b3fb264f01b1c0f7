"""The one database exception surfaces handle, importable without loading SQLAlchemy."""

from __future__ import annotations


class DatabaseError(Exception):
    """The database cannot be opened or used. The message is safe to show: no password, SQL or parameters."""


class UnreadableFileError(Exception):
    """A file given as input can't be read as one: missing, a directory, a device or pipe, too large.

    A problem with the setup rather than with the file's content (which is a usage error), so the
    command line exits 1 with this message, never a traceback.
    """


class SettingError(ValueError):
    """An environment variable has a value the bot can't use; the message names the variable and the choices."""


class ServiceError(Exception):
    """An outside service the command needs (Slack) refused or could not be reached; the message says which."""
