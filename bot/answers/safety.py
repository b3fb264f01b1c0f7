"""Make sure nothing the bot says can ping or broadcast in Slack.

User text is stripped of markup on the way in; this is the second line of
defence on the way out, applied to every answer whatever its source.
"""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"<\s*([!@#])")
_BARE = re.compile(r"(?<![\w.])@(channel|here|everyone)\b", re.I)


def neutralise(text: str) -> str:
    """Defuse ``<!channel>``, ``<!here>``, ``<!everyone>``, ``<!subteam^…>``, ``<@U…>`` and ``@here``."""
    text = _SPECIAL.sub(lambda m: "‹" + m.group(1), text)
    return _BARE.sub(lambda m: "@\u200b" + m.group(1), text)
