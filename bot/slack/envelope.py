"""What a signed Slack body must look like before Bolt sees it; anything else is a 400, never a 500.

The signature proves a body came from someone holding the signing secret,
not that it is well formed. Bolt and the listeners read nested parts of a
payload (``event``, ``actions``, ``view``, ``user``…) and would fail on the
wrong type, so the parts they read are checked here, with pydantic, once:
an object where an object is read, a list of objects where a list is read,
text where text is read, and ids no longer than the database keeps them.
Everything else is passed through untouched (``extra="allow"``).
"""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import parse_qs

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError, model_validator

from bot.storage.models import ProcessedEvent

#: The ``processed_events.event_id`` column's length: a longer id can't be claimed, so it is refused.
EVENT_ID_MAX = ProcessedEvent.__table__.c.event_id.type.length or 128
#: Slack's payloads nest about a dozen levels (a modal's blocks); far deeper is an attack on the parsers.
MAX_DEPTH = 64

Obj = dict[str, Any]
Text = Annotated[str, StringConstraints(max_length=100_000)]


class _Part(BaseModel):
    model_config = ConfigDict(extra="allow")


class View(_Part):
    type: str | None = None
    callback_id: str | None = None
    private_metadata: str | None = None
    state: dict[str, dict[str, Obj]] | None = None
    blocks: list[Obj] | None = None


class Event(_Part):
    """An Events API event, or a message inside one."""

    type: str
    user: str | Obj | None = None
    channel: str | Obj | None = None
    text: Text | None = None
    ts: str | None = None
    thread_ts: str | None = None
    channel_type: str | None = None
    subtype: str | None = None
    bot_id: str | None = None
    tab: str | None = None
    message: Obj | None = None
    previous_message: Obj | None = None
    item: Obj | None = None
    assistant_thread: Obj | None = None
    view: View | None = None
    blocks: list[Obj] | None = None


class Envelope(_Part):
    """An Events API callback, an interactivity payload or a slash command's form."""

    type: str | None = None
    event_id: Annotated[str, StringConstraints(min_length=1, max_length=EVENT_ID_MAX)] | None = None
    event: Event | None = None
    team_id: str | None = None
    enterprise_id: str | None = None
    team: str | Obj | None = None
    enterprise: str | Obj | None = None
    user: str | Obj | None = None
    channel: str | Obj | None = None
    container: Obj | None = None
    message: Obj | None = None
    view: View | None = None
    actions: list[Obj] | None = None
    authorizations: list[Obj] | None = None
    command: str | None = None
    text: Text | None = None
    user_id: str | None = None
    channel_id: str | None = None
    response_url: str | None = None
    trigger_id: str | None = None

    @model_validator(mode="after")
    def _required_parts(self) -> Envelope:
        """The part each kind of request is about must be there."""
        required = {
            "event_callback": ("event", "event_id"),
            "block_actions": ("actions",),
            "view_submission": ("view",),
            "view_closed": ("view",),
        }.get(self.type or "", ())
        missing = [name for name in required if getattr(self, name) is None]
        if missing:
            raise ValueError(f"{self.type} without {', '.join(missing)}")
        return self


def well_formed(body: str, content_type: str) -> bool:
    """Slack sends JSON (events) or a form (commands; interactivity with a JSON ``payload``)."""
    try:
        if "application/json" in content_type:
            return _valid(json.loads(body))
        form = parse_qs(body, strict_parsing=bool(body), keep_blank_values=True)
        if "payload" in form:
            return _valid(json.loads(form["payload"][0]))
        return bool(form) and _valid({name: values[0] for name, values in form.items()})
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than the JSON parser's stack
        return False


def _valid(data: Any) -> bool:
    if not isinstance(data, dict) or _depth(data) > MAX_DEPTH:
        return False
    try:
        Envelope.model_validate(data)
    except ValidationError:
        return False
    return True


def _depth(data: Any) -> int:
    """How deeply lists and objects nest, counted without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            break
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest
