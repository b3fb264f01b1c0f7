"""The learner store: enrolments, units and hours in the database, every write audited.

Each public method is one transaction, and so is ``apply`` for a whole
batch (a CSV import): everything is written, with its audit entries, or
nothing is. Writes never read-modify-write: hours are always a new row, and
enrolments and units are inserted with ON CONFLICT DO NOTHING, so two
processes writing for the same learner at the same moment are both kept.

The store trusts its callers to have checked codes against the knowledge
base (``bot.cli.common``, ``bot.learners.csv_import``); it checks only what
the database itself must never hold.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from bot.learners.export import export as export_of
from bot.learners.learner import (
    CONFIRMED,
    PENDING,
    REJECTED,
    Change,
    Enrol,
    Enrolment,
    HoursLogged,
    LearnerRecord,
    LogHours,
    NotRecordedError,
    RecordUnit,
    SetSupervisor,
    UnitAchieved,
)
from bot.learners.settings import RecordSettings
from bot.storage import audit, dialect
from bot.storage.database import Database, open_database
from bot.storage.models import (
    AssistantThread,
    DialogueContextRow,
    ExpertQuestion,
    Fallback,
    Feedback,
    HoursEntry,
    ReminderDelivery,
    Supervisor,
    UnitAchievement,
    utcnow,
)
from bot.storage.models import Enrolment as EnrolmentRow


@dataclass(frozen=True)
class Applied:
    """What a batch of changes did: new rows by kind, and changes that were already recorded."""

    enrolments: int = 0
    units: int = 0
    hours: int = 0
    supervisors: int = 0
    unchanged: tuple[Change, ...] = ()
    hours_ids: tuple[int, ...] = ()

    @property
    def new(self) -> int:
        return self.enrolments + self.units + self.hours + self.supervisors


@dataclass(frozen=True)
class Erasure:
    """How many rows of each kind ``forget`` removed."""

    enrolments: int
    units: int
    hours: int
    contexts: int
    fallbacks: int
    feedback: int = 0
    reminder_deliveries: int = 0
    supervisors: int = 0
    expert_questions: int = 0
    assistant_threads: int = 0

    @property
    def anything(self) -> bool:
        return any(asdict(self).values())


@dataclass(frozen=True)
class Decision:
    """A supervisor's decision: whose entry, and the entry as it now stands."""

    user: str
    entry: UnitAchieved | HoursLogged


class NotAllowedError(PermissionError):
    """The person asking may not make this change (e.g. confirm someone else's learner's entry)."""


class _RollBack(Exception):  # noqa: N818 - control flow, not an error
    """Raised inside a transaction to undo a dry run, carrying what it would have done."""

    def __init__(self, applied: Applied) -> None:
        super().__init__("dry run")
        self.applied = applied


class LearnerStore:
    """Learner records over an open, migrated database."""

    def __init__(self, db: Database, settings: RecordSettings | None = None) -> None:
        """``settings`` default to the environment (``ILM_VERIFICATION``…); a bad value raises ``SettingError``."""
        self.db = db
        self.settings = settings or RecordSettings.from_env()

    @classmethod
    def open(cls, url: str | None = None) -> LearnerStore:
        """The store on ``url`` (default: ``DATABASE_URL``), schema migrated; raises ``DatabaseError``."""
        settings = RecordSettings.from_env()  # checked before the database is touched
        return cls(open_database(url), settings)

    # -- writes ---------------------------------------------------------------------------------

    def enrol(self, user: str, qualification: str, *, on: date, actor: str) -> bool:
        """Enrol ``user``; False when already enrolled on that qualification (nothing changes)."""
        return self.apply([Enrol(user, qualification, on)], actor=actor).enrolments == 1

    def record_units(self, user: str, units: Sequence[str], *, on: date, source: str, actor: str) -> tuple[str, ...]:
        """Record units achieved, all or none; returns the ones that were not already recorded.

        A learner's own units (``source="self"``) wait for their supervisor's
        confirmation when ILM_VERIFICATION asks for it.
        """
        changes = [RecordUnit(user, u, on, source) for u in units]
        applied = self.apply(changes, actor=actor, self_service=source == "self")
        already = {c.unit for c in applied.unchanged if isinstance(c, RecordUnit)}
        return tuple(u for u in dict.fromkeys(units) if u not in already)

    def log_hours(
        self,
        user: str,
        hours: float,
        kind: str,
        *,
        on: date,
        actor: str,
        source: str,
        unit: str | None = None,
        note: str | None = None,
    ) -> int:
        """Log hours as a new entry (never merged into another); returns the entry's id."""
        change = LogHours(user, hours, kind, on, unit=unit, note=note, source=source)
        return self.apply([change], actor=actor, self_service=source == "self").hours_ids[0]

    def apply(self, changes: Iterable[Change], *, actor: str, self_service: bool = False) -> Applied:
        """Write every change and its audit entry in one transaction.

        ``self_service``: the learner is recording for themself, so their
        units (and hours, with ILM_VERIFICATION=all) wait for sign-off.
        Anything HR records (the command line, an import) is confirmed.
        """
        with self.db.transaction() as session:
            return self._apply(session, changes, actor, self_service=self_service)

    def _apply(self, session: Session, changes: Iterable[Change], actor: str, *, self_service: bool) -> Applied:
        counts = {"enrolments": 0, "units": 0, "hours": 0, "supervisors": 0}
        unchanged: list[Change] = []
        ids: list[int] = []
        for change in changes:
            if isinstance(change, Enrol):
                wrote, key = _enrol(session, change, actor), "enrolments"
            elif isinstance(change, RecordUnit):
                wrote, key = _record_unit(session, change, actor, self._status("unit", self_service)), "units"
            elif isinstance(change, SetSupervisor):
                wrote, key = _set_supervisor(session, change, actor), "supervisors"
            else:
                entry = _log_hours(session, change, actor, self._status("hours", self_service))
                ids += [entry] if entry is not None else []
                wrote, key = entry is not None, "hours"
            if wrote:
                counts[key] += 1
            else:
                unchanged.append(change)
        return Applied(**counts, unchanged=tuple(unchanged), hours_ids=tuple(ids))

    def import_changes(self, changes: Sequence[Change], *, actor: str, dry_run: bool = False) -> Applied:
        """An import (CSV): every change, all or nothing, and one audit entry for the import as a whole.

        ``dry_run`` works out exactly what would be new and what is already
        recorded (for a preview) by doing it all and rolling it back.
        """
        try:
            with self.db.transaction() as session:
                applied = self._apply(session, changes, actor, self_service=False)
                detail = {"rows_new": applied.new, "rows_already_recorded": len(applied.unchanged)}
                audit.record(session, actor, "import", None, detail)
                if dry_run:
                    raise _RollBack(applied)
        except _RollBack as preview:
            return preview.applied
        return applied

    def _status(self, what: str, self_service: bool) -> str:
        return PENDING if self_service and self.settings.needs_sign_off(what) else CONFIRMED

    # -- corrections --------------------------------------------------------------------------------

    def unenrol(self, user: str, qualification: str, *, actor: str) -> Enrolment:
        """Remove one enrolment (units and hours stay: they may count elsewhere); ``NotRecordedError`` if absent."""
        with self.db.transaction() as session:
            row = session.scalars(
                select(EnrolmentRow).where(EnrolmentRow.user_id == user, EnrolmentRow.qualification == qualification)
            ).first()
            if row is None:
                raise NotRecordedError(f"{user} is not enrolled on {qualification}; nothing changed")
            removed = Enrolment(row.qualification, row.enrolled_on)
            session.delete(row)
            detail = {"qualification": qualification, "enrolled_on": removed.enrolled_on.isoformat()}
            audit.record(session, actor, "unenrol", user, detail)
        return removed

    def remove_units(self, user: str, units: Sequence[str], *, actor: str) -> tuple[UnitAchieved, ...]:
        """Remove units from the record, all or none: any not recorded raises ``NotRecordedError``."""
        wanted = list(dict.fromkeys(units))
        with self.db.transaction() as session:
            rows = {
                r.unit: r
                for r in session.scalars(
                    select(UnitAchievement).where(UnitAchievement.user_id == user, UnitAchievement.unit.in_(wanted))
                )
            }
            if missing := [u for u in wanted if u not in rows]:
                raise NotRecordedError(f"not recorded for {user}: {', '.join(missing)}; nothing changed")
            removed = tuple(_unit_value(rows[u]) for u in wanted)
            for unit in wanted:
                row = rows[unit]
                detail = {"unit": unit, "achieved_on": row.achieved_on.isoformat(), "source": row.source}
                session.delete(row)
                audit.record(session, actor, "remove_unit", user, detail)
        return removed

    def unlog(self, user: str, entry: int, *, actor: str) -> HoursLogged:
        """Delete one hours entry of ``user``'s; ``NotRecordedError`` when they have no entry with that id."""
        with self.db.transaction() as session:
            row = session.scalars(select(HoursEntry).where(HoursEntry.user_id == user, HoursEntry.id == entry)).first()
            if row is None:
                raise NotRecordedError(f"{user} has no hours entry {entry}; nothing changed")
            removed = _hours_value(row)
            session.delete(row)
            audit.record(session, actor, "unlog_hours", user, _hours_detail(row))
        return removed

    # -- supervisors ------------------------------------------------------------------------------

    def set_supervisor(self, user: str, supervisor: str, *, actor: str) -> bool:
        """Name (or change) ``user``'s supervisor; False when it was already them."""
        return self.apply([SetSupervisor(user, supervisor)], actor=actor).supervisors == 1

    def decide(self, kind: str, entry: int, *, supervisor: str, confirm: bool) -> Decision:
        """A supervisor confirms or rejects one pending unit (``kind="unit"``) or hours entry (``"hours"``).

        Refused with ``NotAllowedError`` unless ``supervisor`` is the learner's supervisor now, and with
        ``NotRecordedError`` when the entry is gone or already decided; either way nothing changes.
        The decision and every refusal are audited by the caller's surface (refusals) and here (decisions).
        """
        model = UnitAchievement if kind == "unit" else HoursEntry
        with self.db.transaction() as session:
            row = session.get(model, entry)
            if row is None or row.status != PENDING:
                state = "no longer on the record" if row is None else f"already {row.status}"
                raise NotRecordedError(f"that {kind} entry is {state}; nothing changed")
            named = session.get(Supervisor, row.user_id)
            if named is None or named.supervisor != supervisor:
                raise NotAllowedError("only the learner's supervisor can confirm or reject their entries")
            row.status = CONFIRMED if confirm else REJECTED
            row.decided_by, row.decided_at = f"slack:{supervisor}", utcnow()
            value = _unit_value(row) if isinstance(row, UnitAchievement) else _hours_value(row)
            detail = {"kind": kind, "entry": entry, "decision": row.status}
            audit.record(session, f"slack:{supervisor}", "sign_off", row.user_id, detail)
            return Decision(row.user_id, value)

    def pending_entry(self, kind: str, entry: int) -> tuple[str, UnitAchieved | HoursLogged] | None:
        """(learner, entry) for a pending unit or hours entry, for the supervisor's message; None otherwise."""
        model = UnitAchievement if kind == "unit" else HoursEntry
        with self.db.transaction() as session:
            row = session.get(model, entry)
            if row is None or row.status != PENDING:
                return None
            return row.user_id, _unit_value(row) if isinstance(row, UnitAchievement) else _hours_value(row)

    def supervisor_of(self, user: str) -> str | None:
        with self.db.transaction() as session:
            row = session.get(Supervisor, user)
            return row.supervisor if row else None

    def forget(self, user: str, *, actor: str) -> Erasure:
        """Erase everything personal about ``user`` (the right to erasure), and audit that it happened.

        Removed: enrolments, units, hours (with their notes), the
        conversation context and the questions they asked that the bot
        could not answer. Earlier audit entries about the user keep who
        changed the record and when, but lose their detail (units, hours,
        dates), which described the record itself; so do the user's own
        refused commands (which may quote what they typed). Sent reminder
        deliveries keep only that they were sent. On SQLite, deleted content
        is overwritten (``secure_delete``) and the write-ahead log is
        checkpointed and truncated, so no copy stays in the database files. The new entry holds only
        the user id and how many rows went: enough to show the erasure was
        done, nothing about what was erased.
        """
        with self.db.transaction() as session:
            erasure = Erasure(
                enrolments=_delete(session, EnrolmentRow, user),
                units=_delete(session, UnitAchievement, user),
                hours=_delete(session, HoursEntry, user),
                contexts=_delete(session, DialogueContextRow, user),
                fallbacks=_delete(session, Fallback, user),
                feedback=_delete(session, Feedback, user),
                reminder_deliveries=_erase_deliveries(session, user),
                supervisors=int(
                    session.execute(
                        delete(Supervisor).where((Supervisor.user_id == user) | (Supervisor.supervisor == user))
                    ).rowcount
                    or 0
                ),
                expert_questions=_delete(session, ExpertQuestion, user),
                assistant_threads=_delete(session, AssistantThread, user),
            )
            audit.scrub(session, user)
            audit.scrub_refusals(session, f"slack:{user}")
            audit.record(session, actor, "forget", user, {"erased": asdict(erasure)})
        self.db.checkpoint()  # the erased rows must not linger in SQLite's write-ahead log
        return erasure

    # -- reads ----------------------------------------------------------------------------------

    def export(self, user: str, *, actor: str) -> dict[str, Any]:
        """Everything held about ``user`` (subject access), audited; see ``bot.learners.export``."""
        with self.db.transaction() as session:
            return export_of(session, user, actor, utcnow())

    def learner(self, user: str) -> LearnerRecord:
        """The whole record of one learner (empty when nothing is stored)."""
        return self._records([user]).get(user, LearnerRecord(user))

    def learners(self) -> list[LearnerRecord]:
        """Every enrolled learner's record, for cohort reports (by user id)."""
        with self.db.transaction() as session:
            users = sorted(set(session.scalars(select(EnrolmentRow.user_id))))
        records = self._records(users)
        return [records[u] for u in users]

    def audit_entries(self, subject: str | None = None, limit: int = 100) -> list[audit.AuditRecord]:
        with self.db.transaction() as session:
            return audit.entries(session, subject, limit)

    def _records(self, users: Sequence[str]) -> dict[str, LearnerRecord]:
        if not users:
            return {}
        with self.db.transaction() as session:
            return records_of(session, users)


def records_of(session: Session, users: Sequence[str]) -> dict[str, LearnerRecord]:
    """The records of ``users`` read in ``session`` (users with nothing stored are left out)."""
    enrolments: dict[str, list[Enrolment]] = defaultdict(list)
    units: dict[str, list[UnitAchieved]] = defaultdict(list)
    hours: dict[str, list[HoursLogged]] = defaultdict(list)
    for e in session.scalars(_of(EnrolmentRow, users, EnrolmentRow.enrolled_on)):
        enrolments[e.user_id].append(Enrolment(e.qualification, e.enrolled_on))
    for u in session.scalars(_of(UnitAchievement, users, UnitAchievement.achieved_on)):
        units[u.user_id].append(_unit_value(u))
    for h in session.scalars(_of(HoursEntry, users, HoursEntry.logged_on)):
        hours[h.user_id].append(_hours_value(h))
    return {
        user: LearnerRecord(user, tuple(enrolments[user]), tuple(units[user]), tuple(hours[user]))
        for user in users
        if enrolments[user] or units[user] or hours[user]
    }


def _of(model: type[EnrolmentRow | UnitAchievement | HoursEntry], users: Sequence[str], day: Any) -> Select[Any]:
    """The rows of ``users``, oldest first (by date, then by when they were written)."""
    return select(model).where(model.user_id.in_(users)).order_by(day, model.id)


def _unit_value(row: UnitAchievement) -> UnitAchieved:
    return UnitAchieved(row.unit, row.achieved_on, row.source, row.status, row.id)


def _hours_value(row: HoursEntry) -> HoursLogged:
    return HoursLogged(row.kind, row.hours, row.logged_on, row.unit, row.note, row.source, row.id, row.status)


def _hours_detail(row: HoursEntry) -> dict[str, Any]:
    """An hours entry for the audit log. The note is free text (it may name a mentee), so it stays out."""
    return {
        "entry": row.id,
        "kind": row.kind,
        "hours": row.hours,
        "unit": row.unit,
        "logged_on": row.logged_on.isoformat(),
        "source": row.source,
    }


def _erase_deliveries(session: Session, user: str) -> int:
    """Reminder DMs to ``user``: those not yet sent are dropped; sent ones keep their row (the record
    that each went out once) under an anonymous recipient, without the DM's channel id or message ts,
    which would lead straight back to the person."""
    rows = list(session.scalars(select(ReminderDelivery).where(ReminderDelivery.recipient == user)))
    for row in rows:
        if row.status == "pending":
            session.delete(row)
        else:
            row.recipient, row.channel, row.ts = f"erased:{row.id}", None, None
    return len(rows)


def _delete(session: Session, model: type, user: str) -> int:
    return int(session.execute(delete(model).where(model.user_id == user)).rowcount or 0)


def _enrol(session: Session, change: Enrol, actor: str) -> bool:
    values = {"user_id": change.user, "qualification": change.qualification, "enrolled_on": change.on}
    if not dialect.insert_new(session, EnrolmentRow, {**values, "recorded_by": actor}, ["user_id", "qualification"]):
        return False
    detail = {"qualification": change.qualification, "enrolled_on": change.on.isoformat()}
    audit.record(session, actor, "enrol", change.user, detail)
    return True


def _record_unit(session: Session, change: RecordUnit, actor: str, status: str) -> bool:
    values = {"user_id": change.user, "unit": change.unit, "achieved_on": change.on, "source": change.source}
    row = {**values, "recorded_by": actor, "status": status}
    if not dialect.insert_new(session, UnitAchievement, row, ["user_id", "unit"]):
        return False
    detail = {"unit": change.unit, "achieved_on": change.on.isoformat(), "source": change.source}
    audit.record(session, actor, "record_unit", change.user, detail | _status_detail(status))
    return True


def _set_supervisor(session: Session, change: SetSupervisor, actor: str) -> bool:
    row = session.get(Supervisor, change.user)
    if row is not None and row.supervisor == change.supervisor:
        return False
    if row is None:
        session.add(Supervisor(user_id=change.user, supervisor=change.supervisor, set_by=actor))
    else:
        row.supervisor, row.set_by, row.set_at = change.supervisor, actor, utcnow()
    audit.record(session, actor, "set_supervisor", change.user, {"supervisor": change.supervisor})
    return True


def _log_hours(session: Session, change: LogHours, actor: str, status: str) -> int | None:
    """Insert the entry; None when its ``import_key`` shows the same CSV row was imported before."""
    values = {
        "user_id": change.user,
        "kind": change.kind,
        "hours": change.hours,
        "unit": change.unit,
        "logged_on": change.on,
        "note": change.note,
        "source": change.source,
        "recorded_by": actor,
        "import_key": change.import_key,
        "status": status,
        "created_at": utcnow(),
    }
    statement = dialect.insert(session, HoursEntry).values(**values)
    if change.import_key is not None:
        statement = statement.on_conflict_do_nothing(index_elements=["user_id", "import_key"])
    entry = session.execute(statement.returning(HoursEntry.id)).scalar()
    if entry is None:
        return None
    row = session.get(HoursEntry, entry)
    assert row is not None
    audit.record(session, actor, "log_hours", change.user, _hours_detail(row) | _status_detail(status))
    return int(entry)


def _status_detail(status: str) -> dict[str, str]:
    return {"status": status} if status != CONFIRMED else {}
