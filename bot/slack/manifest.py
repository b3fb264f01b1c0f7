"""The Slack app manifest, built from the listeners the app really registers, so it cannot drift.

``bot.slack.listeners.register`` is run against a recorder that stands in for
Bolt's ``App``: every ``app.event``/``app.message``/``app.command``/
``app.shortcut``/``app.action``/``app.view``/``app.assistant`` call is noted,
and the manifest's events, slash commands, shortcuts, interactivity and
assistant view follow from them. What Slack needs beyond a listener's name is
declared here, next to nothing else:

- ``EVENTS``: the manifest subscription(s) and scopes for each Bolt event type;
- ``COMMANDS`` / ``SHORTCUTS``: the text Slack shows for each;
- ``METHOD_SCOPES``: the scopes of each Web API method the code calls
  (``tests/test_manifest.py`` checks the list against the source).

A listener registered without its entry here is an error naming it, and so is
an entry for a listener that no longer exists: adding a surface means adding
its line, and the manifest follows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

import yaml

from bot.slack.server import EVENTS_PATH


class ManifestError(ValueError):
    """The listeners and the declarations here disagree, or a URL is unusable; the message says which."""


@dataclass(frozen=True)
class EventInfo:
    subscriptions: tuple[str, ...]
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class CommandInfo:
    description: str
    usage_hint: str
    should_escape: bool = False


@dataclass(frozen=True)
class ShortcutInfo:
    name: str
    kind: str  # "global" or "message"
    description: str


#: Bolt event type -> what to subscribe to in the manifest and the scopes Slack requires for it.
EVENTS: dict[str, EventInfo] = {
    # The message listeners answer DMs, and take experts' replies in threads of ILM_EXPERTS_CHANNEL
    # (public or private); other channel messages are ignored.
    "message": EventInfo(
        ("message.im", "message.channels", "message.groups"), ("im:history", "channels:history", "groups:history")
    ),
    "app_mention": EventInfo(("app_mention",), ("app_mentions:read",)),
    "app_home_opened": EventInfo(("app_home_opened",)),
    "assistant_thread_started": EventInfo(("assistant_thread_started",), ("assistant:write",)),
    "assistant_thread_context_changed": EventInfo(("assistant_thread_context_changed",), ("assistant:write",)),
}

#: What Bolt's ``Assistant`` middleware listens to (its user messages arrive as ``message.im``).
ASSISTANT_EVENTS = ("assistant_thread_started", "assistant_thread_context_changed", "message")

COMMANDS: dict[str, CommandInfo] = {
    "/ilm": CommandInfo(
        "Ask about the ILM Level 3 qualifications, or track your own progress (only you see the answer)",
        "[question] | help | enrol | done | log | progress | forget-me",
    ),
    "/ilm-hr": CommandInfo(
        "HR: see a learner's progress and manage reminders",
        "progress @user | remind | reminders | cancel",
        should_escape=True,  # so "@user" arrives as <@U…|name>, an unambiguous user id
    ),
    "/ilm-admin": CommandInfo(
        "Admin: reload or roll back the knowledge base, and review unanswered questions and feedback",
        "reload | rollback [version] | status | history | unanswered | feedback",
    ),
}

#: callback_id -> how Slack lists the shortcut (the ids are bot.slack.blocks.forms.SHORTCUT_*).
SHORTCUTS: dict[str, ShortcutInfo] = {
    "log_hours": ShortcutInfo(
        "Log practice hours", "global", "Log hours of induction, tutorial support, coaching or mentoring in a form"
    ),
    "record_unit": ShortcutInfo(
        "Record a unit", "global", "Record a unit you have achieved, picked from your qualifications"
    ),
    "ask_assistant": ShortcutInfo(
        "Ask the ILM assistant", "message", "Ask ILM Coach about this message; only you see the answer"
    ),
}

#: Every Web API method the bot calls (slack_sdk's method name) -> the bot scopes it needs.
#: conversations.info / .history are called on DMs, public and private channels alike.
METHOD_SCOPES: dict[str, tuple[str, ...]] = {
    "chat_postMessage": ("chat:write",),
    "chat_postEphemeral": ("chat:write",),
    "chat_update": ("chat:write",),
    "conversations_open": ("im:write",),
    "conversations_info": ("channels:read", "groups:read", "im:read"),
    "conversations_history": ("channels:history", "groups:history", "im:history"),
    "users_info": ("users:read",),
    "users_lookupByEmail": ("users:read.email",),  # CSV imports that name learners by email
    "files_info": ("files:read",),  # a CSV HR shares with the bot, read by its id
    "files_upload_v2": ("files:write",),  # /ilm my-data, the cohort report's CSV and chart
    "views_open": (),
    "views_publish": (),
}

#: The assistant pane's text, used when the app registers an ``Assistant``.
ASSISTANT_DESCRIPTION = (
    "Answers questions on the ILM Level 3 coaching and mentoring qualifications and on your own progress."
)

DISPLAY = {
    "name": "ILM Coach",
    "description": (
        "Answers questions on the ILM Level 3 coaching and mentoring qualifications and tracks your progress."
    ),
    "background_color": "#1d4f6e",
    "long_description": (
        "ILM Coach helps managers working toward the ILM Level 3 Award in Mentoring, the Certificate in Mentoring "
        "and the Certificate in Coaching and Mentoring. Ask it in a direct message, mention it in a channel, or use "
        "/ilm: it explains units, credits, guided learning hours, the rules of combination and supervised practice, "
        "straight from the ILM brochures. Tell it which units you have done and the hours you have logged, and it "
        "works out exactly what you still need, with every shortest way to finish. Your App Home shows a progress "
        "dashboard for each qualification you are enrolled on."
    ),
}

HEADER = """\
# Slack app manifest for ilm-bot, generated by `ilm-bot manifest {mode}`: do not edit by hand.
# It is built from the listeners the app registers (bot/slack/manifest.py), and
# tests/test_manifest.py fails when this file and the command's output differ:
# after changing a listener, regenerate it with the command above.
#
# Create the app at https://api.slack.com/apps ("From an app manifest"), install it,
# then give the bot SLACK_BOT_TOKEN (xoxb-…), SLACK_SIGNING_SECRET and, in Socket
# Mode, SLACK_APP_TOKEN (xapp-…, an app-level token with connections:write).
# For HTTP mode instead: `ilm-bot manifest --url https://your.host`.
"""


@dataclass
class Registered:
    """What the listeners registered, in registration order."""

    events: list[str] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    shortcuts: list[str] = field(default_factory=list)
    interactive: bool = False
    assistant: bool = False


def _keep(func: Callable[..., Any] | None = None, *_: Any, **__: Any) -> Any:
    """Both decorator forms Bolt allows: ``@app.x(...)`` and ``app.x(...)(func)``."""
    return func if func is not None else (lambda f: f)


def _name(constraint: Any, key: str) -> str:
    """A listener's string constraint, or the ``key`` of a dict one; patterns can't be declared in a manifest."""
    value = constraint.get(key) if isinstance(constraint, dict) else constraint
    if not isinstance(value, str):
        raise ManifestError(f"a listener's {key} must be a plain string to appear in the manifest, got {value!r}")
    return value


def _add(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


class Recorder:
    """Stands in for ``slack_bolt.App`` during registration and notes what is registered.

    An ``App`` method not handled here fails loudly (``AttributeError``), so a
    new kind of listener can't be silently left out of the manifest.
    """

    def __init__(self) -> None:
        self.registered = Registered()

    def event(self, event: Any, *_: Any, **__: Any) -> Callable[..., Any]:
        _add(self.registered.events, _name(event, "type"))
        return _keep

    def message(self, *_: Any, **__: Any) -> Callable[..., Any]:
        _add(self.registered.events, "message")
        return _keep

    def command(self, command: Any, *_: Any, **__: Any) -> Callable[..., Any]:
        _add(self.registered.commands, _name(command, "command"))
        return _keep

    def shortcut(self, constraints: Any, *_: Any, **__: Any) -> Callable[..., Any]:
        _add(self.registered.shortcuts, _name(constraints, "callback_id"))
        return _keep

    global_shortcut = message_shortcut = shortcut

    def _interactive(self, *_: Any, **__: Any) -> Callable[..., Any]:
        self.registered.interactive = True
        return _keep

    action = block_action = view = view_submission = view_closed = options = block_suggestion = _interactive

    def assistant(self, *_: Any, **__: Any) -> None:
        self.registered.assistant = True
        for event in ASSISTANT_EVENTS:
            _add(self.registered.events, event)

    def _ignored(self, *args: Any, **__: Any) -> Any:
        """Middleware and error handlers add nothing to the manifest."""
        return args[0] if args and callable(args[0]) else _keep

    middleware = use = error = _ignored


def registered() -> Registered:
    """Run the real listener registration against the recorder."""
    from bot.slack import listeners  # noqa: PLC0415  (listeners import the whole Slack stack)

    recorder = Recorder()
    listeners.register(cast(Any, recorder), cast(Any, None))  # registration only closes over the services
    return recorder.registered


T = TypeVar("T")


def _declared(kind: str, names: Iterable[str], table: dict[str, T], *, exact: bool = True) -> list[T]:
    """The declaration of each registered name; with ``exact``, a declaration nothing registers is an error too."""
    names = list(names)
    missing = [n for n in names if n not in table]
    stale = [n for n in table if n not in names] if exact else []
    if missing or stale:
        raise ManifestError(
            f"{kind}: registered without a declaration in bot/slack/manifest.py: {missing}; declared but not "
            f"registered: {stale}"
        )
    return [table[n] for n in names]


def events_url(url: str) -> str:
    """``https://host`` (or a URL already ending in the events path) -> the bot's events endpoint."""
    parts = urlsplit(url.strip())
    if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment or " " in url.strip():
        raise ManifestError(f"--url must be an https:// address such as https://bot.example.com, got {url!r}")
    path = parts.path.rstrip("/")
    if not path.endswith(EVENTS_PATH):
        path += EVENTS_PATH
    return f"https://{parts.netloc}{path}"


def build(url: str | None = None, found: Registered | None = None) -> dict[str, Any]:
    """The manifest as a dict: Socket Mode without ``url``, else HTTP mode with every request URL set to it."""
    found = found if found is not None else registered()
    request_url = events_url(url) if url is not None else None
    events = _declared("events", found.events, EVENTS, exact=False)  # EVENTS is a table of Slack's facts
    commands = _declared("slash commands", found.commands, COMMANDS)
    shortcuts = _declared("shortcuts", found.shortcuts, SHORTCUTS)
    at = {"url": request_url} if request_url else {}
    features: dict[str, Any] = {
        "app_home": {
            "home_tab_enabled": "app_home_opened" in found.events,
            "messages_tab_enabled": "message" in found.events,
            "messages_tab_read_only_enabled": False,
        },
        "bot_user": {"display_name": "ilm-coach", "always_online": True},
    }
    if found.assistant:
        features["assistant_view"] = {"assistant_description": ASSISTANT_DESCRIPTION}
    if shortcuts:
        features["shortcuts"] = [
            {"name": s.name, "type": s.kind, "callback_id": cid, "description": s.description}
            for cid, s in zip(found.shortcuts, shortcuts, strict=True)
        ]
    if commands:
        features["slash_commands"] = [
            {
                "command": name,
                **at,
                "description": c.description,
                "usage_hint": c.usage_hint,
                "should_escape": c.should_escape,
            }
            for name, c in zip(found.commands, commands, strict=True)
        ]
    scopes = [*(s for e in events for s in e.scopes), *(["commands"] if commands or shortcuts else [])]
    scopes += [s for method_scopes in METHOD_SCOPES.values() for s in method_scopes]
    subscriptions = [s for e in events for s in e.subscriptions]
    request = {"request_url": request_url} if request_url else {}
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": dict(DISPLAY),
        "features": features,
        "oauth_config": {"scopes": {"bot": sorted(set(scopes))}},
        "settings": {
            "event_subscriptions": {**request, "bot_events": list(dict.fromkeys(subscriptions))},
            "interactivity": {"is_enabled": found.interactive or bool(shortcuts), **request},
            "org_deploy_enabled": False,
            "socket_mode_enabled": request_url is None,
            "token_rotation_enabled": False,
        },
    }


def render(url: str | None = None) -> str:
    """The manifest as YAML, with a header saying how it was made."""
    mode = f"--url {url}" if url is not None else "--socket-mode"
    body = yaml.safe_dump(build(url), sort_keys=False, allow_unicode=True, width=100)
    return HEADER.format(mode=mode) + "\n" + body
