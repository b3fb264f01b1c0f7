"""The background poll that keeps this replica on the current knowledge version."""

from __future__ import annotations

import logging
import threading
import time

from bot.admin.service import KnowledgeAdmin
from bot.storage import prune_events

log = logging.getLogger("ilm_bot.sync")

#: Seconds between prunings of processed Slack event ids.
PRUNE_EVERY = 3600.0


def start_version_sync(admin: KnowledgeAdmin, interval: float) -> threading.Thread:
    """Poll every ``interval`` seconds (``ILM_SYNC_SECONDS``, default 3, checked in ``bot.settings``).

    A reload reaches every replica within about this long (the issue asks for 10 s at most).
    """
    stop = threading.Event()

    def loop() -> None:
        last_prune = -PRUNE_EVERY
        while not stop.wait(interval):
            try:
                admin.sync()
                if time.monotonic() - last_prune > PRUNE_EVERY:
                    prune_events(admin.store.db)  # ids older than Slack's retry window are no longer needed
                    last_prune = time.monotonic()
            except Exception as exc:  # a failed poll (database blip) must not end the loop
                log.warning("version sync failed: %s", type(exc).__name__)

    thread = threading.Thread(target=loop, name="version-sync", daemon=True)
    thread.start()
    return thread
