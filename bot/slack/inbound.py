"""What every Slack payload goes through before a listener sees it: ids checked, entities decoded once.

Slack escapes ``&``, ``<`` and ``>`` in what people type as ``&amp;``,
``&lt;`` and ``&gt;`` (its own markup, ``<@U123>``, stays as it is). So
"C&M" arrives as ``C&amp;M``, and the core would read a different word.
The text of events, slash commands, modal inputs, button values and message
shortcuts is decoded here, once, for every surface; on the way out,
``bot.slack.blocks.escape`` encodes again.

Slack's ids are short upper-case codes. A payload naming a user, channel or
team with anything else is forged: it is refused before any listener runs,
so such an id never reaches the database (whose columns would refuse it
after the ack) or a reply.
"""

from __future__ import annotations

import re
from typing import Any

_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
_ENTITY = re.compile("|".join(_ENTITIES))
#: Slack ids (``U012AB3CD``, ``C0123``, ``T01``, ``W…``, ``D…``): letters and digits, well under 40 characters.
_ID = re.compile(r"[A-Za-z0-9]{1,40}")


def decode(text: str) -> str:
    """``C&amp;M`` -> ``C&M``; each entity is decoded once (``&amp;lt;`` -> ``&lt;``, as typed)."""
    return _ENTITY.sub(lambda m: _ENTITIES[m.group()], text) if "&" in text else text


def _decode_in(node: dict[str, Any] | None, key: str) -> None:
    if isinstance(node, dict) and isinstance(node.get(key), str):
        node[key] = decode(node[key])


def decode_payload(body: dict[str, Any]) -> None:
    """Decode, in place, every field of ``body`` that carries what a person typed."""
    _decode_in(body.get("event") if isinstance(body.get("event"), dict) else None, "text")
    if body.get("command"):
        _decode_in(body, "text")
    _decode_in(body.get("message") if isinstance(body.get("message"), dict) else None, "text")
    actions = body.get("actions")
    if isinstance(actions, list):
        for action in actions:
            _decode_in(action if isinstance(action, dict) else None, "value")
    view = body.get("view")
    values = ((view.get("state") or {}).get("values") if isinstance(view, dict) else None) or {}
    if isinstance(values, dict):
        for block in values.values():
            for element in (block or {}).values() if isinstance(block, dict) else ():
                _decode_in(element if isinstance(element, dict) else None, "value")


def forged_ids(body: dict[str, Any]) -> list[str]:
    """The names of id fields in ``body`` that are not Slack ids (empty for every real payload)."""
    event = body.get("event") if isinstance(body.get("event"), dict) else {}
    candidates = {
        "user_id": body.get("user_id"),
        "channel_id": body.get("channel_id"),
        "team_id": body.get("team_id"),
        "user": _id_of(body.get("user")),
        "channel": _id_of(body.get("channel")),
        "event.user": _id_of(event.get("user")),
        "event.channel": _id_of(event.get("channel")),
    }
    return [name for name, value in candidates.items() if value is not None and not _is_id(value)]


def _id_of(value: Any) -> Any:
    return value.get("id") if isinstance(value, dict) else value


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and _ID.fullmatch(value) is not None
