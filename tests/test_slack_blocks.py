"""Block Kit rendering: Slack's limits hold on any input, user text can't ping, bars and buttons are right.

Slack rejects a whole message when one field breaks a limit, so these tests feed
huge and hostile input and check every block against the Block Kit shapes and
limits independently of the code under test (see ``problems``).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answers.answer import Answer, Choice
from bot.core.assistant import Assistant
from bot.core.brain import Brain
from bot.slack.blocks import (
    ACTION_CHOOSE,
    ACTION_EXAMPLE,
    ACTION_FEEDBACK_DOWN,
    ACTION_FEEDBACK_UP,
    ACTION_FORGET_CANCEL,
    ACTION_FORGET_CONFIRM,
    BLOCK_FEEDBACK,
    action_name,
    action_pattern,
    answer_blocks,
    bar,
    choice_intent,
    clip,
    confirm_forget_blocks,
    escape,
    feedback_given,
    help_blocks,
    home_view,
    progress_blocks,
    progress_message,
    read_choice_value,
    split_text,
)

CM_UNITS = (
    "The ILM Level 3 Certificate in Coaching and Mentoring: 16 credits in total: Two mandatory units (6 credits): "
    "8578-300 Understanding Good Practice in Workplace Coaching (3 credits, 9 GLH) and 8578-304 Understanding Good "
    "Practice in Workplace Mentoring (3 credits, 9 GLH); then either 10 credits from Group 1 (8578-302 Undertaking an "
    "Extended Period of Coaching in the Workplace (7 credits, 12 GLH) and 8578-303 Reflecting on Workplace Coaching "
    "Skills (3 credits, 6 GLH)) or 10 credits from Group 2 (8578-306 Undertaking an Extended Period of Mentoring in "
    "the Workplace (7 credits, 12 GLH) and 8578-307 Reflecting on Workplace Mentoring Skills (3 credits, 6 GLH)). "
    "The options can't be mixed: all the credits must come from one."
)
QUALS = (
    Choice("Award in Mentoring", "l3-award-mentoring"),
    Choice("Certificate in Coaching and Mentoring", "l3-certificate-coaching-mentoring"),
    Choice("Certificate in Mentoring", "l3-certificate-mentoring"),
)
BROKEN_ENTITY = re.compile(r"&(?!amp;|lt;|gt;)")


# -- an independent Block Kit checker ---------------------------------------------------------

_BLOCK_KEYS = {
    "section": {"type", "text", "fields", "block_id", "accessory"},
    "header": {"type", "text", "block_id"},
    "context": {"type", "elements", "block_id"},
    "divider": {"type", "block_id"},
    "actions": {"type", "elements", "block_id"},
}


def _text_problems(obj: Any, where: str, *, limit: int, plain_only: bool = False) -> list[str]:
    if not isinstance(obj, dict) or obj.get("type") not in {"plain_text", "mrkdwn"}:
        return [f"{where}: not a text object: {obj!r}"]
    out = []
    if plain_only and obj["type"] != "plain_text":
        out.append(f"{where}: must be plain_text")
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        out.append(f"{where}: empty text")
    elif len(text) > limit:
        out.append(f"{where}: {len(text)} > {limit} characters")
    elif obj["type"] == "mrkdwn" and re.search(r"[<>]", text):
        # Nothing this bot renders is meant to be a link or mention: a raw "<" is user text or a bug.
        out.append(f"{where}: unescaped < or > in mrkdwn: {text[:60]!r}")
    if set(obj) - {"type", "text", "emoji", "verbatim"}:
        out.append(f"{where}: unknown keys {set(obj) - {'type', 'text', 'emoji', 'verbatim'}}")
    return out


def problems(blocks: list[dict[str, Any]], max_blocks: int) -> list[str]:
    """Everything Slack would reject in these blocks (for the block kinds this bot uses)."""
    out: list[str] = []
    if len(blocks) > max_blocks:
        out.append(f"{len(blocks)} blocks > {max_blocks}")
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    if len(block_ids) != len(set(block_ids)):
        out.append(f"duplicate block_id in {block_ids}")
    for i, b in enumerate(blocks):
        kind = b.get("type")
        where = f"block {i} ({kind})"
        if kind not in _BLOCK_KEYS:
            out.append(f"{where}: unknown type")
            continue
        if set(b) - _BLOCK_KEYS[kind]:
            out.append(f"{where}: unknown keys {set(b) - _BLOCK_KEYS[kind]}")
        if len(b.get("block_id", "")) > 255:
            out.append(f"{where}: block_id too long")
        if kind == "section":
            if "text" not in b and "fields" not in b:
                out.append(f"{where}: neither text nor fields")
            if "text" in b:
                out += _text_problems(b["text"], where, limit=3000)
            fields = b.get("fields", [])
            if len(fields) > 10:
                out.append(f"{where}: {len(fields)} fields")
            for f in fields:
                out += _text_problems(f, where + " field", limit=2000)
        elif kind == "header":
            out += _text_problems(b["text"], where, limit=150, plain_only=True)
        elif kind == "context":
            if not 1 <= len(b["elements"]) <= 10:
                out.append(f"{where}: {len(b['elements'])} elements")
            for e in b["elements"]:
                out += _text_problems(e, where, limit=3000)
        elif kind == "actions":
            elements = b["elements"]
            if not 1 <= len(elements) <= 25:
                out.append(f"{where}: {len(elements)} elements")
            ids = [e.get("action_id") for e in elements]
            if len(ids) != len(set(ids)):
                out.append(f"{where}: duplicate action_id {ids}")
            for e in elements:
                out += _button_problems(e, where)
    return out


def _button_problems(e: dict[str, Any], where: str) -> list[str]:
    out = []
    if e.get("type") != "button":
        return [f"{where}: not a button"]
    out += _text_problems(e["text"], where + " button", limit=75, plain_only=True)
    if not 0 < len(e.get("action_id", "")) <= 255:
        out.append(f"{where}: bad action_id")
    if len(e.get("value", "")) > 2000:
        out.append(f"{where}: value too long")
    if e.get("style") not in {None, "primary", "danger"}:
        out.append(f"{where}: bad style")
    if "confirm" in e:
        c = e["confirm"]
        out += _text_problems(c["title"], where + " confirm title", limit=100, plain_only=True)
        out += _text_problems(c["text"], where + " confirm text", limit=300)
        out += _text_problems(c["confirm"], where + " confirm button", limit=30, plain_only=True)
        out += _text_problems(c["deny"], where + " deny button", limit=30, plain_only=True)
    return out


def texts(blocks: list[dict[str, Any]], *, kind: str | None = None) -> list[str]:
    """Every text in the blocks (of one text kind, if given)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in {"plain_text", "mrkdwn"} and (kind is None or node["type"] == kind):
                found.append(node["text"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(blocks)
    return found


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def test_the_checker_catches_what_slack_rejects() -> None:
    """The checker must be able to fail, or the limit tests below prove nothing."""
    long_section = {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}
    btn = {"type": "button", "text": {"type": "plain_text", "text": "b"}, "action_id": "a", "value": "v"}
    bad = [
        long_section,
        {"type": "header", "text": {"type": "mrkdwn", "text": "h"}},
        {"type": "actions", "elements": [btn, btn]},
        {"type": "sectoin"},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "use /ilm enrol <qualification>"}]},
    ]
    found = problems(bad, 50)
    assert len(found) == 5, found
    assert problems([{"type": "divider"}] * 51, 50) == ["51 blocks > 50"]


# -- answers ------------------------------------------------------------------------------------


def test_plain_answer() -> None:
    answer = Answer(text="The Award in Mentoring is worth 10 credits.", understood=True, intent="qualification_credits")
    text, blocks = answer_blocks(answer, feedback_id=None)
    assert text == "The Award in Mentoring is worth 10 credits."
    assert blocks == [{"type": "section", "text": {"type": "mrkdwn", "text": answer.text}}]


@pytest.mark.parametrize("extras", [{}, {"feedback_id": "fb-1"}])
def test_huge_answer_respects_every_limit(extras: dict[str, Any]) -> None:
    huge = ("Coaching & mentoring <units> " * 4000)[:100_000]
    answer = Answer(text=huge, understood=True, intent="x", choices=QUALS, suggestions=("units",) * 3)
    text, blocks = answer_blocks(answer, **extras)
    assert problems(blocks, 50) == []
    assert len(text) <= 4000 and text.endswith("…")
    assert not BROKEN_ENTITY.search(text)
    for t in texts(blocks, kind="mrkdwn"):
        assert not BROKEN_ENTITY.search(t), t[-40:]
    assert any("shortened" in t for t in texts(blocks))
    # The interactive parts survive the cut.
    assert [b["value"] for b in buttons(blocks) if action_name(b["action_id"]) == ACTION_CHOOSE] == [
        c.value for c in QUALS
    ]
    if extras:
        assert blocks[-1]["block_id"] == BLOCK_FEEDBACK


def test_huge_unbroken_word_is_cut_safely() -> None:
    text, blocks = answer_blocks(Answer(text="&" * 50_000, understood=True), feedback_id="f")
    assert problems(blocks, 50) == []
    for t in [text, *texts(blocks, kind="mrkdwn")]:
        assert not BROKEN_ENTITY.search(t)


def test_block_count_is_capped_even_without_the_text_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.slack.blocks.answers as blocks_module

    monkeypatch.setattr(blocks_module, "MAX_ANSWER_TEXT", 10**9)
    answer = Answer(text="word " * 60_000, understood=True, choices=QUALS)
    _, blocks = answer_blocks(answer, feedback_id="f")
    assert problems(blocks, 50) == [] and len(blocks) == 50
    assert blocks[-1]["block_id"] == BLOCK_FEEDBACK and any("shortened" in t for t in texts(blocks))


def test_many_section_sized_paragraphs_stay_within_fifty_blocks() -> None:
    paragraphs = "\n\n".join(f"Paragraph {i}. " + "word " * 500 for i in range(200))
    _, blocks = answer_blocks(Answer(text=paragraphs, understood=True), feedback_id="f")
    assert problems(blocks, 50) == []
    assert len(blocks) <= 50


@pytest.mark.parametrize(
    "hostile",
    [
        "<!channel> everyone look",
        "<!here|here> and <!everyone>",
        "hi <@U123ABC> and <#C123|general>",
        "<!subteam^S123|@team> ping",
        "click <https://evil.example|here>",
        "@channel @here @everyone",
    ],
)
def test_mentions_and_links_in_answer_text_are_defused(hostile: str) -> None:
    answer = Answer(text=hostile, understood=False, suggestions=(hostile,))
    text, blocks = answer_blocks(answer, feedback_id=None)
    for t in [text, *texts(blocks, kind="mrkdwn")]:
        assert "<" not in t and ">" not in t, t
        assert not re.search(r"(?<![\w\u200b])@(channel|here|everyone)\b", t), t


def test_ampersands_are_escaped_once() -> None:
    text, blocks = answer_blocks(Answer(text="C&M &amp; more", understood=True), feedback_id=None)
    assert text == "C&amp;M &amp;amp; more"
    assert blocks[0]["text"]["text"] == text


def test_unit_lists_become_bullets_with_credits_and_glh() -> None:
    """Rendered from the answer's structure (the core's), not by re-reading its prose."""
    answer = Assistant(Brain.load()).reply("U1", "which units are in the certificate in coaching and mentoring?")
    assert answer.structure is not None
    _, blocks = answer_blocks(answer, feedback_id=None)
    assert problems(blocks, 50) == []
    body = blocks[0]["text"]["text"]
    lines = body.split("\n")
    bullets = [line for line in lines if line.startswith("• ")]
    assert len(bullets) == 6
    assert "• *8578-300* Understanding Good Practice in Workplace Coaching · 3 credits · 9 GLH" in lines
    assert "• *8578-302* Undertaking an Extended Period of Coaching in the Workplace · 7 credits · 12 GLH" in lines
    # The structure survives: which units belong to which option.
    g1, g2 = lines.index("either 10 credits from Group 1:"), lines.index("or 10 credits from Group 2:")
    assert lines[g1 + 1].startswith("• *8578-302*") and lines[g2 + 1].startswith("• *8578-306*")
    assert lines[-1] == "The options can't be mixed: all the credits must come from one."


def test_an_answer_without_units_stays_prose() -> None:
    one = "8578-302 Undertaking an Extended Period of Coaching in the Workplace (7 credits, 12 GLH) needs 36 hours."
    _, blocks = answer_blocks(Answer(text=one, understood=True), feedback_id=None)
    assert blocks[0]["text"]["text"] == one


def test_a_comparison_is_a_table_of_fields() -> None:
    answer = Assistant(Brain.load()).reply("U1", "compare the award and the certificate in mentoring")
    _, blocks = answer_blocks(answer, feedback_id=None)
    assert problems(blocks, 50) == []
    fields = [f["text"] for b in blocks if b["type"] == "section" for f in b.get("fields", [])]
    assert "*Award in Mentoring*\n10" in fields and "*Certificate in Mentoring*\n13" in fields
    assert blocks[0]["text"]["text"].startswith("The ILM Level 3 Award in Mentoring and")


def test_a_choice_carries_its_question() -> None:
    answer = Assistant(Brain.load()).reply("U1", "which units do I need for the certificate?")
    assert answer.choices
    _, blocks = answer_blocks(answer, feedback_id=None, owner="U1")
    (block,) = [b for b in blocks if b["type"] == "actions"]
    qid, held = read_choice_value(block["elements"][0]["value"])
    assert qid == answer.choices[0].value and held is not None and held["intent"] == "qualification_units"
    assert read_choice_value("l3-award-mentoring") == ("l3-award-mentoring", None)
    assert read_choice_value("{not json") == ("", None)


def test_choices_become_buttons_with_qualification_ids() -> None:
    answer = Answer(
        text="Which certificate do you mean?", understood=True, intent="qualification_units", choices=QUALS[1:]
    )
    _, blocks = answer_blocks(answer, feedback_id=None)
    assert problems(blocks, 50) == []
    (block,) = [b for b in blocks if b["type"] == "actions"]
    assert choice_intent(block["block_id"]) == "qualification_units"
    pattern = action_pattern(ACTION_CHOOSE)
    assert all(pattern.match(e["action_id"]) for e in block["elements"])
    assert [read_choice_value(e["value"])[0] for e in block["elements"]] == [
        "l3-certificate-coaching-mentoring",
        "l3-certificate-mentoring",
    ]
    assert [e["text"]["text"] for e in block["elements"]] == [c.label for c in QUALS[1:]]
    assert not pattern.match("choose_qualification_extra") and pattern.match(ACTION_CHOOSE)


def test_feedback_buttons_only_with_an_id() -> None:
    answer = Answer(text="Yes.", understood=True)
    assert buttons(answer_blocks(answer, feedback_id=None)[1]) == []
    _, blocks = answer_blocks(answer, feedback_id="fb-42")
    up, down = buttons(blocks)
    assert (up["action_id"], up["value"]) == (ACTION_FEEDBACK_UP, "fb-42")
    assert (down["action_id"], down["value"]) == (ACTION_FEEDBACK_DOWN, "fb-42")
    thanked = feedback_given(blocks, helpful=True)
    assert buttons(thanked) == [] and "Thanks" in texts(thanked)[-1] and thanked[0] == blocks[0]


def test_a_check_shows_credit_and_hour_bars() -> None:
    check = {
        "qualification": "l3-certificate-coaching-mentoring",
        "achieved": False,
        "credits_achieved": 6,
        "credits_required": 16,
        "programme": [{"description": "Minimum four hours tutorial support", "hours_logged": 1, "hours_required": 4}],
        "practice": [{"unit": "8578-302", "kind": "coaching", "hours_logged": 40, "hours_required": 36}],
    }
    _, blocks = answer_blocks(Answer(text="Not yet.", understood=True, check=check), feedback_id=None)
    bars = blocks[1]["elements"][0]["text"].split("\n")
    assert bars[0] == "`▓▓▓▓░░░░░░` 6/16 credits"
    assert bars[1] == "`▓▓▓░░░░░░░` 1/4 hours · Minimum four hours tutorial support"
    assert bars[2] == "`▓▓▓▓▓▓▓▓▓▓` 40/36 hours · 8578-302 coaching ✓"


# -- bars ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("have", "need", "expected"),
    [
        (0, 16, "░░░░░░░░░░"),
        (6, 16, "▓▓▓▓░░░░░░"),
        (16, 16, "▓▓▓▓▓▓▓▓▓▓"),
        (20, 16, "▓▓▓▓▓▓▓▓▓▓"),
        (0, 0, "▓▓▓▓▓▓▓▓▓▓"),  # nothing required: done
        (0.1, 36, "▓░░░░░░░░░"),  # something done never looks like nothing
        (35.9, 36, "▓▓▓▓▓▓▓▓▓░"),  # nearly done never looks done
        (12.5, 36, "▓▓▓░░░░░░░"),
        (-3, 16, "░░░░░░░░░░"),
        (float("nan"), 16, "░░░░░░░░░░"),
    ],
)
def test_bar(have: float, need: float, expected: str) -> None:
    assert bar(have, need) == expected


def test_bar_width() -> None:
    assert bar(1, 2, width=4) == "▓▓░░"
    assert len(bar(3, 7, width=25)) == 25


@settings(max_examples=200, deadline=None)
@given(have=st.floats(allow_nan=False, allow_infinity=False), need=st.floats(min_value=0, max_value=1e6))
def test_bar_is_full_exactly_when_done(have: float, need: float) -> None:
    b = bar(have, need)
    assert len(b) == 10
    assert (b == "▓" * 10) == (have >= need or need == 0)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="ab &<>\n*_", max_size=400), limit=st.integers(min_value=20, max_value=120))
def test_split_and_clip_never_break_escapes(text: str, limit: int) -> None:
    escaped = escape(text)
    pieces = split_text(escaped, limit)
    assert all(0 < len(p) <= limit for p in pieces)
    assert all(not BROKEN_ENTITY.search(p) for p in pieces)
    assert "".join(pieces).replace(" ", "").replace("\n", "") == escaped.replace(" ", "").replace("\n", "")
    clipped = clip(escaped, limit)
    assert len(clipped) <= limit and not BROKEN_ENTITY.search(clipped)


# -- progress and the App Home ------------------------------------------------------------------


def real_progress() -> dict[str, Any]:
    """A progress dict from the real learner code, so a change of shape there shows up here."""
    from bot.knowledge import load_knowledge
    from bot.learners.learner import Enrolment, HoursLogged, LearnerRecord, UnitAchieved
    from bot.learners.progress import progress_of

    record = LearnerRecord(
        user="U1",
        enrolments=(
            Enrolment("l3-certificate-coaching-mentoring", date(2024, 1, 1)),
            Enrolment("l3-award-mentoring", date(2024, 2, 1)),
        ),
        units=(UnitAchieved("8578-300", date(2024, 3, 1), "hr"), UnitAchieved("8578-304", date(2024, 3, 1), "hr")),
        hours=(HoursLogged("coaching", 12.5, date(2024, 3, 1)), HoursLogged("induction", 1, date(2024, 3, 1))),
    )
    return progress_of(record, load_knowledge()).to_dict()


def test_progress_dashboard_from_real_progress() -> None:
    from bot.knowledge import load_knowledge

    blocks = progress_blocks(real_progress(), knowledge=load_knowledge())
    assert problems(blocks, 50) == []
    headers = [b["text"]["text"] for b in blocks if b["type"] == "header"]
    assert headers == ["📘 ILM Level 3 Certificate in Coaching and Mentoring", "📘 ILM Level 3 Award in Mentoring"]
    all_text = "\n".join(texts(blocks))
    assert "`▓▓▓▓░░░░░░` 6/16 credits" in all_text
    assert "`▓▓▓░░░░░░░` 12.5/36 hours · 8578-302" in all_text
    assert "`▓▓▓▓▓▓▓▓▓▓` 1/1 hours · At least one hour induction ✓" in all_text
    assert "• *8578-300* Understanding Good Practice in Workplace Coaching · 3 credits · 9 GLH" in all_text
    assert "*Ways to finish (pick one)*\n• 8578-302 + 8578-303\n• 8578-306 + 8578-307" in all_text
    assert "*Units left*\n• *8577-305*" in all_text  # the Award has one way to finish: its units are "left"
    assert "Next: complete either" in all_text


def test_progress_tolerates_missing_keys_and_no_enrolments() -> None:
    blocks = progress_blocks({"qualifications": [{"qualification": "x"}, "junk", {"units_done": [{"unit": "1"}]}]})
    assert problems(blocks, 50) == []
    assert "`▓▓▓▓▓▓▓▓▓▓` 0/0 credits ✓" in texts(blocks)
    empty = progress_blocks({"user": "U1", "qualifications": [], "next_step": "Not enrolled: use <!here>"})
    assert empty == [{"type": "section", "text": {"type": "mrkdwn", "text": "Not enrolled: use ‹!here&gt;"}}]


def test_progress_message_has_fallback_and_fits() -> None:
    progress = real_progress()
    progress["qualifications"] *= 20
    text, blocks = progress_message(progress)
    assert problems(blocks, 50) == [] and len(blocks) == 50
    assert blocks[-1]["type"] == "context" and "App Home" in blocks[-1]["elements"][0]["text"]
    assert text.startswith("ILM Level 3 Certificate in Coaching and Mentoring: 6/16 credits")


def test_home_view_without_progress() -> None:
    long_q = "What do I still need for the certificate in coaching and mentoring if I have done 8578-300? " * 3
    view = home_view(None, ["What units are in the Award?", long_q, "What units are in the Award?"], "I can help.")
    assert view["type"] == "home" and problems(view["blocks"], 100) == []
    examples = buttons(view["blocks"])
    assert [action_name(b["action_id"]) for b in examples] == [ACTION_EXAMPLE, ACTION_EXAMPLE]  # deduplicated
    assert examples[1]["value"] == long_q.strip() and len(examples[1]["text"]["text"]) <= 75
    assert any("/ilm enrol" in t for t in texts(view["blocks"]))


def test_home_view_with_a_huge_dashboard_stays_within_100_blocks() -> None:
    progress = real_progress()
    progress["qualifications"] *= 40
    view = home_view(progress, [f"question {i}" for i in range(40)], "I can help & more.")
    blocks = view["blocks"]
    assert problems(blocks, 100) == [] and len(blocks) == 100
    assert "/ilm progress" in blocks[-1]["elements"][0]["text"]
    assert len(buttons(blocks)) == 10
    assert "📊 Your progress" in [b["text"]["text"] for b in blocks if b["type"] == "header"]


def test_help_and_forget_me() -> None:
    text, blocks = help_blocks("I answer <questions>.", [("/ilm <question>", "ask"), ("/ilm forget-me", "delete")])
    assert problems(blocks, 50) == []
    assert "• `/ilm &lt;question&gt;` — ask" in "\n".join(texts(blocks)) and "/ilm forget-me" in text

    text, blocks = confirm_forget_blocks()
    assert problems(blocks, 50) == [] and text
    confirm, cancel = buttons(blocks)
    assert confirm["action_id"] == ACTION_FORGET_CONFIRM and confirm["style"] == "danger"
    assert confirm["confirm"]["style"] == "danger" and confirm["confirm"]["confirm"]["text"] == "Delete"
    assert cancel["action_id"] == ACTION_FORGET_CANCEL and "style" not in cancel


def test_slack_accepts_what_we_render() -> None:
    """Post everything through slack-sdk to the fake Slack, which applies Slack's structural checks."""
    from fakeslack import FakeSlack
    from slack_sdk import WebClient

    with FakeSlack(socket_mode=False) as slack:
        client = WebClient(base_url=slack.url, token=slack.bot_token)
        huge = Answer(text=CM_UNITS * 300, understood=True, intent="q", choices=QUALS, suggestions=("a", "b"))
        for text, blocks in [
            answer_blocks(huge, feedback_id="fb"),
            progress_message(real_progress()),
            help_blocks("caps", [("/ilm help", "this")]),
            confirm_forget_blocks(),
        ]:
            assert client.chat_postMessage(channel="D1", text=text, blocks=blocks)["ok"]
        big = real_progress()
        big["qualifications"] *= 40
        assert client.views_publish(user_id="U1", view=home_view(big, ["q1", "q2"], "caps"))["ok"]
