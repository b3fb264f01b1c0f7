"""Block Kit for every Slack surface: answers, progress, the App Home, help and forget-me.

Pure functions: core results in, Block Kit JSON out; no Web API calls and no Bolt,
so they are tested without Slack and every surface renders the same way.

Slack rejects a whole message (``invalid_blocks``, ``msg_too_long``) when one field
breaks a limit, and the user then sees nothing. So every builder here enforces the
limits itself — block counts, text lengths, buttons per block — and shortens with a
visible note rather than failing. All text that reaches ``mrkdwn`` is escaped
(``&``, ``<``, ``>``) so nothing a user typed, and nothing in the knowledge base, can
become a ``<!channel>`` broadcast, a ``<@U…>`` mention or a link in our messages.

Buttons that repeat in one block carry ``name:index`` action ids, because Slack
requires action ids to be unique within a block; match them with
:func:`action_pattern` (``^name(:\\d+)?$``) and read the meaning from ``value``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from bot.answers.answer import Answer
from bot.answers.safety import neutralise

if TYPE_CHECKING:
    from bot.knowledge.models import Knowledge

Block = dict[str, Any]

# -- Slack's limits (https://api.slack.com/reference/block-kit) ----------------------------

MAX_MESSAGE_BLOCKS = 50
MAX_HOME_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_ACTION_ID = 255
MAX_BLOCK_ID = 255
MAX_BUTTON_VALUE = 2000
MAX_ACTIONS_ELEMENTS = 25
MAX_CONTEXT_ELEMENTS = 10
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_CONFIRM_TITLE = 100
MAX_CONFIRM_TEXT = 300
MAX_CONFIRM_BUTTON = 30
#: The top-level ``text``: Slack truncates beyond 40,000 characters, but notifications and
#: screen readers only need the gist, and a long fallback doubles the message's size.
MAX_FALLBACK_TEXT = 4000
#: Answer text shown in one message. Slack also caps a message's total block content
#: (``msg_blocks_too_long``) below 50 × 3000, so stay well under it.
MAX_ANSWER_TEXT = 12_000

# -- action ids (match with action_pattern) -------------------------------------------------

ACTION_CHOOSE = "choose_qualification"
ACTION_SUGGESTION = "ask_suggestion"
ACTION_EXAMPLE = "ask_example"
ACTION_FEEDBACK_UP = "feedback_up"
ACTION_FEEDBACK_DOWN = "feedback_down"
ACTION_FORGET_CONFIRM = "forget_confirm"
ACTION_FORGET_CANCEL = "forget_cancel"
#: block_id of the 👍/👎 block, so a handler can swap it for a thank-you (feedback_given).
BLOCK_FEEDBACK = "feedback"
#: block_id prefix of the clarification buttons; the rest is the intent being clarified.
BLOCK_CHOICES = "choices"

ELLIPSIS = "…"
FILLED, EMPTY = "▓", "░"


def action_pattern(name: str) -> re.Pattern[str]:
    """Matches ``name`` and its indexed forms ``name:0``, ``name:1``… (for ``app.action``)."""
    return re.compile(rf"^{re.escape(name)}(?::\d+)?$")


def action_name(action_id: str) -> str:
    """``choose_qualification:2`` -> ``choose_qualification``."""
    return action_id.split(":", 1)[0]


def choice_intent(block_id: str) -> str | None:
    """The intent a clarification block was asking about (``choices:qualification_units``), if any."""
    prefix = BLOCK_CHOICES + ":"
    if not block_id.startswith(prefix):
        return None
    return block_id[len(prefix) :] or None


# -- text ---------------------------------------------------------------------------------

_ENTITY_TAIL = re.compile(r"&[a-z]{0,4}$")


def escape(text: str) -> str:
    """Text for ``mrkdwn``: broadcasts defused, then ``&``, ``<`` and ``>`` escaped as Slack asks."""
    text = neutralise(text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _safe_cut(text: str, limit: int) -> str:
    """``text[:limit]`` moved back so it never ends inside an ``&amp;``-style escape."""
    cut = text[:limit]
    tail = _ENTITY_TAIL.search(cut)
    if tail and len(text) > limit:
        cut = cut[: tail.start()]
    return cut


def clip(text: str, limit: int) -> str:
    """Shorten ``mrkdwn`` to ``limit`` characters with "…": at a word if one is near, never mid-escape,
    never leaving a ``*bold*``/``_italic_``/`` `code` `` span open on the last line."""
    if len(text) <= limit:
        return text
    cut = _safe_cut(text, limit - len(ELLIPSIS))
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space >= len(cut) * 0.8:
        cut = cut[:space]
    last_line_start = cut.rfind("\n") + 1
    for mark in "*_~`":
        line = cut[last_line_start:]
        if line.count(mark) % 2:
            cut = cut[: last_line_start + line.rfind(mark)]
    return cut.rstrip() + ELLIPSIS


def clip_plain(text: str, limit: int) -> str:
    """Shorten ``plain_text`` (no markup to protect) to ``limit`` characters with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    space = cut.rfind(" ")
    if space >= len(cut) * 0.7:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def split_text(text: str, limit: int = MAX_SECTION_TEXT) -> list[str]:
    """Split ``mrkdwn`` into pieces of at most ``limit``: at paragraphs, else lines, else words."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        pos = -1
        for sep in ("\n\n", "\n", " "):
            found = window.rfind(sep)
            if found >= limit // 3:
                pos = found
                break
        if pos <= 0:
            pos = len(_safe_cut(rest, limit)) or limit
        piece = rest[:pos].rstrip()
        if piece:
            pieces.append(piece)
        rest = rest[pos:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def number(value: float) -> str:
    """12.0 -> '12', 12.5 -> '12.5', 1/3 -> '0.33'."""
    return f"{round(float(value), 2):g}"


def bar(have: float, need: float, width: int = 10) -> str:
    """A text progress bar such as ``▓▓▓▓░░░░░░``.

    Full only when ``have >= need`` (so "nearly there" never looks done), never empty
    once something is done, and ``need <= 0`` (nothing required) counts as done.
    """
    width = max(1, int(width))
    have = _finite(have)
    need = _finite(need)
    if need <= 0 or have >= need:
        filled = width
    elif have <= 0:
        filled = 0
    else:
        filled = min(width - 1, max(1, math.floor(have / need * width + 0.5)))
    return FILLED * filled + EMPTY * (width - filled)


def progress_line(have: float, need: float | None, what: str) -> str:
    """``"`▓▓▓▓░░░░░░` 6/16 credits"``, with ✓ when done; just "3 hours · … logged" when nothing is required."""
    if need is None:
        return f"{number(have)} {what} · logged"
    mark = " ✓" if _finite(have) >= _finite(need) else ""
    return f"`{bar(have, need)}` {number(have)}/{number(need)} {what}{mark}"


def _finite(value: Any) -> float:
    try:
        number_ = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number_ if math.isfinite(number_) else 0.0


# -- elements and blocks -----------------------------------------------------------------------


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def plain(text: str, limit: int = MAX_SECTION_TEXT) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip_plain(text, limit) or " ", "emoji": True}


def section(text: str) -> Block:
    """A ``mrkdwn`` section; ``text`` must already be escaped."""
    return {"type": "section", "text": mrkdwn(clip(text, MAX_SECTION_TEXT))}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, MAX_HEADER_TEXT)}


def context(*texts: str) -> Block:
    """A context line; ``texts`` must already be escaped."""
    elements = [mrkdwn(clip(t, MAX_SECTION_TEXT)) for t in texts if t][:MAX_CONTEXT_ELEMENTS]
    return {"type": "context", "elements": elements or [mrkdwn(" ")]}


def divider() -> Block:
    return {"type": "divider"}


def button(
    text: str, action_id: str, value: str, *, style: str | None = None, confirm: dict[str, Any] | None = None
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": plain(text, MAX_BUTTON_TEXT),
        "action_id": action_id[:MAX_ACTION_ID],
        "value": value[:MAX_BUTTON_VALUE],
    }
    if style in {"primary", "danger"}:
        element["style"] = style
    if confirm is not None:
        element["confirm"] = confirm
    return element


def actions(buttons: Sequence[dict[str, Any]], block_id: str | None = None) -> list[Block]:
    """Buttons in as many ``actions`` blocks as Slack's 25-per-block limit needs (block ids kept unique)."""
    out: list[Block] = []
    for n, start in enumerate(range(0, len(buttons), MAX_ACTIONS_ELEMENTS)):
        block: Block = {"type": "actions", "elements": list(buttons[start : start + MAX_ACTIONS_ELEMENTS])}
        if block_id:
            block["block_id"] = (block_id if n == 0 else f"{block_id}#{n}")[:MAX_BLOCK_ID]
        out.append(block)
    return out


def indexed_buttons(action: str, items: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """One button per (label, value), with unique ``action:index`` ids."""
    return [button(label, f"{action}:{i}", value) for i, (label, value) in enumerate(items)]


def fit(blocks: list[Block], limit: int, note: str) -> list[Block]:
    """At most ``limit`` blocks: when cut, the last one is a context ``note`` saying so."""
    if len(blocks) <= limit:
        return blocks
    kept = blocks[: limit - 1]
    while kept and kept[-1]["type"] in {"header", "divider"}:  # don't end on a dangling heading
        kept.pop()
    return [*kept, context(note)]


def fallback(text: str) -> str:
    """The top-level ``text`` beside blocks: escaped (it is ``mrkdwn`` too) and at most 4000 characters."""
    return clip(escape(text.strip()), MAX_FALLBACK_TEXT) or " "


# -- unit lists -----------------------------------------------------------------------------

#: "8578-300 Understanding Good Practice in Workplace Coaching (3 credits, 9 GLH)", as answers write units.
_UNIT = re.compile(
    r"(?P<ref>\b\d{4}-\d{3}\b)\s+(?P<title>[^()\n]+?)\s*"
    r"\((?P<credits>\d+)\s+credits?,\s*(?P<glh>\d+)\s+(?:GLH|guided learning hours)\)"
)
_LIST_GLUE = re.compile(r"^\s*(?:,|;|,?\s*and|,?\s*or)?\s*$")


def unit_item(ref: str, title: str | None = None, credits: Any = None, glh: Any = None) -> str:
    """``• *8578-300* Understanding Good Practice… · 3 credits · 9 GLH`` (``title`` already escaped)."""
    parts = [f"*{ref}*" + (f" {title}" if title else "")]
    if credits is not None:
        parts.append(f"{credits} credit" + ("" if str(credits) == "1" else "s"))
    if glh is not None:
        parts.append(f"{glh} GLH")
    return "• " + " · ".join(parts)


def format_units(text: str) -> str:
    """Turn the units an answer names inline into bullet lines, keeping the prose around them.

    "Two mandatory units (6 credits): A (3 credits, 9 GLH) and B (…); then either 10
    credits from Group 1 (C … and D …) or …" becomes the lead-in, a bullet per unit,
    then "then either 10 credits from Group 1:" and its bullets, and so on. Only the
    brackets and commas that joined the units are dropped; every word stays. Answers
    naming fewer than two units are returned unchanged.
    """
    matches = list(_UNIT.finditer(text))
    if len(matches) < 2:
        return text
    lines: list[str] = []
    pos = 0
    for m in matches:
        between = text[pos : m.start()]
        if pos == 0 or not _LIST_GLUE.match(between):
            prose = between.strip().lstrip(")];,. ").rstrip("( ").strip() if pos else between.strip().rstrip("( ")
            if prose:
                lines.append(prose if prose.endswith((":", ".", "?", "!")) else prose + ":")
        lines.append(unit_item(m["ref"], m["title"].strip(), m["credits"], m["glh"]))
        pos = m.end()
    tail = text[pos:].strip().lstrip(")];,. ").strip()
    if tail:
        lines.append(tail)
    return "\n".join(lines)


# -- answers ------------------------------------------------------------------------------------


def answer_blocks(answer: Answer, *, feedback_id: str | None = None) -> tuple[str, list[Block]]:
    """(fallback text, blocks) for one answer, in a DM, a thread or an ephemeral reply.

    The answer in ``mrkdwn`` (unit lists as bullets), bars for a rules check, the
    clarification choices as buttons (value = qualification id; the block id carries
    the intent so a handler can answer in place), suggestions as a context line, and
    👍/👎 buttons when ``feedback_id`` is given.
    """
    body = format_units(escape(answer.text.strip())) or ELLIPSIS
    tail: list[Block] = []
    if answer.check:
        tail.extend(check_blocks(answer.check))
    if answer.choices:
        block_id = f"{BLOCK_CHOICES}:{answer.intent}" if answer.intent else BLOCK_CHOICES
        items = [(c.label, c.value) for c in answer.choices[:MAX_ACTIONS_ELEMENTS]]
        tail.extend(actions(indexed_buttons(ACTION_CHOOSE, items), block_id))
    if answer.suggestions:
        tail.append(context("Did you mean: " + "  ·  ".join(escape(s) for s in answer.suggestions) + "?"))
    if feedback_id:
        tail.extend(feedback_blocks(feedback_id))

    shortened = len(body) > MAX_ANSWER_TEXT
    pieces = split_text(clip(body, MAX_ANSWER_TEXT) if shortened else body)
    room = MAX_MESSAGE_BLOCKS - len(tail) - 1
    if len(pieces) > room:
        pieces, shortened = pieces[:room], True
    blocks = [section(p) for p in pieces]
    if shortened:
        blocks.append(context("_This answer was shortened to fit in Slack; ask about one part for the rest._"))
    return fallback(answer.text), blocks + tail


def feedback_blocks(feedback_id: str) -> list[Block]:
    buttons = [
        button("👍", ACTION_FEEDBACK_UP, feedback_id),
        button("👎", ACTION_FEEDBACK_DOWN, feedback_id),
    ]
    return actions(buttons, BLOCK_FEEDBACK)


def feedback_given(blocks: Sequence[Block], helpful: bool) -> list[Block]:
    """The same message with its 👍/👎 buttons replaced by a thank-you (for chat.update)."""
    thanks = context("👍 Thanks, glad it helped." if helpful else "👎 Thanks, noted: this answer will be reviewed.")
    return [thanks if b.get("block_id") == BLOCK_FEEDBACK else b for b in blocks]


def check_blocks(check: Mapping[str, Any]) -> list[Block]:
    """Bars for a rules-engine result (``Evaluation.to_dict()``): credits, then hours still tracked."""
    if "credits_required" not in check:
        return []
    lines = [progress_line(check.get("credits_achieved", 0), check.get("credits_required"), "credits")]
    for item in [*check.get("programme", ()), *check.get("practice", ())]:
        if item.get("hours_required") is None:
            continue
        label = item.get("description") or " ".join(str(x) for x in (item.get("unit"), item.get("kind")) if x)
        lines.append(progress_line(item.get("hours_logged") or 0, item["hours_required"], "hours · " + escape(label)))
    return [context("\n".join(lines))]


# -- progress ----------------------------------------------------------------------------------


def progress_blocks(progress: Mapping[str, Any], *, knowledge: Knowledge | None = None) -> list[Block]:
    """A learner's progress (``Progress.to_dict()``): per qualification a header, bars, units and next step.

    Written against the JSON, not the classes, and tolerant of missing keys, so it
    renders ``ilm-bot learner progress --json`` output from any version. With
    ``knowledge`` the units show their titles, credits and GLH.
    """
    quals = [q for q in progress.get("qualifications") or () if isinstance(q, Mapping)]
    blocks: list[Block] = []
    if not quals:
        hint = progress.get("next_step") or "You are not enrolled on a qualification yet."
        blocks.append(section(escape(str(hint))))
    for n, q in enumerate(quals):
        if n:
            blocks.append(divider())
        blocks.extend(_qualification_blocks(q, knowledge))
    for qid in progress.get("unknown_qualifications") or ():
        blocks.append(context(escape(f"Enrolled on {qid}, which the current knowledge base does not describe.")))
    return blocks


def _qualification_blocks(q: Mapping[str, Any], knowledge: Knowledge | None) -> list[Block]:
    qid = str(q.get("qualification") or "")
    title = str(q.get("title") or _title(qid, knowledge) or qid or "Qualification")
    complete = q.get("complete", q.get("achieved", False))
    icon = "✅" if complete else ("🟡" if q.get("achieved") else "📘")
    blocks: list[Block] = [header(f"{icon} {title}")]

    lines = [progress_line(q.get("credits_achieved", 0), q.get("credits_required", 0), "credits")]
    for h in q.get("hours") or ():
        if not isinstance(h, Mapping):
            continue
        what = "hours · " + escape(str(h.get("description") or h.get("kind") or "practice"))
        required = h.get("hours_required")
        lines.append(progress_line(h.get("hours_logged") or 0, None if required is None else required, what))
    blocks.extend(section(p) for p in split_text("\n".join(lines)))

    done = [_unit_line(u, knowledge) for u in q.get("units_done") or ()]
    left = [_unit_line(u, knowledge) for u in q.get("units_left") or ()]
    fields = []
    if done:
        fields.append(mrkdwn(clip("*Units done*\n" + "\n".join(done), MAX_FIELD_TEXT)))
    if left:
        fields.append(mrkdwn(clip("*Units left*\n" + "\n".join(left), MAX_FIELD_TEXT)))
    options = [o for o in q.get("completion_options") or () if o]
    if not left and len(options) > 1 and not q.get("achieved"):
        ways = "\n".join("• " + " + ".join(escape(str(r)) for r in o) for o in options[:5])
        fields.append(mrkdwn(clip("*Ways to finish (pick one)*\n" + ways, MAX_FIELD_TEXT)))
    if fields:
        blocks.append({"type": "section", "fields": fields[:MAX_FIELDS]})

    if q.get("next_step"):
        blocks.append(context(escape(str(q["next_step"]))))
    return blocks


def _title(qid: str, knowledge: Knowledge | None) -> str | None:
    q = knowledge.qualifications.get(qid) if knowledge is not None else None
    return q.title if q is not None else None


def _unit_line(unit: Any, knowledge: Knowledge | None) -> str:
    """A unit as a bullet, from a ref ("8578-300") or a dict with ref/unit, title, credits, glh."""
    if isinstance(unit, Mapping):
        ref = str(unit.get("ref") or unit.get("unit") or unit.get("code") or "?")
        info: Mapping[str, Any] = unit
    else:
        ref, info = str(unit), {}
    known = knowledge.units.get(ref) if knowledge is not None else None
    title = info.get("title") or (known.title if known else None)
    credits = info.get("credits", known.credits if known else None)
    glh = info.get("glh", known.glh if known else None)
    return unit_item(escape(ref), escape(str(title)) if title else None, credits, glh)


def progress_message(progress: Mapping[str, Any], *, knowledge: Knowledge | None = None) -> tuple[str, list[Block]]:
    """(fallback, blocks) for ``/ilm progress`` and ``/ilm-hr progress @user``: within a message's 50 blocks."""
    blocks = fit(progress_blocks(progress, knowledge=knowledge), MAX_MESSAGE_BLOCKS, "…and more: see the App Home.")
    lines = []
    for q in progress.get("qualifications") or ():
        title = q.get("title") or q.get("qualification") or "Qualification"
        lines.append(f"{title}: {number(q.get('credits_achieved', 0))}/{number(q.get('credits_required', 0))} credits")
    lines.append(str(progress.get("next_step") or ""))
    return fallback("\n".join(x for x in lines if x)), blocks


# -- App Home, help, forget-me -----------------------------------------------------------------


def home_view(
    progress: Mapping[str, Any] | None,
    examples: Sequence[str],
    capabilities: str,
    *,
    knowledge: Knowledge | None = None,
    name: str = "ILM Coach",
) -> dict[str, Any]:
    """The App Home tab (for views.publish): welcome, what to ask, example buttons, and the dashboard."""
    blocks: list[Block] = [
        header(f"👋 Welcome to {name}"),
        section(escape(capabilities.strip()) or "Ask me about the ILM Level 3 coaching and mentoring qualifications."),
        section("*Try asking* (or send me a DM, mention me in a channel, or use `/ilm your question`):"),
    ]
    questions = [e for e in dict.fromkeys(x.strip() for x in examples) if e][:10]
    blocks.extend(actions(indexed_buttons(ACTION_EXAMPLE, [(q, q) for q in questions]), "examples"))
    blocks.append(context("`/ilm help` lists every command  ·  `/ilm progress` shows your progress in a message"))
    blocks.append(divider())
    if progress is not None:
        blocks.append(header("📊 Your progress"))
        blocks.extend(progress_blocks(progress, knowledge=knowledge))
    else:
        blocks.append(
            section(
                "*Track your progress*\n"
                + escape(
                    "Enrol with `/ilm enrol <qualification>`, then record units with `/ilm done <unit>` "
                    "and hours with `/ilm log <hours> <kind>`; your dashboard appears here."
                )
            )
        )
    note = "…more than fits here: use `/ilm progress` for the rest."
    return {"type": "home", "blocks": fit(blocks, MAX_HOME_BLOCKS, note)}


def help_blocks(capabilities: str, commands: Sequence[tuple[str, str]]) -> tuple[str, list[Block]]:
    """(fallback, blocks) for ``/ilm help``: what the bot knows, then each command and what it does."""
    lines = [f"• `{escape(cmd)}` — {escape(what)}" for cmd, what in commands]
    blocks: list[Block] = [header("How to use ILM Coach"), section(escape(capabilities.strip()) or ELLIPSIS)]
    if lines:
        blocks.append(section("*Commands*"))
        blocks.extend(section(p) for p in split_text("\n".join(lines)))
    blocks.append(context("You can also DM me or mention me in a channel; I answer in a thread."))
    text = capabilities.strip() + "\n" + "\n".join(f"{cmd} — {what}" for cmd, what in commands)
    return fallback(text), fit(blocks, MAX_MESSAGE_BLOCKS, "…and more commands.")


def confirm_forget_blocks() -> tuple[str, list[Block]]:
    """(fallback, blocks) for ``/ilm forget-me``: nothing is deleted until the danger button is confirmed."""
    explain = (
        "*Forget me?* This deletes everything I store about you: your enrolments, the units you "
        "recorded, the hours you logged, reminders and our conversation context. It can't be undone."
    )
    confirm = {
        "title": plain("Delete your data?", MAX_CONFIRM_TITLE),
        "text": plain("All your progress records will be deleted permanently.", MAX_CONFIRM_TEXT),
        "confirm": plain("Delete", MAX_CONFIRM_BUTTON),
        "deny": plain("Keep it", MAX_CONFIRM_BUTTON),
        "style": "danger",
    }
    buttons = [
        button("Delete my data", ACTION_FORGET_CONFIRM, "forget", style="danger", confirm=confirm),
        button("Cancel", ACTION_FORGET_CANCEL, "cancel"),
    ]
    blocks = [section(explain), *actions(buttons, "forget")]
    return fallback("Forget me? This deletes everything I store about you. Confirm with the button."), blocks


# -- HR reminders ----------------------------------------------------------------------------

ACTION_REMINDER_CANCEL = "reminder_cancel"
#: callback_id of the "new reminder" modal, and the block ids of its inputs (each input's action_id is "value").
REMINDER_MODAL = "reminder_create"
MODAL_CHANNEL, MODAL_LEARNERS, MODAL_WHEN = "channel", "learners", "when"
MODAL_MESSAGE, MODAL_REPEAT, MODAL_UNTIL = "message", "repeat", "until"
MODAL_VALUE = "value"
MODAL_WEEKLY = "weekly"
MAX_MODAL_TITLE = 24
MAX_OPTION_TEXT = 75
MAX_SELECT_OPTIONS = 100


def reminder_list_blocks(items: Sequence[tuple[int, str]], *, note: str | None = None) -> tuple[str, list[Block]]:
    """(fallback, blocks) for ``/ilm-hr reminders``: one section per reminder, each with a Cancel button.

    ``items`` are (reminder id, description); descriptions are ``mrkdwn`` that is already
    safe (``bot.reminders.messages`` quotes HR's text with broadcasts defused).
    """
    if not items:
        text = "No reminders are scheduled. Schedule one with `/ilm-hr remind`."
        return text, [section(text)] + ([context(note)] if note else [])
    blocks: list[Block] = [header("⏰ Upcoming reminders")]
    if note:
        blocks.append(context(note))
    for n, (reminder_id, description) in enumerate(items):
        confirm = {
            "title": plain(f"Cancel reminder #{reminder_id}?", MAX_CONFIRM_TITLE),
            "text": plain("It will not be sent (what has already been sent stays sent).", MAX_CONFIRM_TEXT),
            "confirm": plain("Cancel it", MAX_CONFIRM_BUTTON),
            "deny": plain("Keep it", MAX_CONFIRM_BUTTON),
            "style": "danger",
        }
        cancel = button("Cancel", f"{ACTION_REMINDER_CANCEL}:{n}", str(reminder_id), style="danger", confirm=confirm)
        blocks.append({**section(description), "accessory": cancel})
    count = f"{len(items)} upcoming reminder{'s' if len(items) != 1 else ''}"
    return count, fit(blocks, MAX_MESSAGE_BLOCKS, "…and more, not shown here.")


def reminder_modal(qualifications: Sequence[tuple[str, str]], *, private_metadata: str = "") -> dict[str, Any]:
    """The "new reminder" modal (for views.open): a channel or a qualification's learners, a date-time,
    the message and an optional weekly repeat. ``qualifications`` are (id, title)."""
    options = [
        {"text": plain(title, MAX_OPTION_TEXT), "value": qid} for qid, title in qualifications[:MAX_SELECT_OPTIONS]
    ]
    inputs: list[tuple[str, str, bool, dict[str, Any]]] = [
        (
            MODAL_CHANNEL,
            "Channel",
            True,
            {
                "type": "conversations_select",
                "placeholder": plain("Pick a channel"),
                "filter": {"include": ["public", "private"], "exclude_bot_users": True},
            },
        ),
        (
            MODAL_LEARNERS,
            "…or, by DM, every learner on",
            True,
            {"type": "static_select", "placeholder": plain("Pick a qualification"), "options": options},
        ),
        (MODAL_WHEN, "When (your time zone)", False, {"type": "datetimepicker"}),
        (MODAL_MESSAGE, "Message", False, {"type": "plain_text_input", "multiline": True, "max_length": 4000}),
        (
            MODAL_REPEAT,
            "Repeat",
            True,
            {
                "type": "checkboxes",
                "options": [{"text": plain("Every week, same day and time"), "value": MODAL_WEEKLY}],
            },
        ),
        (MODAL_UNTIL, "Repeat until (optional)", True, {"type": "datepicker"}),
    ]
    blocks: list[Block] = [
        section(
            "Send to a channel, *or* by DM to every learner on a qualification. Slack markup such as "
            "`&lt;!channel&gt;` is posted as written."
        )
    ]
    for block_id, label, optional, element in inputs:
        blocks.append(
            {
                "type": "input",
                "block_id": block_id,
                "optional": optional,
                "label": plain(label, MAX_HEADER_TEXT),
                "element": {**element, "action_id": MODAL_VALUE},
            }
        )
    return {
        "type": "modal",
        "callback_id": REMINDER_MODAL,
        "title": plain("New reminder", MAX_MODAL_TITLE),
        "submit": plain("Schedule", MAX_MODAL_TITLE),
        "close": plain("Cancel", MAX_MODAL_TITLE),
        "private_metadata": private_metadata,
        "blocks": blocks,
    }
