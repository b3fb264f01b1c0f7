"""Slack's assistant surface (the split-view AI app), through Bolt's ``Assistant`` middleware."""

from __future__ import annotations

from slack_bolt import App


def register(app: App) -> None:
    return None
