"""Knowledge versions in the database: stored whole, loads recorded, replicas' heartbeats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.admin.snapshot import Snapshot
from bot.storage import dialect
from bot.storage.audit import as_utc
from bot.storage.database import Database
from bot.storage.models import KnowledgeLoad, KnowledgeVersion, Replica, utcnow


@dataclass(frozen=True)
class Load:
    id: int
    at: datetime
    version: str
    actor: str
    action: str


@dataclass(frozen=True)
class ReplicaSeen:
    id: str
    version: str
    seen_at: datetime
    started_at: datetime
    error: str | None


class VersionStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def save(self, version: str, snapshot: Snapshot, counts: str) -> bool:
        """Keep a version whole; False when it was already stored (versions are content hashes)."""
        with self.db.transaction() as session:
            row = {"version": version, "files": snapshot.files, "counts": counts, "created_at": utcnow()}
            return dialect.insert_new(session, KnowledgeVersion, row, ["version"])

    def snapshot(self, version: str) -> Snapshot | None:
        with self.db.transaction() as session:
            row = session.get(KnowledgeVersion, version)
            return Snapshot(dict(row.files)) if row is not None else None

    def find(self, prefix: str) -> list[str]:
        """Versions whose id starts with ``prefix`` (admins type a few characters)."""
        with self.db.transaction() as session:
            rows = session.scalars(select(KnowledgeVersion.version).where(KnowledgeVersion.version.startswith(prefix)))
            return sorted(rows)

    def record_load(self, version: str, actor: str, action: str) -> Load:
        with self.db.transaction() as session:
            row = KnowledgeLoad(version=version, actor=actor, action=action, at=utcnow())
            session.add(row)
            session.flush()
            return _load(row)

    def current(self) -> Load | None:
        """The newest load: the version every replica should serve."""
        loads = self.history(1)
        return loads[0] if loads else None

    def history(self, limit: int = 10) -> list[Load]:
        with self.db.transaction() as session:
            rows = session.scalars(select(KnowledgeLoad).order_by(KnowledgeLoad.id.desc()).limit(limit))
            return [_load(r) for r in rows]

    def heartbeat(self, replica: str, version: str, started_at: datetime, error: str | None) -> None:
        with self.db.transaction() as session:
            row = session.get(Replica, replica)
            if row is None:
                session.add(Replica(id=replica, version=version, started_at=started_at, seen_at=utcnow(), error=error))
            else:
                row.version, row.seen_at, row.error = version, utcnow(), error

    def replicas(self, within: timedelta = timedelta(minutes=2)) -> list[ReplicaSeen]:
        since = utcnow() - within
        with self.db.transaction() as session:
            rows = session.scalars(select(Replica).where(Replica.seen_at >= since).order_by(Replica.id))
            return [ReplicaSeen(r.id, r.version, as_utc(r.seen_at), as_utc(r.started_at), r.error) for r in rows]


def _load(row: KnowledgeLoad) -> Load:
    return Load(row.id, as_utc(row.at), row.version, row.actor, row.action)
