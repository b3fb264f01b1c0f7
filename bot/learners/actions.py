"""Changing a learner's record from typed input, the same way on every surface.

`ilm-bot learner` (HR, by user id) and the `/ilm` Slack commands (learners,
for themselves) both parse and check input here and get the same
confirmation sentences, so a value is accepted or refused with the same words
wherever it is typed. Bad input raises ``ValueError`` with a message a person
can act on; nothing is written unless everything is valid.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bot.errors import InputError
from bot.knowledge.lookup import qualification_id, unit_refs
from bot.knowledge.models import Knowledge
from bot.learners import validate
from bot.learners.learner import SOURCE_WORDS
from bot.learners.progress import KIND_WORDS
from bot.learners.report import unit_label
from bot.rules.explain import hours_text, join

if TYPE_CHECKING:  # the store is handed in; importing it here would load the database stack for every command
    from bot.learners.records import LearnerStore


#: "8577-304, 8577 305 and 8577/307": codes in any written form; any other word is kept so it is reported.
_UNIT_ITEM = re.compile(r"\d{4}\s*[-/.\s]?\s*\d{3}(?!\d)|[^\s,;]+")


@dataclass(frozen=True)
class Who:
    """Whose record changes, who changes it (for the audit log), and how confirmations name the learner."""

    user: str
    actor: str
    source: str
    #: "U012ABCDEF" for HR at the command line, "you" for a learner in Slack.
    name: str


def enrol(store: LearnerStore, knowledge: Knowledge, who: Who, qualification: str, today: date) -> str:
    qid = qualification_id(qualification, knowledge)
    title = knowledge.qualifications[qid].title
    if store.enrol(who.user, qid, on=today, actor=who.actor):
        return f"Enrolled {who.name} on the {title} ({qid}) from {today.isoformat()}."
    since = store.learner(who.user).enrolled_on(qid)
    return f"{_subject(who)} already enrolled on the {title} (since {since}); nothing changed."


def done(store: LearnerStore, knowledge: Knowledge, who: Who, items: Sequence[str], today: date) -> str:
    """Record units achieved: any unknown unit refuses the lot, naming the nearest real codes."""
    parts = [part for item in items for part in _UNIT_ITEM.findall(item) if part.lower() not in ("and", "&")]
    if not parts:
        raise InputError("name at least one unit, e.g. 8577-304")
    units = unit_refs(parts, knowledge)
    new = store.record_units(who.user, units, on=today, source=who.source, actor=who.actor)
    lines = []
    if new:
        labels = join([unit_label(u, knowledge) for u in new])
        lines.append(f"Recorded for {who.name} ({SOURCE_WORDS[who.source]}, achieved {today.isoformat()}): {labels}.")
    if already := [u for u in units if u not in new]:
        lines.append(f"Already recorded for {who.name}, unchanged: {join(already)}.")
    return "\n".join(lines + _enrol_hint(store, who))


def log(
    store: LearnerStore,
    knowledge: Knowledge,
    who: Who,
    hours: str,
    kind: str,
    today: date,
    unit: str | None = None,
    note: str | None = None,
) -> str:
    amount = validate.positive_hours(hours)
    kind_id = validate.hours_kind(kind)
    text = validate.note(note)
    ref = unit_refs([unit], knowledge)[0] if unit is not None else None
    validate.practice_unit(kind_id, ref, knowledge)
    store.log_hours(who.user, amount, kind_id, unit=ref, note=text, on=today, actor=who.actor, source=who.source)
    noun = "hour" if amount == 1 else "hours"
    toward = f" toward {ref}" if ref else ""
    line = (
        f"Logged {hours_text(amount)} {noun} of {KIND_WORDS[kind_id]}{toward} for {who.name} on {today.isoformat()} "
        f"({SOURCE_WORDS[who.source]})."
    )
    return "\n".join([line, *_enrol_hint(store, who)])


def _subject(who: Who) -> str:
    return "You are" if who.name == "you" else f"{who.name} is"


def _enrol_hint(store: LearnerStore, who: Who) -> list[str]:
    """Recording before enrolling is allowed (HR may enrol later) but is worth a reminder."""
    if store.learner(who.user).enrolments:
        return []
    if who.name == "you":
        return ["Note: you aren't enrolled on a qualification yet; enrol with `/ilm enrol <qualification>`."]
    return [f"Note: {who.user} is not enrolled yet; enrol with: ilm-bot learner enrol {who.user} QUALIFICATION"]
