"""The background poll that keeps this replica on the current knowledge version."""

from __future__ import annotations

import logging
import os
import threading

from bot.admin.service import KnowledgeAdmin

log = logging.getLogger("ilm_bot.sync")

#: Seconds between polls; a reload reaches every replica within about this long (the issue asks ≤ 10 s).
DEFAULT_SECONDS = 3.0


def start_version_sync(admin: KnowledgeAdmin, seconds: float | None = None) -> threading.Thread:
    interval = seconds if seconds is not None else float(os.environ.get("ILM_SYNC_SECONDS", DEFAULT_SECONDS))
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(interval):
            try:
                admin.sync()
            except Exception as exc:  # a failed poll (database blip) must not end the loop
                log.warning("version sync failed: %s", type(exc).__name__)

    thread = threading.Thread(target=loop, name="version-sync", daemon=True)
    thread.start()
    return thread
