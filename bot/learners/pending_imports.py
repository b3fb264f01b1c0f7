"""CSV imports in Slack: a preview first, then HR's Confirm imports exactly the file previewed, all or nothing.

The file is kept between the two (``pending_imports``) rather than fetched
again, so what is confirmed is what was shown. A preview lives a day; only
the HR user who uploaded it can confirm or cancel it. Confirming twice is
harmless: imports are idempotent, so the second finds everything recorded.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete

from bot.knowledge.models import Knowledge
from bot.learners.csv_import import CsvImportError, EmailLookup, parse_changes, summary, text_of
from bot.learners.learner import NotRecordedError
from bot.learners.records import LearnerStore, NotAllowedError
from bot.storage import audit
from bot.storage.models import PendingImport, utcnow
from bot.storage.retention import PENDING_IMPORT_MAX_AGE

#: How long a preview waits for its Confirm (older ones are deleted with the retention purge).
MAX_AGE = PENDING_IMPORT_MAX_AGE


@dataclass(frozen=True)
class Preview:
    filename: str
    new: int
    already: int
    errors: tuple[str, ...]
    #: The Confirm button's value; None when there is nothing to confirm (errors, or nothing new).
    token: str | None


class PendingImports:
    def __init__(self, store: LearnerStore, knowledge: Callable[[], Knowledge]) -> None:
        self.store = store
        self.knowledge = knowledge

    def preview(self, user: str, filename: str, data: bytes, lookup: EmailLookup | None, today: date) -> Preview:
        """Check the file and work out what importing it would do; nothing is recorded. Audited."""
        name = filename[:255]
        text = text_of(data, name)
        try:
            if isinstance(text, CsvImportError):
                raise text
            changes = parse_changes(text, self.knowledge(), today, lookup)
        except CsvImportError as exc:
            errors = tuple(str(e) for e in exc.errors)
        else:
            errors = ()
        if errors:
            self._audit(user, "import_preview", {"errors": len(errors)})
            return Preview(name, 0, 0, errors, None)
        would = self.store.import_changes(changes, actor=f"slack:{user}", dry_run=True)
        token = secrets.token_hex(16) if would.new else None
        with self.store.db.transaction() as session:
            if token is not None:
                session.add(PendingImport(token=token, created_by=user, filename=name, content=str(text)))
            detail = {"rows_new": would.new, "rows_already_recorded": len(would.unchanged), "errors": 0}
            audit.record(session, f"slack:{user}", "import_preview", None, detail)
        return Preview(name, would.new, len(would.unchanged), (), token)

    def confirm(self, token: str, user: str, lookup: EmailLookup | None, today: date) -> str:
        """Import the previewed file; the summary, or ``ValueError`` / ``NotAllowedError`` (nothing imported)."""
        pending = self._take(token, user)
        try:
            changes = parse_changes(pending.content, self.knowledge(), today, lookup)
        except CsvImportError as exc:  # the knowledge changed since the preview
            raise ValueError(f"{len(exc.errors)} rows no longer check out ({exc.errors[0]}); upload it again") from None
        applied = self.store.import_changes(changes, actor=f"slack:{user}")
        self._drop(token)
        return f"Imported {pending.filename}: {summary(applied)}."

    def cancel(self, token: str, user: str) -> str:
        pending = self._take(token, user)
        self._drop(token)
        self._audit(user, "import_cancel", {})
        return f"Cancelled the import of {pending.filename}; nothing was recorded."

    def _take(self, token: str, user: str) -> PendingImport:
        with self.store.db.transaction() as session:
            row = session.get(PendingImport, token[:32])
            if row is None or _age(row) > MAX_AGE:
                raise NotRecordedError("that preview has expired or was already used; upload the file again")
            if row.created_by != user:
                raise NotAllowedError("only the HR user who uploaded the file can confirm or cancel its import")
            session.expunge(row)
            return row

    def _drop(self, token: str) -> None:
        with self.store.db.transaction() as session:
            session.execute(delete(PendingImport).where(PendingImport.token == token))

    def _audit(self, user: str, action: str, detail: dict[str, int]) -> None:
        audit.log(self.store.db, f"slack:{user}", action, None, detail)


def _age(row: PendingImport) -> timedelta:
    return utcnow() - audit.as_utc(row.created_at)
