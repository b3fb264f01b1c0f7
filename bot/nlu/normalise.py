"""Turn raw user text into something safe and regular to match on.

Slack markup is removed first, so a question wrapped in ``<!channel>`` or
``<@U123>`` is understood on its words alone and the markup can never be
echoed back. Input is capped: nobody's real question is 100 kB long, and
matching cost must stay bounded whatever arrives.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters of user text considered at all; the rest is ignored.
MAX_CHARS = 500

_SLACK_SPECIAL = re.compile(r"<!(?:[^>|]*)(?:\|[^>]*)?>")  # <!channel>, <!here>, <!subteam^S1|@team>, <!date…>
_SLACK_USER = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_SLACK_CHANNEL = re.compile(r"<#[A-Z0-9]+(?:\|([^>]*))?>")
_SLACK_LINK = re.compile(r"<((?:https?|mailto):[^>|]*)(?:\|([^>]*))?>")
_BARE_MARKUP = re.compile(r"[<>]")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "＆": "&"})
_SPACES = re.compile(r"\s+")
_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.I)


def strip_markup(text: str) -> str:
    """Remove Slack mentions and broadcasts; keep a channel's or link's visible label."""
    text = _SLACK_SPECIAL.sub(" ", text)
    text = _SLACK_USER.sub(" ", text)
    text = _SLACK_CHANNEL.sub(lambda m: f" {m.group(1) or ''} ", text)
    text = _SLACK_LINK.sub(lambda m: f" {m.group(2) or m.group(1)} ", text)
    text = _BROADCAST.sub(r"\1", text)
    return _BARE_MARKUP.sub(" ", text)


def clean(text: str) -> str:
    """Printable, markup-free, single-spaced text, at most ``MAX_CHARS`` long. Case is kept."""
    text = text[: MAX_CHARS * 4]
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = strip_markup(text.translate(_QUOTES))
    return _SPACES.sub(" ", text).strip()[:MAX_CHARS]


_TOKEN = re.compile(r"[a-z0-9]+(?:[&'][a-z0-9]+)*|&|\{[a-z]+\}")


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; keeps 'c&m', "i've" and placeholders like '{unit}' whole."""
    return _TOKEN.findall(text.lower())
