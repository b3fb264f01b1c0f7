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
from typing import Annotated, Any, ClassVar
from urllib.parse import parse_qs

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from bot.storage.models import ProcessedEvent

#: The ``processed_events.event_id`` column's length: a longer id can't be claimed, so it is refused.
EVENT_ID_MAX = ProcessedEvent.__table__.c.event_id.type.length or 128
#: Slack's payloads nest about a dozen levels (a modal's blocks); far deeper is an attack on the parsers.
MAX_DEPTH = 64

Obj = dict[str, Any]
Text = Annotated[str, StringConstraints(max_length=100_000)]


class _Part(BaseModel):
    """Slack's shapes are open: unknown keys pass. Parts named in ``not_null`` may be absent, never ``null``

    (Bolt reads them as ``body.get("event", {}).get(…)``, which fails on an explicit null)."""

    model_config = ConfigDict(extra="allow")
    not_null: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="before")
    @classmethod
    def _no_nulls(cls, data: Any) -> Any:
        if isinstance(data, dict):
            nulls = [name for name in cls.not_null if name in data and data[name] is None]
            if nulls:
                raise ValueError(f"{', '.join(nulls)} is null")
        return data


class User(_Part):
    """The person behind an interactive request: every listener reads ``user.id``."""

    id: str
    team_id: str | None = None


class Action(_Part):
    """A pressed button or chosen option; Bolt routes on ``action_id``."""

    action_id: str
    block_id: str | None = None
    value: str | None = None
    type: str | None = None


class ViewState(_Part):
    """A modal's inputs: ``values[block_id][action_id]`` is the input's state."""

    not_null = ("values",)
    values: dict[str, dict[str, Obj]] | None = None


class View(_Part):
    not_null = ("state",)
    type: str | None = None
    callback_id: str | None = None
    private_metadata: str | None = None
    state: ViewState | None = None
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

    not_null = ("event", "view", "actions", "user", "authorizations", "function_data")
    type: str | None = None
    event_id: Annotated[str, StringConstraints(min_length=1, max_length=EVENT_ID_MAX)] | None = None
    event: Event | None = None
    team_id: str | None = None
    enterprise_id: str | None = None
    context_team_id: str | None = None
    context_enterprise_id: str | None = None
    team: str | Obj | None = None
    enterprise: str | Obj | None = None
    user: User | None = None
    channel: Obj | None = None
    container: Obj | None = None
    message: Obj | None = None
    view: View | None = None
    actions: Annotated[list[Action], Field(min_length=1)] | None = None
    authorizations: list[Obj] | None = None
    function_data: Obj | None = None
    callback_id: str | None = None
    command: str | None = None
    text: Text | None = None
    user_id: str | None = None
    channel_id: str | None = None
    response_url: str | None = None
    trigger_id: str | None = None

    @model_validator(mode="after")
    def _required_parts(self) -> Envelope:
        """The parts each kind of request is routed on, and its user, must be there."""
        missing = [name for name in _REQUIRED.get(self.type or "", ()) if getattr(self, name) is None]
        if self.type in _REQUIRED and self.type != "event_callback" and self.user is None:
            missing.append("user")
        if self.view is not None and self.type in ("view_submission", "view_closed") and not self.view.callback_id:
            missing.append("view.callback_id")
        if self.command is not None and not (self.user_id and self.command.startswith("/")):
            missing.append("command and user_id")
        if missing:
            raise ValueError(f"{self.type} without {', '.join(missing)}")
        return self


#: What each kind of request must carry (Bolt routes on it, listeners read it before they can ack).
_REQUIRED: dict[str, tuple[str, ...]] = {
    "event_callback": ("event", "event_id"),
    "block_actions": ("actions",),
    "view_submission": ("view",),
    "view_closed": ("view",),
    "shortcut": ("callback_id",),
    "message_action": ("callback_id",),
}


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
