"""The one database exception surfaces handle, importable without loading SQLAlchemy."""

from __future__ import annotations


class DatabaseError(Exception):
    """The database cannot be opened or used. The message is safe to show: no password, SQL or parameters."""
