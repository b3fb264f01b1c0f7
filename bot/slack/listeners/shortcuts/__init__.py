"""Shortcuts: global ("Log practice hours", "Record a unit") and on a message ("Ask the ILM assistant")."""

from __future__ import annotations

from slack_bolt import App


def register(app: App) -> None:
    return None
