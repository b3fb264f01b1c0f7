"""Where the shipped knowledge and intents are, in a wheel and in a source checkout.

The repository's top-level ``knowledge/`` and ``intents/`` are the source of
truth. Building a wheel copies them into the package as ``bot/_shipped/``
(see ``setup.py``), so an installed bot answers from any directory; a source
checkout or an editable install has no copy and reads the repository's
directories directly, so an edit there is live without a rebuild.
"""

from __future__ import annotations

from pathlib import Path

#: The folder inside the package that a built wheel carries the data in.
SHIPPED = "_shipped"
_PACKAGE = Path(__file__).resolve().parent


def shipped_dir(name: str) -> Path:
    """``bot/_shipped/<name>`` in an installed wheel, else ``<repo>/<name>`` beside the package."""
    packaged = _PACKAGE / SHIPPED / name
    return packaged if packaged.is_dir() else _PACKAGE.parent / name
