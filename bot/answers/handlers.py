"""Every answer handler, registered by intent: importing this module fills ``HANDLERS``.

One module per topic; see ``bot.answers.request`` for what a handler receives and returns.
"""

from __future__ import annotations

from bot.answers import about, checks, compare, delivery, personal, smalltalk, units  # noqa: F401 - they register
from bot.answers.request import BEHAVIOUR, HANDLERS, NEEDS_QUALIFICATION, Reply, Request, handles
from bot.answers.smalltalk import capabilities

__all__ = ["BEHAVIOUR", "HANDLERS", "NEEDS_QUALIFICATION", "Reply", "Request", "capabilities", "handles"]
