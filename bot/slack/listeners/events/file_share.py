"""A file shared with the bot in a DM: HR's CSV import (a preview, then Confirm). Anyone else's is not read."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.slack import records
from bot.slack.blocks import escape
from bot.slack.services import SlackServices
from bot.storage import audit

NOT_HR = "Only HR can import records from a file, so I haven't opened it. Nothing was imported."


def is_file_share(event: dict[str, Any]) -> bool:
    return event.get("channel_type") == "im" and event.get("subtype") == "file_share" and not event.get("bot_id")


def file_shared(event: dict[str, Any], client: WebClient, services: SlackServices) -> None:
    user, channel = str(event.get("user") or ""), str(event.get("channel") or "")
    shared = [f for f in event.get("files") or [] if isinstance(f, dict) and f.get("id")]
    if not user or not shared:
        return
    if not services.settings.is_hr(user):  # refused before anything is read: the file is never downloaded
        audit.log(services.db, f"slack:{user}", "import_refused", None, {"surface": "file_share"})
        client.chat_postMessage(channel=channel, text=escape(NOT_HR))
        return
    for file in shared[:5]:
        if not records.is_csv(file):
            client.chat_postMessage(channel=channel, text=escape(f"{file.get('name', 'That file')} isn't a CSV file."))
            continue
        audit.log(services.db, f"slack:{user}", "import_upload", None, {"surface": "file_share"})
        records.post_preview(services, client, user, str(file["id"]), channel)
