"""Reload, rollback and status of the knowledge a bot serves, shared by every replica through the database.

A reload validates the files completely before anything changes; any error
leaves the running version untouched. A new version is stored whole and
recorded as a load; every replica polls the newest load and switches to it
(after building and validating it itself), so a reload on one replica
reaches all of them.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.admin.diff import Diff, counts, diff
from bot.admin.snapshot import Snapshot
from bot.admin.versions import Load, ReplicaSeen, VersionStore
from bot.core.brain import Brain, source_dirs
from bot.knowledge.errors import KnowledgeInvalidError
from bot.runtime.brain_holder import BrainHolder
from bot.storage import audit

log = logging.getLogger("ilm_bot.admin")


def replica_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class Outcome:
    """What a reload or rollback did: the new version and its diff, or every error and no change."""

    ok: bool
    version: str | None = None
    counts: str = ""
    diff: Diff | None = None
    errors: tuple[str, ...] = ()
    unchanged: bool = False


@dataclass(frozen=True)
class Status:
    version: str
    loaded_at: datetime
    loaded_by: str
    counts: str
    current: Load | None
    replicas: list[ReplicaSeen] = field(default_factory=list)


class KnowledgeAdmin:
    def __init__(
        self,
        store: VersionStore,
        holder: BrainHolder | None = None,
        dirs: tuple[Path, Path] | None = None,
        replica: str | None = None,
    ) -> None:
        self.store = store
        self.holder = holder
        self.dirs = dirs or source_dirs()
        self.replica = replica or replica_id()
        self.started_at = datetime.now(UTC)
        self._failed: tuple[int, str] | None = None  # (load id, error) this replica could not switch to
        #: The newest load this replica has acted on; a poll only ever moves forward from it, so a
        #: poll that read the previous load just before a reload here can't switch back to it.
        self._seen_load = 0
        self._switching = threading.Lock()

    # -- start -------------------------------------------------------------------------------

    def register_start(self, snapshot: Snapshot | None = None) -> None:
        """The version loaded from disk at start is a version like any other.

        Files never seen before (a deploy) become current; files already known
        (an older copy) don't override a reload or rollback made since, and
        this replica switches to the current version instead.
        """
        assert self.holder is not None
        brain = self.holder()
        snap = snapshot or Snapshot.read(*self.dirs)
        new = self.store.save(brain.version, snap, counts(brain))
        current = self.store.current()
        if new or current is None:
            self._seen_load = self.store.record_load(brain.version, f"start:{self.replica}", "start").id
        else:
            self.sync()
        self._beat()

    # -- reload and rollback -------------------------------------------------------------------

    def reload(self, actor: str) -> Outcome:
        try:
            snapshot = Snapshot.read(*self.dirs)
            brain = snapshot.build()
        except KnowledgeInvalidError as exc:
            audit.log(self.store.db, actor, "reload_refused", None, {"errors": len(exc.errors)})
            return Outcome(ok=False, errors=tuple(str(e) for e in exc.errors))
        before = self._serving()
        self.store.save(brain.version, snapshot, counts(brain))
        unchanged = before is not None and before.version == brain.version
        if not unchanged:
            with self._switching:
                self._seen_load = self.store.record_load(brain.version, actor, "reload").id
                self._switch(brain, actor)
        audit.log(self.store.db, actor, "reload", None, {"version": brain.version, "unchanged": unchanged})
        change = diff(before, brain) if before is not None else None
        return Outcome(ok=True, version=brain.version, counts=counts(brain), diff=change, unchanged=unchanged)

    def rollback(self, actor: str, version: str | None = None) -> Outcome:
        target = self._rollback_target(version)
        if isinstance(target, Outcome):
            return target
        snapshot = self.store.snapshot(target)
        assert snapshot is not None
        try:
            brain = snapshot.build()
        except KnowledgeInvalidError as exc:  # stored versions were valid, but the code may have changed since
            return Outcome(ok=False, errors=tuple(str(e) for e in exc.errors))
        before = self._serving()
        with self._switching:
            self._seen_load = self.store.record_load(brain.version, actor, "rollback").id
            self._switch(brain, actor)
        audit.log(self.store.db, actor, "rollback", None, {"version": brain.version})
        change = diff(before, brain) if before is not None else None
        return Outcome(ok=True, version=brain.version, counts=counts(brain), diff=change)

    def _rollback_target(self, version: str | None) -> str | Outcome:
        current = self.store.current()
        if version:
            matches = self.store.find(version.strip())
            if len(matches) != 1:
                problem = "no stored version starts with" if not matches else "several stored versions start with"
                return Outcome(ok=False, errors=(f"{problem} {version.strip()!r}; see `history`",))
            if current is not None and matches[0] == current.version:
                return Outcome(ok=False, errors=(f"{matches[0]} is already the current version",))
            return matches[0]
        for load in self.store.history(50):
            if current is None or load.version != current.version:
                return load.version
        return Outcome(ok=False, errors=("there is no earlier version to roll back to",))

    # -- replicas ------------------------------------------------------------------------------

    def sync(self) -> str | None:
        """One poll: switch to the current version if this replica serves another. Returns the new version."""
        switched: str | None = None
        with self._switching:
            current = self.store.current()
            if current is not None and current.id > self._seen_load and self.holder is not None:
                if current.version == self.holder().version:
                    self._seen_load = current.id
                elif self._failed is None or self._failed[0] != current.id:
                    switched = self._adopt(current)
        self._beat()
        return switched

    def _adopt(self, load: Load) -> str | None:
        snapshot = self.store.snapshot(load.version)
        try:
            if snapshot is None:
                raise KnowledgeInvalidError([])
            brain = snapshot.build()
        except KnowledgeInvalidError as exc:
            reason = "; ".join(str(e) for e in exc.errors[:3]) or "the version is not stored"
            self._failed = (load.id, f"could not switch to {load.version}: {reason}")
            log.error("replica %s keeps its version: %s", self.replica, self._failed[1])
            return None
        self._failed = None
        self._seen_load = load.id
        self._switch(brain, load.actor)
        log.info("replica %s now serves %s (%s by %s)", self.replica, load.version, load.action, load.actor)
        return load.version

    def _beat(self) -> None:
        if self.holder is not None:
            error = self._failed[1] if self._failed else None
            self.store.heartbeat(self.replica, self.holder().version, self.started_at, error)

    # -- reading ---------------------------------------------------------------------------------

    def status(self) -> Status:
        current = self.store.current()
        if self.holder is not None:
            loaded = self.holder.loaded
            return Status(
                loaded.brain.version, loaded.at, loaded.by, counts(loaded.brain), current, self.store.replicas()
            )
        brain = self._serving()
        version = brain.version if brain else "none"
        at = current.at if current else self.started_at
        return Status(
            version,
            at,
            current.actor if current else "",
            counts(brain) if brain else "",
            current,
            self.store.replicas(),
        )

    def _serving(self) -> Brain | None:
        """The brain this process serves, or (from the command line) the current stored version's."""
        if self.holder is not None:
            return self.holder()
        current = self.store.current()
        snapshot = self.store.snapshot(current.version) if current else None
        try:
            return snapshot.build() if snapshot else None
        except KnowledgeInvalidError:
            return None

    def _switch(self, brain: Brain, by: str) -> None:
        if self.holder is not None:
            self.holder.swap(brain, by)
            self._beat()
