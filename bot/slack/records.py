"""What the Slack listeners for issue 15 share: import previews, the cohort report, HR's corrections.

Listener modules never import each other, so the flows two surfaces use
(a CSV shared in a DM and one attached in the `/ilm-hr import` form; the
report by command and in the App Home) live here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from slack_sdk import WebClient

from bot.errors import InputError
from bot.knowledge.lookup import qualification_id
from bot.learners import actions
from bot.learners.cohort import cohort_summary
from bot.learners.cohort_chart import report_files
from bot.learners.csv_import import MAX_CSV_BYTES
from bot.learners.progress import render_hours
from bot.learners.records import NotAllowedError
from bot.runtime.slack_users import email_lookup
from bot.slack import files, replies, sign_off
from bot.slack.blocks.kit import Block, Mrkdwn, escape
from bot.slack.blocks.records import cohort_blocks, import_preview
from bot.slack.services import SlackServices
from bot.storage import audit

#: A file shared with the bot is taken as a CSV import when it looks like one.
CSV_TYPES = frozenset({"csv", "text", "plain"})


def is_csv(file: dict[str, Any]) -> bool:
    name = str(file.get("name") or "").lower()
    return name.endswith(".csv") or str(file.get("filetype") or "").lower() in CSV_TYPES


def preview_shared(s: SlackServices, client: WebClient, hr_user: str, file_id: str) -> tuple[str, list[Block]]:
    """Read a CSV shared with the bot and preview its import: rows new, already recorded, errors by row and column."""
    shared = files.read_shared(client, file_id, MAX_CSV_BYTES)
    preview = s.imports.preview(hr_user, shared.name, shared.data, email_lookup(client), date.today())
    return import_preview(preview.filename, preview.new, preview.already, preview.errors, preview.token)


def post_preview(s: SlackServices, client: WebClient, hr_user: str, file_id: str, channel: str) -> None:
    """The preview (or why the file can't be read) as a message in ``channel``."""
    try:
        text, blocks = preview_shared(s, client, hr_user, file_id)
    except (InputError, ValueError) as exc:
        client.chat_postMessage(channel=channel, text=escape(f"I can't import that file: {exc}"))
        return
    client.chat_postMessage(channel=channel, text=text, blocks=blocks)


def cohort_report(s: SlackServices, client: WebClient, hr_user: str, qualification: str) -> tuple[str, list[Block]]:
    """The cohort report for HR: the CSV and the chart uploaded, Block Kit showing the chart by reference."""
    knowledge = s.brain().knowledge
    rows = cohort_summary(s.learners.learners(), knowledge, date.today(), s.learners.settings.stalled_days)
    title = "Cohort report"
    if qualification:
        with refusal_audited(s, hr_user, "cohort_report"):
            qid = qualification_id(qualification, knowledge)
        rows = tuple(r for r in rows if r.qualification == qid)
        title = f"Cohort report: {knowledge.qualifications[qid].short_title}"
    audit.log(
        s.db,
        f"slack:{hr_user}",
        "cohort_report",
        None,
        {"qualification": rows[0].qualification if qualification else None},
    )
    csv_bytes, png = report_files(rows)
    channel = files.dm_channel(client, hr_user)
    files.upload(client, "cohort-report.csv", csv_bytes, title="Cohort report (CSV)", channel=channel)
    chart = files.upload(client, "cohort-report.png", png, title="Cohort progress")
    text, blocks = cohort_blocks(rows, s.learners.settings.stalled_days, chart, title=title)
    client.chat_postMessage(channel=channel, text=text, blocks=blocks)
    return text, blocks


def for_learner(hr_user: str, learner: str) -> actions.Who:
    """HR correcting a learner's record: audited as HR, recorded as HR's."""
    return actions.Who(user=learner, actor=f"slack:{hr_user}", source="hr", name=learner)


@contextmanager
def refusal_audited(s: SlackServices, user: str, action: str, subject: str | None = None) -> Iterator[None]:
    """An input error inside the block is audited as ``<action>_refused`` (who tried what, never their words)."""
    try:
        yield
    except InputError:
        audit.log(s.db, f"slack:{user}", f"{action}_refused", subject)
        raise


def hr_correction(
    s: SlackServices, hr_user: str, learner: str, action: str, change: Callable[[actions.Who], str]
) -> str:
    """Run HR's correction of ``learner``'s record; a learner with no record, or any refusal, is audited."""
    with refusal_audited(s, hr_user, action, learner):
        if s.learners.learner(learner).empty:
            raise InputError(f"nothing is recorded for {learner}; check the @mention")
        return change(for_learner(hr_user, learner))


def hours_listing(s: SlackServices, hr_user: str, learner: str) -> str:
    record = s.learners.learner(learner)
    audit.log(s.db, f"slack:{hr_user}", "view_hours", learner)
    if not record.hours:
        return Mrkdwn(f"No hours logged for <@{learner}>.")
    return Mrkdwn(
        f"Hours entries of <@{learner}> (ids for `/ilm-hr unlog`):\n```{escape(render_hours(record.hours))}```"
    )


def decide_and_update(
    services: SlackServices,
    client: WebClient,
    supervisor: str,
    value: str,
    *,
    confirm: bool,
    reason: str,
) -> str:
    """Record a decision (refusals audited); the text that replaces the supervisor's buttons."""
    knowledge = services.brain().knowledge
    try:
        return sign_off.decide(client, services.learners, knowledge, supervisor, value, confirm=confirm, reason=reason)
    except (InputError, ValueError, NotAllowedError) as exc:
        audit.log(services.db, f"slack:{supervisor}", "sign_off_refused", None)
        return escape(f"Nothing changed: {replies.problem(exc)}")
