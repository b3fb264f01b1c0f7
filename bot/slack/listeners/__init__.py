"""Bolt listeners grouped by surface, as in Slack's Bolt starter template.

Each surface is a package of module-level listener functions, registered in
its ``__init__.py``; a listener is a thin adapter from a Slack payload to the
core and back. Listeners get the shared services as the ``services`` argument
(put in Bolt's context by ``bot.slack.app``), so they can be imported and
dispatched to in-process in tests. Listener modules never import each other:
what two of them share is in ``bot.slack.presenters``, ``forms`` or ``replies``.
"""

from __future__ import annotations

from slack_bolt import App

from bot.slack.assistant_threads import SqlThreadContextStore
from bot.slack.listeners import actions, assistant, commands, events, shortcuts, views
from bot.slack.services import SlackServices


def register(app: App, services: SlackServices) -> None:
    # First: the Assistant middleware takes assistant-thread messages before the plain event listeners.
    assistant.register(app, SqlThreadContextStore(services))
    events.register(app)
    commands.register(app)
    actions.register(app)
    views.register(app)
    shortcuts.register(app)
