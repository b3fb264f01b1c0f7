"""The forget-me confirmation: erase on Delete, nothing on Cancel."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond

from bot.slack.services import SlackServices


def forget_confirm(ack: Ack, body: dict[str, Any], respond: Respond, services: SlackServices) -> None:
    ack()
    user = body["user"]["id"]
    erased = services.learners.forget(user, actor=f"slack:{user}")
    done = "Done: everything I stored about you has been erased." if erased.anything else "I had nothing stored."
    respond(text=f"{done} The erasure itself is recorded in the audit log.", replace_original=True)


def forget_cancel(ack: Ack, respond: Respond) -> None:
    ack()
    respond(text="Nothing was erased.", replace_original=True)
