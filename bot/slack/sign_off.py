"""Supervisor sign-off in Slack (ILM_VERIFICATION): ask the supervisor, record their decision, tell the learner.

The supervisor gets one DM per entry with Confirm and Reject; the DM names
that entry and nothing else of the record, and the buttons carry only the
entry's kind and id. A decision is checked against the learner's supervisor
*now* (``LearnerStore.decide``), audited, and told to the learner in a DM.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.knowledge.models import Knowledge
from bot.learners.learner import PENDING, HoursLogged, UnitAchieved
from bot.learners.records import LearnerStore
from bot.learners.report import unit_label
from bot.slack.blocks.kit import clip, escape, section
from bot.slack.blocks.records import entry_words, parse_entry_value, sign_off_request
from bot.storage import audit

log = logging.getLogger("ilm_bot.slack")

NO_SUPERVISOR = (
    "It waits for your supervisor's confirmation before it counts, and you haven't named one: "
    "use `/ilm supervisor @name`."
)


def describe(entry: UnitAchieved | HoursLogged, knowledge: Knowledge) -> str:
    label = unit_label(entry.unit, knowledge) if isinstance(entry, UnitAchieved) else ""
    return entry_words(entry, label)


def request(client: WebClient, store: LearnerStore, knowledge: Knowledge, user: str) -> str | None:
    """DM the learner's supervisor about each of their pending entries not yet asked about.

    Returns a note for the learner ("sent to … for confirmation"), or None when nothing is pending.
    """
    record = store.learner(user)
    pending = [e for e in (*record.units, *record.hours) if e.status == PENDING and e.id is not None]
    if not pending:
        return None
    supervisor = store.supervisor_of(user)
    if supervisor is None:
        return NO_SUPERVISOR
    asked = _already_asked(store, user)
    fresh = [e for e in pending if (_kind(e), e.id) not in asked]
    for entry in fresh:
        kind = _kind(entry)
        text, blocks = sign_off_request(user, describe(entry, knowledge), kind, int(entry.id or 0))
        try:
            client.chat_postMessage(channel=supervisor, text=text, blocks=blocks)
        except SlackApiError as exc:
            log.warning("sign-off request not delivered: %s", exc.response.get("error"))
            return "I couldn't message your supervisor just now; it is still waiting for their confirmation."
        audit.log(store.db, f"slack:{user}", "sign_off_request", user, {"kind": kind, "entry": entry.id})
    return f"Sent to <@{supervisor}> to confirm; it counts once they do."


def decide(
    client: WebClient,
    store: LearnerStore,
    knowledge: Knowledge,
    supervisor: str,
    value: str,
    *,
    confirm: bool,
    reason: str = "",
) -> str:
    """Record the decision the button ``value`` names; the text replacing the supervisor's buttons.

    ``ValueError`` (gone, already decided, forged) or ``NotAllowedError`` (not their supervisor):
    nothing changes; the caller shows the message and audits the refusal.
    """
    parsed = parse_entry_value(value)
    if parsed is None:
        raise ValueError("that button is not one I made; nothing changed")
    kind, entry = parsed
    decision = store.decide(kind, entry, supervisor=supervisor, confirm=confirm)
    what = describe(decision.entry, knowledge)
    outcome = "confirmed ✅" if confirm else "did not confirm ❌"
    note = f"<@{supervisor}> {outcome} your {escape(what)}."
    if not confirm and reason.strip():
        note += f"\n> {clip(escape(reason.strip()), 500)}"
    if confirm:
        note += " It now counts toward your qualification."
    try:
        client.chat_postMessage(channel=decision.user, text=note, blocks=[section(note)])
    except SlackApiError as exc:
        log.warning("sign-off outcome not delivered: %s", exc.response.get("error"))
    verb = "Confirmed" if confirm else "Rejected"
    return f"{verb}: <@{decision.user}>'s {escape(what)}. They have been told."


def _kind(entry: UnitAchieved | HoursLogged) -> str:
    return "unit" if isinstance(entry, UnitAchieved) else "hours"


def _already_asked(store: LearnerStore, user: str) -> set[tuple[str, int]]:
    entries: Sequence[audit.AuditRecord] = store.audit_entries(subject=user, limit=500)
    return {
        (str(e.detail.get("kind")), int(e.detail.get("entry") or 0)) for e in entries if e.action == "sign_off_request"
    }
