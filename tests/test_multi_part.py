"""Several questions in one message: every part answered, each from the knowledge, none lost or cut in two.

People join look-ups with "and", "plus", line breaks or numbered lists, and let a later part lean on
the subject of the one before ("… and its GLH", "and how many for the cert"). The facts checked here
are read from the knowledge, so the tests follow the brochure rather than restate it.
"""

from __future__ import annotations

import re

import pytest
from asking import BRAIN, ask
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.nlu.segment import question_parts

K = BRAIN.knowledge
READ = BRAIN.extractor.extract

#: How each subject is written, and the name its answer uses for it.
QUAL_NAMES = {
    "the award": "l3-award-mentoring",
    "the award in mentoring": "l3-award-mentoring",
    "the cert in mentoring": "l3-certificate-mentoring",
    "the certificate in mentoring": "l3-certificate-mentoring",
    "the C&M": "l3-certificate-coaching-mentoring",
    "the coaching and mentoring certificate": "l3-certificate-coaching-mentoring",
}
UNITS = sorted(K.units)
NOUN = {"credits": "credits", "glh": "guided learning hours"}
ASKS = ("{a} for {s}", "how many {a} is {s}", "{s} {a}", "what's the {a} for {s}")
JOINS = ("{x} and {y}", "{x} plus {y}", "{x}, and {y}", "{x}\n{y}", "1) {x}\n2) {y}", "a few things:\n- {x}\n- {y}")


def fact(subject: str, attribute: str) -> re.Pattern[str]:
    """The figure the knowledge gives for a subject, next to the subject's own name in the answer."""
    if subject in QUAL_NAMES:
        q = K.qualifications[QUAL_NAMES[subject]]
        name, value = q.title, q.credits
    else:
        unit = K.units[subject]
        name, value = subject, unit.credits if attribute == "credits" else unit.glh
    return re.compile(rf"{re.escape(name)}[^.\n]*\b{value:g} {NOUN[attribute]}")


def request(shape: str, subject: str, attribute: str) -> str:
    return shape.format(a=attribute, s=subject)


subjects = st.one_of(
    st.tuples(st.sampled_from(sorted(QUAL_NAMES)), st.just("credits")),
    st.tuples(st.sampled_from(UNITS), st.sampled_from(sorted(NOUN))),
)


@settings(max_examples=80, deadline=None, derandomize=True)
@given(
    first=subjects,
    second=subjects,
    shapes=st.tuples(st.sampled_from(ASKS), st.sampled_from(ASKS)),
    join=st.sampled_from(JOINS),
)
def test_two_look_ups_in_one_message_are_both_answered(
    first: tuple[str, str], second: tuple[str, str], shapes: tuple[str, str], join: str
) -> None:
    (s1, a1), (s2, a2) = first, second
    text = ask(join.format(x=request(shapes[0], s1, a1), y=request(shapes[1], s2, a2)))
    assert fact(s1, a1).search(text), text
    assert fact(s2, a2).search(text), text


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    ref=st.sampled_from(UNITS),
    attributes=st.permutations(sorted(NOUN)),
    link=st.sampled_from(["and its", "plus its", ", and its", "and the", "+"]),
)
def test_a_later_part_inherits_the_unit_of_the_one_before(ref: str, attributes: list[str], link: str) -> None:
    first, second = attributes
    text = ask(f"{first} for {ref} {link} {second}")
    assert fact(ref, first).search(text) and fact(ref, second).search(text), text


@settings(max_examples=30, deadline=None, derandomize=True)
@given(
    pair=st.permutations(sorted(set(QUAL_NAMES.values()))).map(lambda p: p[:2]),
    attribute=st.sampled_from(["credits", "units"]),
)
def test_the_same_question_for_another_qualification_after_and(pair: list[str], attribute: str) -> None:
    """'How many credits for the Award and how many for the C&M': the second part asks the same thing."""
    names = {qid: next(n for n, q in QUAL_NAMES.items() if q == qid) for qid in pair}
    first, second = (K.qualifications[qid] for qid in pair)
    text = ask(f"how many {attribute} for {names[first.id]} and how many for {names[second.id]}")
    if attribute == "credits":
        for q in (first, second):
            assert re.search(rf"{re.escape(q.title)}[^.\n]*\b{q.credits} credits", text), text
    else:
        for q in (first, second):
            assert all(u.ref in text for u in K.units_of(q.id)), text


@settings(max_examples=30, deadline=None, derandomize=True)
@given(
    name=st.sampled_from([n for n in QUAL_NAMES if " and " in n] + ["the coaching & mentoring cert"]),
    link=st.sampled_from(["and", "plus", "+"]),
    ref=st.sampled_from(UNITS),
)
def test_a_name_with_and_in_it_is_never_cut_in_two(name: str, link: str, ref: str) -> None:
    parts = question_parts(f"units of {name} {link} glh for {ref}", READ)
    assert len(parts) == 2 and name in parts[0] and ref in parts[1], parts
    assert question_parts(f"credits and glh for {name}", READ) == [f"credits and glh for {name}"]


@settings(max_examples=30, deadline=None, derandomize=True)
@given(
    done=st.lists(st.sampled_from(UNITS), min_size=2, max_size=3, unique=True),
    lead=st.sampled_from(["done", "I've done", "i did", "completed"]),
)
def test_units_someone_has_done_stay_with_their_question(done: list[str], lead: str) -> None:
    """'done 8577-304 and 8577-307, what's left for the award': one personal question, not three look-ups."""
    message = f"{lead} {', '.join(done[:-1])} and {done[-1]}, what's left for the award"
    assert question_parts(message, READ) == [message]


@settings(max_examples=20, deadline=None, derandomize=True)
@given(
    marker=st.sampled_from(["1) {}", "1. {}", "(a) {}", "a) {}"]),
    ref=st.sampled_from(UNITS),
    greeting=st.sampled_from(["ok so a few things", "hi", "quick ones"]),
)
def test_numbered_items_are_questions_of_their_own(marker: str, ref: str, greeting: str) -> None:
    second = marker.replace("1", "2").replace("a", "b").format("which group is it in")
    message = f"{greeting}\n{marker.format(f'how many credits is {ref}')}\n{second}\nta"
    parts = question_parts(message, READ)
    assert len(parts) == 2 and ref in parts[0] and "group" in parts[1], parts
    text = ask(message)
    assert fact(ref, "credits").search(text), text


def test_which_group_answers_with_the_group_not_a_yes() -> None:
    text = ask("ok so a few things\n1) how many credits is 8578-303\n2) which group is it in\nta")
    assert re.search(r"\b3 credits", text) and "Group 1" in text and "Yes" not in text, text
    assert ask("is 8578-303 in group 1?").startswith("Yes")


def test_a_title_shared_by_two_units_means_the_named_qualifications_one() -> None:
    text = ask("code for reflecting on workplace mentoring skills in the C&M cert, and its GLH")
    assert "8578-307" in text and "8577-307" not in text and re.search(r"\b6 guided learning hours", text), text
    text = ask("what's the code for reflecting on workplace mentoring skills in the certificate in mentoring")
    assert "8577-307" in text and "8578-307" not in text, text


def test_a_topic_without_an_attribute_word_and_a_fact_of_the_same_subject() -> None:
    text = ask("rules of combination for C&M plus minimum tutorial hours?")
    cm = K.qualifications["l3-certificate-coaching-mentoring"]
    tutorial = next(p.hours for p in cm.programme if p.hours_kind == "tutorial")
    assert "Group 1" in text and "Group 2" in text and re.search(rf"\b{tutorial:g} hours of tutorial", text), text
    text = ask("units in the award and units in the cert in mentoring")
    assert all(u.ref in text for q in ("l3-award-mentoring", "l3-certificate-mentoring") for u in K.units_of(q))


# -- what a unit is about --------------------------------------------------------


@settings(max_examples=30, deadline=None, derandomize=True)
@given(ref=st.sampled_from(UNITS), shape=st.sampled_from(["what's {}", "tell me about {}", "what's {} about"]))
def test_a_unit_description_never_says_the_same_thing_twice(ref: str, shape: str) -> None:
    text = ask(shape.format(ref))
    sentences = [s.strip().lower() for s in re.split(r"(?<=[.;])\s+", text) if s.strip()]
    assert len(sentences) == len(set(sentences)), text
    practice = K.units[ref].practice
    if practice is not None:
        assert text.lower().count(f"{practice.hours:g} hours") + text.lower().count("six hours") == 1, text


@pytest.mark.parametrize("ref", [ref for ref in UNITS if K.units[ref].practice is not None])
def test_what_you_actually_do_in_a_unit_is_its_practice(ref: str) -> None:
    practice = K.units[ref].practice
    assert practice is not None
    text = ask(f"what do you actually do in {ref}")
    assert ref in text and practice.wording.lower() in text.lower(), text


@pytest.mark.parametrize(
    ("qid", "kind"),
    [(qid, kind) for qid in K.qualifications for kind in ("coaching", "mentoring")],
)
def test_the_unit_where_you_actually_do_the_practice(qid: str, kind: str) -> None:
    name = next(n for n, i in QUAL_NAMES.items() if i == qid)
    doing = [u.ref for u in K.units_of(qid) if u.practice is not None and u.practice.kind == kind]
    text = ask(f"which unit on {name} is the one where you actually do the {kind} sessions")
    if doing:
        assert all(ref in text for ref in doing), text
        assert not any(u.ref in text for u in K.units_of(qid) if u.ref not in doing), text
    else:  # the Award has no coaching practice: said, never a unit of the other kind offered as the match
        assert "couldn't find" in text and "closest match" not in text.lower(), text


def test_what_replaces_a_unit_is_read_from_the_summaries() -> None:
    for ref, unit in K.units.items():
        replacing = [r for r, u in K.units.items() if r != ref and unit.title.lower() in (u.summary or "").lower()]
        if replacing:
            text = ask(f"at cert level what replaces {ref}?")
            assert all(r in text for r in replacing), text


@pytest.mark.parametrize("ending", ["", "?", " please"])
def test_a_term_only_one_brochure_uses_is_answered_from_it(ending: str) -> None:
    owners = [
        q
        for q in K.qualifications.values()
        if q.learning_resources and "walled garden" in q.learning_resources.text.lower()
    ]
    text = ask(f"what's walled garden{ending}")
    assert [q.title for q in owners] and all(q.title in text for q in owners), text
    assert not any(q.title in text for q in K.qualifications.values() if q not in owners), text
    assert "can't help" in ask("what's the weather like in the garden")


# -- Slack-thread shapes: quoted requests, inline lists, asides -------------------------------------


@settings(max_examples=20, deadline=None, derandomize=True)
@given(
    qid=st.sampled_from(sorted(K.qualifications)),
    purpose=st.sampled_from(
        ["so we can add it to the employee's training record", "so that HR can update the system", "in order to plan"]
    ),
)
def test_why_they_ask_is_not_what_they_ask(qid: str, purpose: str) -> None:
    """'> Can you please confirm the qualification number and the credit value for X so we can …?'."""
    q = K.qualifications[qid]
    message = (
        "HR here, pasting the request:\n"
        f"> Can you please confirm the qualification number and the credit value for the {q.title} {purpose}?\n"
        "> Regards, Training Records"
    )
    text = ask(message)
    assert re.search(rf"\b{q.credits} credits", text), text
    if q.qualification_number:
        assert q.qualification_number in text, text
    else:  # the brochure gives none: none is made up
        assert not re.search(r"\d{3}/\d{4}/\d", text), text


@settings(max_examples=20, deadline=None, derandomize=True)
@given(qid=st.sampled_from(sorted(K.qualifications)), greeting=st.sampled_from(["Hiya, ", "Hi! ", ""]))
def test_a_quoted_question_keeps_the_quoted_facts_before_it(qid: str, greeting: str) -> None:
    """'> Hiya, I've done 8578-300 … now. What do I still have to do?': the mentee's units go with their question."""
    done = sorted(K.units_of_ids(qid))[:-1]
    message = (
        "got this from one of my mentees, can you help me reply\n"
        f"> {greeting}I've done {', '.join(done)} now. What do I still have to do to get the full qualification?"
    )
    parts = question_parts(message, READ)
    assert all(ref in parts[0] for ref in done), parts


@settings(max_examples=20, deadline=None, derandomize=True)
@given(name=st.sampled_from(list(QUAL_NAMES)), lead=st.sampled_from(["3 qs about {s}:", "about {s} -", "{s}"]))
def test_a_numbered_list_on_one_line_is_one_question_per_item_about_the_subject(name: str, lead: str) -> None:
    """'3 qs about the award: 1) what level 2) how many mandatory units 3) how many tutorial hrs'."""
    q = K.qualifications[QUAL_NAMES[name]]
    message = f"{lead.format(s=name)} 1) what level 2) how many credits 3) how many tutorial hrs"
    assert len(question_parts(message, READ)) == 3
    text = ask(message)
    tutorial = next(p.hours for p in q.programme if p.hours_kind == "tutorial")
    assert "Level 3" in text and re.search(rf"\b{q.credits} credits", text), text
    assert re.search(rf"\b{tutorial:g} hours of tutorial", text), text


def test_an_aside_after_a_question_mark_is_a_question_too() -> None:
    """'… which units differ? also is the phone number the same for both brochures'."""
    phones = {q.contact.phone for q in K.qualifications.values()}
    message = "which units are different between the award and the cert in mentoring? also is the phone number the same"
    parts = question_parts(message, READ)
    assert len(parts) == 2 and "phone" in parts[1], parts
    assert all(p in ask(message) for p in phones)


def test_numbers_in_a_sentence_are_not_a_list() -> None:
    message = "is 8577-304 worth 3) credits or 4"
    assert question_parts(message, READ) == [message]


@settings(max_examples=10, deadline=None, derandomize=True)
@given(pair=st.sampled_from([("the award", "the cert in mentoring"), ("the award", "the C&M")]))
def test_either_of_two_qualifications_compared_on_two_attributes(pair: tuple[str, str]) -> None:
    """'do either the award or the cert … whats the difference in hours of mentoring and credits':
    "either" picks between qualifications (not kinds of practice); both attributes are compared."""
    a, b = (K.qualifications[QUAL_NAMES[n]] for n in pair)
    text = ask(
        f"my boss wants me to do either {pair[0]} or {pair[1]}, whats the difference in hours of mentoring and credits"
    )
    for q in (a, b):
        assert re.search(rf"\b{q.credits}\b", text), text
        for u in K.units_of(q.id):
            if u.practice and u.practice.kind == "mentoring":
                assert f"{u.practice.hours:g} hours of mentoring" in text, text


@settings(max_examples=10, deadline=None, derandomize=True)
@given(qid=st.sampled_from(sorted(K.qualifications)))
def test_items_of_a_request_written_on_one_line_are_each_answered(qid: str) -> None:
    """'Please can you send me (1) the email address … and (2) where learners can browse learning resources?'."""
    q = K.qualifications[qid]
    name = next(n for n, i in QUAL_NAMES.items() if i == qid)
    message = (
        f"Hello, I'm putting together the welcome pack for {name} cohort. Please can you send me (1) the email "
        "address to contact ILM and (2) where learners can browse learning resources? Many thanks, Sarah"
    )
    assert len(question_parts(message, READ)) == 2
    text = ask(message)
    assert q.contact.email in text, text
    if q.learning_resources and q.learning_resources.url:
        assert q.learning_resources.url in text, text
