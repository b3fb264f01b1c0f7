"""Running `ilm-bot serve` as a real process against the fake Slack, for end-to-end tests."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from fakeslack import FakeSlack

ILM_BOT = str(Path(sys.executable).parent / "ilm-bot")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    """(status, body) of a GET; (0, "") when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except OSError:
        return 0, ""


class BotProcess:
    """`ilm-bot serve` in HTTP mode on a free port, pointed at ``slack``; waits until /readyz says ready."""

    def __init__(self, slack: FakeSlack, log: Path, **env: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.events = f"{self.base}/slack/events"
        self.log = log
        environ = {**os.environ, **slack.env(), "PORT": str(self.port), **env}
        environ.pop("SLACK_APP_TOKEN", None)
        self.proc = subprocess.Popen([ILM_BOT, "serve"], env=environ, stdout=log.open("a"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while get(f"{self.base}/readyz")[0] != 200:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"bot did not become ready:\n{log.read_text()}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def kill(self) -> None:
        """kill -9: no clean-up at all, as a crash would be."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)


def knowledge_copy(root: Path) -> tuple[Path, Path]:
    """A private, editable copy of the shipped knowledge and intents (for reload tests)."""
    from bot.knowledge.loader import default_knowledge_dir
    from bot.nlu.intents import default_intents_dir

    kdir, idir = root / "knowledge", root / "intents"
    shutil.copytree(default_knowledge_dir(), kdir)
    shutil.copytree(default_intents_dir(), idir)
    return kdir, idir


def admin_env(database_url: str, kdir: Path, idir: Path, admin: str) -> dict[str, str]:
    """Environment for bot processes that share a database and reload from ``kdir`` / ``idir`` quickly."""
    return {
        "DATABASE_URL": database_url,
        "ILM_ADMIN_USERS": admin,
        "ILM_KNOWLEDGE_DIR": str(kdir),
        "ILM_INTENTS_DIR": str(idir),
        "ILM_SYNC_SECONDS": "1",
    }
