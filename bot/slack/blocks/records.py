"""Block Kit for records people can trust: entries with Delete buttons, import previews, sign-off requests, cohort.

Pure builders: values in, blocks out, every piece of user text escaped here.
The action ids below are what the listeners match.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.learners.cohort import CohortRow
from bot.learners.learner import HoursLogged, UnitAchieved
from bot.rules.explain import hours_text
from bot.slack.blocks.kit import (
    MAX_CONFIRM_BUTTON,
    MAX_CONFIRM_TEXT,
    MAX_CONFIRM_TITLE,
    MAX_FIELD_TEXT,
    MAX_MESSAGE_BLOCKS,
    Block,
    actions,
    button,
    clip,
    context,
    divider,
    escape,
    fallback,
    fit,
    header,
    mrkdwn,
    plain,
    section,
)

#: App Home "Delete" on one hours entry (value: the entry id), confirmed in Slack's own dialog first.
ACTION_HOURS_DELETE = "hours_delete"
#: The import preview's buttons (value: the pending import's token).
ACTION_IMPORT_CONFIRM = "import_confirm"
ACTION_IMPORT_CANCEL = "import_cancel"
#: The supervisor's buttons (value: ``unit:<id>`` or ``hours:<id>``).
ACTION_SIGN_OFF_CONFIRM = "sign_off_confirm"
ACTION_SIGN_OFF_REJECT = "sign_off_reject"
#: The modal asking for a rejection's optional reason.
VIEW_SIGN_OFF_REJECT = "sign_off_reject"
#: The `/ilm-hr import` form, with one file input.
VIEW_IMPORT = "import_csv"
FIELD_IMPORT_FILE = "file"
#: App Home buttons switching HR's view between their own record and the cohort.
ACTION_HOME_COHORT = "home_cohort"
ACTION_HOME_MINE = "home_mine"
#: How many hours entries the App Home lists (newest first); the rest are in `/ilm my-data`.
RECENT_ENTRIES = 10
#: Import errors a preview lists; the count says how many more.
PREVIEW_ERRORS = 20


def confirm_dialog(title: str, text: str, yes: str, no: str = "Cancel") -> dict[str, Any]:
    return {
        "title": plain(title, MAX_CONFIRM_TITLE),
        "text": plain(text, MAX_CONFIRM_TEXT),
        "confirm": plain(yes, MAX_CONFIRM_BUTTON),
        "deny": plain(no, MAX_CONFIRM_BUTTON),
        "style": "danger",
    }


def entry_value(kind: str, entry: int) -> str:
    return f"{kind}:{entry}"


def parse_entry_value(value: str) -> tuple[str, int] | None:
    """``unit:12`` -> ("unit", 12); None for anything else (a forged or stale button)."""
    kind, _, number = value.partition(":")
    if kind not in {"unit", "hours"} or not (number.isascii() and number.isdigit()) or len(number) > 18:
        return None
    return kind, int(number)


def hours_line(entry: HoursLogged) -> str:
    """'2025-03-01 · 1.5 h mentoring (8577-305) · "with Sam"', escaped, pending entries marked."""
    parts = [entry.logged_on.isoformat(), f"{hours_text(entry.hours)} h {entry.kind}"]
    if entry.unit:
        parts[-1] += f" ({entry.unit})"
    if entry.note:
        parts.append(f"“{clip(escape(entry.note), 120)}”")
    return " · ".join(parts) + _status_mark(entry.status)


def _status_mark(status: str) -> str:
    return {"pending": " · ⏳ _waiting for your supervisor_", "rejected": " · ✗ _not confirmed_"}.get(status, "")


def recent_entries_blocks(entries: Sequence[HoursLogged], limit: int = RECENT_ENTRIES) -> list[Block]:
    """The App Home's recent hours entries, newest first, each with a Delete button (confirmed first)."""
    if not entries:
        return []
    newest = sorted(entries, key=lambda e: (e.logged_on, e.id or 0), reverse=True)[:limit]
    blocks: list[Block] = [header("🕒 Recent hours entries")]
    for entry in newest:
        dialog = confirm_dialog(
            "Delete this entry?", f"{hours_text(entry.hours)} hours of {entry.kind} on {entry.logged_on}", "Delete"
        )
        block = section(hours_line(entry))
        block["accessory"] = button("Delete", ACTION_HOURS_DELETE, str(entry.id), style="danger", confirm=dialog)
        blocks.append(block)
    if len(entries) > limit:
        blocks.append(context(f"{len(entries) - limit} older entries: `/ilm my-data` sends you all of them."))
    return blocks


def import_preview(
    filename: str, new: int, already: int, errors: Sequence[str], token: str | None
) -> tuple[str, list[Block]]:
    """(fallback, blocks): rows new, rows already recorded, errors by row and column; Confirm only if none."""
    name = escape(filename)[:200]
    blocks: list[Block] = [header("📥 CSV import preview")]
    if errors:
        shown = "\n".join(f"• {escape(e)}" for e in errors[:PREVIEW_ERRORS])
        more = f"\n…and {len(errors) - PREVIEW_ERRORS} more." if len(errors) > PREVIEW_ERRORS else ""
        text = f"*{name}* has {len(errors)} error{'s' if len(errors) != 1 else ''}; nothing can be imported."
        blocks += [section(text), section(clip(shown + more, 2900))]
        blocks.append(context("Fix the file and upload it again."))
        return fallback(f"{filename}: {len(errors)} errors; nothing was imported"), blocks
    fields = [mrkdwn(f"*Rows new*\n{new:,}"), mrkdwn(f"*Already recorded*\n{already:,}")]
    blocks.append({"type": "section", "text": mrkdwn(f"*{name}*"), "fields": fields})
    if new and token:
        dialog = confirm_dialog("Import this file?", f"{new:,} new rows are recorded, all or nothing.", "Import")
        buttons = [
            button("Confirm import", ACTION_IMPORT_CONFIRM, token, style="primary", confirm=dialog),
            button("Cancel", ACTION_IMPORT_CANCEL, token),
        ]
        blocks.extend(actions(buttons, "import"))
    else:
        blocks.append(context("Everything in this file is already recorded; there is nothing to import."))
    return fallback(f"{filename}: {new} rows new, {already} already recorded"), blocks


def sign_off_request(learner: str, what: str, kind: str, entry: int) -> tuple[str, list[Block]]:
    """(fallback, blocks) for the supervisor's DM: who recorded what, and Confirm / Reject."""
    value = entry_value(kind, entry)
    blocks: list[Block] = [
        section(f"<@{learner}> recorded {escape(what)} and named you as their supervisor. Can you confirm it?"),
        *actions(
            [
                button("Confirm", ACTION_SIGN_OFF_CONFIRM, value, style="primary"),
                button("Reject", ACTION_SIGN_OFF_REJECT, value, style="danger"),
            ],
            f"sign_off:{value}",
        ),
        context("Only confirmed entries count toward the qualification. You see only the entries sent to you."),
    ]
    return fallback(f"Please confirm: {what}"), blocks


def sign_off_reason_modal(value: str) -> dict[str, Any]:
    """The modal a supervisor rejects with: an optional reason, sent to the learner."""
    return {
        "type": "modal",
        "callback_id": VIEW_SIGN_OFF_REJECT,
        "private_metadata": value,
        "title": plain("Reject entry", 24),
        "submit": plain("Reject", 24),
        "close": plain("Cancel", 24),
        "blocks": [
            {
                "type": "input",
                "block_id": "reason",
                "optional": True,
                "label": plain("Reason (optional, sent to the learner)"),
                "element": {"type": "plain_text_input", "action_id": "reason", "multiline": True, "max_length": 500},
            }
        ],
    }


def import_modal() -> dict[str, Any]:
    """The `/ilm-hr import` form: attach one CSV; the preview and Confirm come in a DM."""
    return {
        "type": "modal",
        "callback_id": VIEW_IMPORT,
        "title": plain("Import a CSV", 24),
        "submit": plain("Preview", 24),
        "close": plain("Cancel", 24),
        "blocks": [
            section(
                "Columns: `user` (or `email`), `type` (enrol, unit, hours, supervisor), `qualification`, `unit`, "
                "`hours`, `kind`, `date`, `note`, `source`, `entry_id`, `supervisor`. Nothing is imported until "
                "you confirm the preview, and then all or nothing."
            ),
            {
                "type": "input",
                "block_id": FIELD_IMPORT_FILE,
                "label": plain("CSV file"),
                "element": {"type": "file_input", "action_id": FIELD_IMPORT_FILE, "filetypes": ["csv"], "max_files": 1},
            },
        ],
    }


def home_switch(showing_cohort: bool) -> list[Block]:
    """HR's App Home: two buttons to switch between their own dashboard and the cohort."""
    return actions(
        [
            button("My progress", ACTION_HOME_MINE, "mine", style=None if showing_cohort else "primary"),
            button("Cohort", ACTION_HOME_COHORT, "cohort", style="primary" if showing_cohort else None),
        ],
        "home_switch",
    )


def entry_words(entry: UnitAchieved | HoursLogged, label: str) -> str:
    """'unit 8577-304 Understanding…' or '1.5 hours of mentoring on 2025-03-01', plain (escaped by the caller)."""
    if isinstance(entry, UnitAchieved):
        return f"unit {label}"
    return f"{hours_text(entry.hours)} hours of {entry.kind} on {entry.logged_on.isoformat()}"


def cohort_blocks(
    rows: Sequence[CohortRow], stalled_days: int, chart_file: str | None, *, title: str = "Cohort report"
) -> tuple[str, list[Block]]:
    """(fallback, blocks): per qualification enrolled / achieved / in progress / stalled, and the chart."""
    blocks: list[Block] = [header(f"📈 {title}")]
    if chart_file:  # first, so it is never the part cut to fit
        blocks.append(
            {
                "type": "image",
                "slack_file": {"id": chart_file},
                "alt_text": "Bar chart of each qualification's learners: achieved, in progress and stalled",
                "title": plain("Cohort progress", 2000),
            }
        )
    for row in rows:
        fields = [
            mrkdwn(f"*Enrolled*\n{row.enrolled}"),
            mrkdwn(f"*Achieved*\n{row.achieved}"),
            mrkdwn(f"*In progress*\n{row.in_progress}"),
            mrkdwn(f"*Stalled*\n{row.stalled}"),
        ]
        text = f"*{escape(row.title)}*"
        if row.in_progress_median_percent is not None:
            text += f"\nMedian progress of those in progress: {row.in_progress_median_percent:.0f}% of credits"
        blocks.append({"type": "section", "text": mrkdwn(clip(text, MAX_FIELD_TEXT)), "fields": fields})
    blocks.append(divider())
    blocks.append(
        context(
            f"Stalled: in progress with nothing recorded for {stalled_days} days (`ILM_STALLED_DAYS`). "
            "The CSV has the same figures."
        )
    )
    summary = "; ".join(f"{r.title}: {r.enrolled} enrolled, {r.achieved} achieved" for r in rows)
    return fallback(f"Cohort report. {summary}"), fit(blocks, MAX_MESSAGE_BLOCKS, "…more qualifications than fit.")
