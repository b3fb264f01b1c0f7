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
from bot.learners.learner import SOURCE_WORDS, HoursLogged, NotRecordedError
from bot.learners.progress import KIND_WORDS
from bot.learners.report import unit_label
from bot.rules.explain import hours_text, join

if TYPE_CHECKING:  # the store is handed in; importing it here would load the database stack for every command
    from bot.learners.records import LearnerStore

#: Ids are database integers; anything longer is not one (and must not overflow a query parameter).
MAX_ENTRY_ID = 2**63


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


def _units(items: Sequence[str], knowledge: Knowledge) -> list[str]:
    """Unit codes from typed items ("8577-304, 8577 305 and 8577/307"); any unknown one refuses the lot."""
    parts = [part for item in items for part in _UNIT_ITEM.findall(item) if part.lower() not in ("and", "&")]
    if not parts:
        raise InputError("name at least one unit, e.g. 8577-304")
    return unit_refs(parts, knowledge)


def done(store: LearnerStore, knowledge: Knowledge, who: Who, items: Sequence[str], today: date) -> str:
    """Record units achieved: any unknown unit refuses the lot, naming the nearest real codes."""
    units = _units(items, knowledge)
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


# -- corrections ----------------------------------------------------------------------------------
# Each checks what it is asked against the record first, so a mistake is named in the learner's words
# ("you are not enrolled…"); the store checks again inside its transaction, so a race changes nothing.


def unenrol(store: LearnerStore, knowledge: Knowledge, who: Who, qualification: str) -> str:
    qid = qualification_id(qualification, knowledge)
    title = knowledge.qualifications[qid].title
    if store.learner(who.user).enrolled_on(qid) is None:
        raise NotRecordedError(f"{_subject(who, 'not')} enrolled on the {title}; nothing changed.")
    removed = store.unenrol(who.user, qid, actor=who.actor)
    return (
        f"Unenrolled {who.name} from the {title} ({qid}), enrolled since {removed.enrolled_on.isoformat()}. "
        "Units and hours already recorded stay on the record."
    )


def remove(store: LearnerStore, knowledge: Knowledge, who: Who, items: Sequence[str]) -> str:
    """Take units off the record, all or none: a unit that isn't recorded refuses the lot."""
    units = _units(items, knowledge)
    recorded = {u.unit for u in store.learner(who.user).units}
    if missing := [u for u in dict.fromkeys(units) if u not in recorded]:
        raise NotRecordedError(f"not recorded for {who.name}: {join(missing)}; nothing changed.")
    removed = store.remove_units(who.user, units, actor=who.actor)
    return f"Removed from the record of {who.name}: {join([unit_label(u.unit, knowledge) for u in removed])}."


def unlog(store: LearnerStore, who: Who, entry: str) -> str:
    """Delete one hours entry by the id `hours` lists (or the App Home's Delete button carries)."""
    number = entry_id(entry)
    if not any(h.id == number for h in store.learner(who.user).hours):
        raise NotRecordedError(f"there is no hours entry {number} for {who.name}; nothing changed.")
    removed = store.unlog(who.user, number, actor=who.actor)
    return f"Deleted hours entry {number} for {who.name}: {entry_text(removed)}."


def entry_id(text: str) -> int:
    """An hours entry's id: a whole number as `learner hours` shows it."""
    value = text.strip().removeprefix("#")
    if not (value.isascii() and value.isdigit()) or not 0 < int(value) < MAX_ENTRY_ID:
        raise InputError(f"{text.strip()[:40]!r} is not an hours entry id (a number from the list of hours entries)")
    return int(value)


def entry_text(entry: HoursLogged) -> str:
    """'1.5 hours of mentoring practice toward 8577-305 on 2025-03-01'."""
    noun = "hour" if entry.hours == 1 else "hours"
    toward = f" toward {entry.unit}" if entry.unit else ""
    return f"{hours_text(entry.hours)} {noun} of {KIND_WORDS[entry.kind]}{toward} on {entry.logged_on.isoformat()}"


def _subject(who: Who, negation: str = "") -> str:
    verb = "You are" if who.name == "you" else f"{who.name} is"
    return f"{verb} {negation}".rstrip()


def _enrol_hint(store: LearnerStore, who: Who) -> list[str]:
    """Recording before enrolling is allowed (HR may enrol later) but is worth a reminder."""
    if store.learner(who.user).enrolments:
        return []
    if who.name == "you":
        return ["Note: you aren't enrolled on a qualification yet; enrol with `/ilm enrol <qualification>`."]
    return [f"Note: {who.user} is not enrolled yet; enrol with: ilm-bot learner enrol {who.user} QUALIFICATION"]
