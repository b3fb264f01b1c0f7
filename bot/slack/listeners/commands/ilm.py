"""`/ilm`: questions and the learner's own record (enrol, done, log, progress, forget-me).

Every reply is ephemeral: slash commands are typed in channels, and what they
show (answers to personal questions, progress, confirmations) is the asker's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.learners import actions
from bot.learners.progress import progress_of
from bot.slack import command_text, home, replies
from bot.slack.blocks import confirm_forget_blocks, help_blocks, progress_message
from bot.slack.services import SlackServices

HELP = (
    ("/ilm <question>", "ask anything about the qualifications; only you see the answer"),
    ("/ilm enrol <qualification>", "start your record on a qualification"),
    ("/ilm done <unit> [<unit> ...]", "record units you have achieved"),
    ("/ilm log <hours>h <kind> [note]", "log hours of induction, tutorial, coaching or mentoring"),
    ("/ilm progress", "your progress: units, credits, hours and the next step"),
    ("/ilm forget-me", "erase everything stored about you (asks first)"),
)
Reply = Callable[[Respond, SlackServices, str, str], None]


def register(app: App, s: SlackServices) -> None:
    @app.command("/ilm")
    def ilm(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        ack()
        sub, rest = command_text.split(command.get("text", ""))
        handler = ILM.get(sub) if sub else _help
        if handler is None:
            question = command.get("text", "")
            answer = s.assistant.reply(command["user_id"], question)
            text, blocks = replies.message(answer, question, asker=command["user_id"])
            respond(text=text, blocks=blocks, response_type="ephemeral")
            return
        handler(respond, s, command["user_id"], rest)


def _help(respond: Respond, s: SlackServices, user: str, rest: str) -> None:
    text, blocks = help_blocks(home.capabilities_text(s.brain()), list(HELP))
    respond(text=text, blocks=blocks, response_type="ephemeral")


def _self(user: str) -> actions.Who:
    return actions.Who(user=user, actor=f"slack:{user}", source="self", name="you")


def _change(respond: Respond, change: Callable[[], str]) -> None:
    """Run a change to the asker's record; bad input is explained and nothing is recorded."""
    try:
        text = change()
    except ValueError as exc:
        text = f"Nothing was recorded: {exc}"
    replies.say(respond, text)


def _enrol(respond: Respond, s: SlackServices, user: str, rest: str) -> None:
    if not rest:
        respond(text="Which qualification? For example `/ilm enrol award in mentoring`.", response_type="ephemeral")
        return
    _change(respond, lambda: actions.enrol(s.learners, s.brain().knowledge, _self(user), rest, date.today()))


def _done(respond: Respond, s: SlackServices, user: str, rest: str) -> None:
    _change(respond, lambda: actions.done(s.learners, s.brain().knowledge, _self(user), [rest], date.today()))


def _log(respond: Respond, s: SlackServices, user: str, rest: str) -> None:
    def change() -> str:
        args = command_text.log_args(rest)
        return actions.log(
            s.learners, s.brain().knowledge, _self(user), args.hours, args.kind, date.today(), note=args.note
        )

    _change(respond, change)


def _progress(respond: Respond, s: SlackServices, user: str, rest: str) -> None:
    show_progress(respond, s, user)


def show_progress(respond: Respond, s: SlackServices, learner: str, *, mine: bool = True) -> None:
    """A learner's progress, to themself (``mine``) or to HR."""
    brain = s.brain()
    record = s.learners.learner(learner)
    if not record.enrolments:
        text = brain.templates.render("my_progress", "no_record" if mine else "no_record_hr", user=learner)
        respond(text=text, response_type="ephemeral")
        return
    text, blocks = progress_message(
        progress_of(record, brain.knowledge, brain.engine).to_dict(), knowledge=brain.knowledge
    )
    respond(text=text, blocks=blocks, response_type="ephemeral")


def _forget(respond: Respond, s: SlackServices, user: str, rest: str) -> None:
    text, blocks = confirm_forget_blocks()
    respond(text=text, blocks=blocks, response_type="ephemeral")


ILM: dict[str, Reply] = {
    "help": _help,
    "enrol": _enrol,
    "enroll": _enrol,
    "done": _done,
    "log": _log,
    "progress": _progress,
    "forget-me": _forget,
}
