"""Files to and from Slack: reading a CSV someone shared with the bot, uploading a report's CSV and chart.

A shared file is looked up with ``files.info`` (scope ``files:read``) by its
id, never by a URL from the request, and read with the bot token from
Slack's own ``url_private_download``, at most ``limit`` bytes. Uploads use
``files.getUploadURLExternal`` / ``files.completeUploadExternal`` through
slack_sdk's ``files_upload_v2`` (scope ``files:write``).
"""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import ServiceError


@dataclass(frozen=True)
class SharedFile:
    id: str
    name: str
    size: int
    data: bytes


class FileRefusedError(ValueError):
    """The file can't be imported as it is (too large, not a file we can read); the message says why."""


def read_shared(client: WebClient, file_id: str, limit: int, timeout: float = 20.0) -> SharedFile:
    """The bytes of a file shared with the bot; ``FileRefusedError`` if too large, ``ServiceError`` if unreadable."""
    try:
        info = client.files_info(file=file_id).get("file") or {}
    except SlackApiError as exc:
        raise ServiceError(f"Slack would not show me the file ({exc.response.get('error')})") from None
    name, size = str(info.get("name") or "file"), int(info.get("size") or 0)
    if size > limit:
        raise FileRefusedError(f"{name} is {size:,} bytes; a CSV import may be at most {limit:,}")
    url = str(info.get("url_private_download") or info.get("url_private") or "")
    if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise ServiceError("Slack gave no address to read the file from")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(limit + 1)
    except (URLError, OSError) as exc:
        raise ServiceError(f"could not read the file from Slack ({type(exc).__name__})") from None
    if len(data) > limit:
        raise FileRefusedError(f"{name} is larger than {limit:,} bytes, the most a CSV import may be")
    return SharedFile(file_id, name, size, data)


def dm_channel(client: WebClient, user: str) -> str:
    """The id of the bot's DM with ``user`` (files are shared into conversations, not to user ids)."""
    return str(client.conversations_open(users=user)["channel"]["id"])


def upload(client: WebClient, filename: str, content: bytes, *, title: str, channel: str | None = None) -> str:
    """Upload ``content``; shared in ``channel`` when given (else private to the bot). Returns the file id."""
    kwargs = {"channel": channel} if channel else {}
    response = client.files_upload_v2(filename=filename, content=content, title=title, **kwargs)
    files = response.get("files") or [response.get("file") or {}]
    return str(files[0]["id"])
