"""Which knowledge files exist, and reading one of them safely.

``ilm-bot validate``, ``Brain.load``, the version hash and every admin reload
(``ilm-bot admin reload``, ``/ilm-admin reload``) list and read files through
this module, so they see the same files and refuse the same ones with the same
message. A knowledge directory is edited by people and deployed by tools: it
may hold a directory named ``x.yaml``, a link to nowhere or to itself, a FIFO
or ``/dev/zero``, or text in another encoding. Each of those is an error an
admin can act on, never a traceback, a hang or a memory blow-up.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from bot.knowledge.errors import KnowledgeError

UNITS_FILE = "units.yaml"
ORGANISATION_FILE = "organisation.yaml"
QUALIFICATIONS_DIR = "qualifications"

#: Largest file read, in bytes. The shipped files are under 10 kB and a synthetic
#: knowledge base 100 times their size under 1 MB; anything larger is a mistake
#: (a log or a device copied in), and reading it whole would only waste memory.
MAX_FILE_BYTES = 4 * 1024 * 1024


class UnreadableFileError(Exception):
    """A file that exists (or is named) but can't be used; ``line`` when the fault has one."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(message)


def knowledge_files(root: Path) -> list[Path]:
    """The files ``load_knowledge`` reads under ``root``: the two fixed files and every qualification.

    Other files (notes, backups) are not part of the knowledge and are never read.
    """
    return [root / UNITS_FILE, root / ORGANISATION_FILE, *qualification_files(root)]


def qualification_files(root: Path) -> list[Path]:
    """One file per qualification, ``qualifications/*.yaml`` (or ``.yml``)."""
    qdir = root / QUALIFICATIONS_DIR
    return sorted(qdir.glob("*.yaml")) + sorted(qdir.glob("*.yml")) if qdir.is_dir() else []


def read_text(path: Path) -> str:
    """The UTF-8 text of a regular file of at most ``MAX_FILE_BYTES``.

    Raises ``FileNotFoundError`` only for a plain missing file (callers say
    which required file it is); every other problem is ``UnreadableFileError`` with
    a message that says what is wrong, and the line for a bad byte.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise UnreadableFileError(f"cannot be read: it is a link to a missing file ({os.readlink(path)})") from None
        raise
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnreadableFileError("cannot be read: it is a symbolic link that loops back on itself") from None
        raise UnreadableFileError(f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableFileError("cannot be read: it is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):  # a device, FIFO or socket: reading may never end
        raise UnreadableFileError("cannot be read: it is not a regular file (a device, pipe or socket)")
    if info.st_size > MAX_FILE_BYTES:
        raise UnreadableFileError(
            f"cannot be read: it is too large ({info.st_size:,} bytes; the limit is {MAX_FILE_BYTES:,})"
        )
    try:
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:  # no permission, an I/O error
        raise UnreadableFileError(f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    if len(data) > MAX_FILE_BYTES:  # it grew after the check
        raise UnreadableFileError(f"cannot be read: it is too large (over {MAX_FILE_BYTES:,} bytes)")
    return decode(data)


def decode(data: bytes) -> str:
    """Strict UTF-8 (a BOM is allowed), or ``UnreadableFileError`` naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise UnreadableFileError(f"not UTF-8 text (byte 0x{bad} on line {line}); save it as UTF-8", line) from None


def read_all(root: Path, paths: Iterable[Path]) -> tuple[dict[str, str], list[KnowledgeError]]:
    """The text of each file by its path under ``root``, and an error for each one that can't be used.

    Missing files are left out without an error: the loaders say which
    required file is missing, in the same words for every caller.
    """
    texts: dict[str, str] = {}
    errors: list[KnowledgeError] = []
    for path in paths:
        rel = path.relative_to(root).as_posix()
        try:
            texts[rel] = read_text(path)
        except FileNotFoundError:
            continue
        except UnreadableFileError as exc:
            errors.append(KnowledgeError(f"{root.name}/{rel}", exc.line, "", exc.message))
    return texts, errors
