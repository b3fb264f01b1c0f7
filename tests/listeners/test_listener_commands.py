"""Slash commands dispatched in-process: one router, generated help, input errors, escaping and decoding."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.slack.blocks import escape
from bot.slack.listeners.commands.ilm import ILM
from bot.slack.listeners.commands.ilm_admin import ADMIN_COMMANDS
from bot.slack.listeners.commands.ilm_hr import HR_COMMANDS
from bot.slack.replies import MAX_PROBLEM, MAX_QUOTED
from listeners.harness import ADMIN, HR, Harness

ROUTERS = {"/ilm": (ILM, "ULEARNC1"), "/ilm-hr": (HR_COMMANDS, HR), "/ilm-admin": (ADMIN_COMMANDS, ADMIN)}


@pytest.mark.parametrize("command", sorted(ROUTERS))
def test_help_is_generated_from_the_router_and_its_placeholders_are_escaped(harness: Harness, command: str) -> None:
    router, user = ROUTERS[command]
    response, reply = harness.command(command, "help" if command == "/ilm" else "", user)
    assert response.status == 200 and reply is not None and reply.ephemeral
    shown = reply.all_text()
    for usage, _ in router.help_lines():
        assert escape(usage) in shown, f"{usage!r} missing from {command} help"
    assert "<qualification>" not in shown and "<id>" not in shown  # issue 13 item 15: never raw in mrkdwn


def test_every_subcommand_has_one_handler_signature(harness: Harness) -> None:
    for router, _ in ROUTERS.values():
        for sub in router.subcommands:
            assert list(sub.handler.__annotations__) in (["r", "return"],), sub.name


def test_enrol_reads_slack_escaped_ampersands_as_typed(harness: Harness) -> None:
    # Slack sends "C&M" as "C&amp;M": decoded once at the edge, so the qualification is recognised (item 4).
    _, reply = harness.command("/ilm", "enrol C&amp;M", "UAMP1")
    assert reply is not None and "Enrolled you" in reply.text and "Coaching and Mentoring" in reply.text


def test_a_mistake_says_nothing_was_recorded_and_a_bug_reaches_the_error_handler(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, reply = harness.command("/ilm", "done 8577-399", "UBUG1")
    assert reply is not None and reply.text.startswith("Nothing was recorded:") and "8577-30" in reply.text

    def broken(*_args: object, **_kwargs: object) -> str:
        raise KeyError("a programming error")

    monkeypatch.setattr("bot.learners.actions.done", broken)
    _, reply = harness.command("/ilm", "done 8577-304", "UBUG1")
    assert reply is not None and "something went wrong" in reply.text and "Nothing was recorded" not in reply.text


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.text(alphabet=string.ascii_letters + string.digits + "<>&!@#' ", min_size=200, max_size=3000))
def test_error_replies_quote_at_most_a_little_of_the_input(harness: Harness, junk: str) -> None:
    """Issue 13 item 16: whatever was typed, the error reply quotes a short piece of it."""
    for text in (f"log {junk.replace(' ', '')}h mentoring", f"enrol {junk}", f"log 1h {junk.replace(' ', '')}"):
        _, reply = harness.command("/ilm", text, "UCAP1")
        assert reply is not None and reply.text.startswith("Nothing was recorded:")
        assert len(reply.text) <= len("Nothing was recorded: ") + MAX_PROBLEM + 10
        shown = reply.text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        longest = max((len(w) for w in shown.replace("'", " ").replace('"', " ").split()), default=0)
        assert longest <= MAX_QUOTED + 1, reply.text
        assert "<!" not in reply.text and "<@" not in reply.text


_ODD_IDS = st.one_of(
    st.text(alphabet="²³¹٣٤٥۶߇०१", min_size=1, max_size=6),
    st.integers(min_value=10**9, max_value=10**40).map(str),
    st.text(alphabet=string.ascii_letters + "-_.", min_size=1, max_size=30).filter(lambda t: t.strip()),
)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(_ODD_IDS)
def test_cancel_with_an_impossible_id_says_which_reminder(harness: Harness, ident: str) -> None:
    """Issue 13 item 9: `/ilm-hr cancel ²` and 20-digit ids get a specific answer, never "Sorry"."""
    _, reply = harness.command("/ilm-hr", f"cancel {ident}", HR)
    assert reply is not None and reply.text.startswith("Nothing was cancelled:"), reply.text
    assert "no such reminder" in reply.text or "which reminder" in reply.text.lower()
    assert "went wrong" not in reply.text


def test_cancel_of_an_unknown_reminder_says_so(harness: Harness) -> None:
    _, reply = harness.command("/ilm-hr", "cancel 123456789", HR)
    assert reply is not None and "there is no reminder #123456789" in reply.text
