"""Forms of issue 15: a supervisor's rejection reason, and HR's CSV attached to `/ilm-hr import`."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.slack import records
from bot.slack.blocks import escape
from bot.slack.blocks.records import FIELD_IMPORT_FILE
from bot.slack.services import SlackServices
from bot.storage import audit


def sign_off_reason_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, services: SlackServices
) -> None:
    """Reject with the reason typed (optional): decided like the Confirm button, the DM's buttons replaced."""
    ack()
    supervisor = str((body.get("user") or {}).get("id") or "")
    try:
        meta = json.loads(str(view.get("private_metadata") or "{}"))
    except ValueError:
        meta = {}
    meta = meta if isinstance(meta, dict) else {}
    values = ((view.get("state") or {}).get("values") or {}).get("reason") or {}
    reason = str((values.get("reason") or {}).get("value") or "")[:500]
    said = records.decide_and_update(services, client, supervisor, str(meta.get("v", "")), confirm=False, reason=reason)
    if meta.get("c") and meta.get("t"):
        client.chat_update(channel=str(meta["c"]), ts=str(meta["t"]), text=said, blocks=[])
    else:
        client.chat_postMessage(channel=supervisor, text=said)


def import_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, services: SlackServices
) -> None:
    """The attached CSV is previewed in a DM (HR only: the listener's middleware)."""
    user = str((body.get("user") or {}).get("id") or "")
    state = ((view.get("state") or {}).get("values") or {}).get(FIELD_IMPORT_FILE) or {}
    attached = (state.get(FIELD_IMPORT_FILE) or {}).get("files") or []
    file_id = str(attached[0].get("id") or "") if attached and isinstance(attached[0], dict) else ""
    if not file_id:
        ack(response_action="errors", errors={FIELD_IMPORT_FILE: "Attach one CSV file."})
        return
    ack()
    audit.log(services.db, f"slack:{user}", "import_upload", None, {"surface": "form"})
    try:
        records.post_preview(services, client, user, file_id, user)
    except Exception:
        client.chat_postMessage(channel=user, text=escape("I couldn't read that file; nothing was imported."))
        raise
