"""One subcommand router for every slash command: `/ilm`, `/ilm-hr` and `/ilm-admin`.

Each subcommand is declared once — its words, what it does, one handler taking
a :class:`CommandRequest` — and the help text is generated from those
declarations, so help can't drift from what the command accepts. A handler
raises :class:`~bot.errors.InputError` for a mistake in what was typed; the
router shows it (prefixed with what didn't happen) and nothing else: any other
exception is a bug and goes on to Bolt's global error handler.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.errors import InputError
from bot.slack import replies
from bot.slack.blocks import Block
from bot.slack.command_text import split
from bot.slack.services import SlackServices


@dataclass(frozen=True)
class CommandRequest:
    """Everything a subcommand handler gets: who asked, the words after the subcommand, and how to answer."""

    services: SlackServices
    command: str
    user: str
    rest: str
    text: str
    respond: Respond
    client: WebClient
    trigger_id: str | None = None
    channel: str | None = None

    def reply(self, text: str, blocks: list[Block] | None = None) -> None:
        """An ephemeral reply; ``text`` is escaped in ``replies.say`` (the only place), blocks are built escaped."""
        replies.say(self.respond, text, **({"blocks": blocks} if blocks is not None else {}))


Handler = Callable[[CommandRequest], None]


@dataclass(frozen=True)
class Subcommand:
    name: str
    handler: Handler
    #: What follows the name in help, e.g. ``<qualification>``.
    args: str = ""
    summary: str = ""
    aliases: tuple[str, ...] = ()
    #: Said before an input error, e.g. "Nothing was recorded:".
    refused: str = "Nothing was done:"
    #: Said after an input error, e.g. the usage line.
    hint: str = ""


@dataclass(frozen=True)
class Router:
    command: str
    subcommands: Sequence[Subcommand]
    #: Handles text that starts with no known subcommand (``/ilm <question>``); None means "show help".
    default: Handler | None = None
    #: The help line for ``default`` (e.g. ``("<question>", "ask anything…")``).
    default_help: tuple[str, str] | None = None
    intro: str = ""
    _index: dict[str, Subcommand] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {name: sub for sub in self.subcommands for name in (sub.name, *sub.aliases)}
        object.__setattr__(self, "_index", index)

    def find(self, word: str) -> Subcommand | None:
        return self._index.get(word)

    def help_lines(self) -> list[tuple[str, str]]:
        """(usage, what it does) per subcommand, in declaration order; the source of every help text."""
        lines = [(f"{self.command} {self.default_help[0]}", self.default_help[1])] if self.default_help else []
        lines += [
            (" ".join(p for p in (self.command, sub.name, sub.args) if p), sub.summary) for sub in self.subcommands
        ]
        return lines

    def help_text(self) -> str:
        lines = [self.intro] if self.intro else []
        lines += [f"• `{usage}` — {summary}" for usage, summary in self.help_lines()]
        return "\n".join(lines)

    def dispatch(self, request: CommandRequest) -> None:
        sub = self.find(split(request.text)[0])
        if sub is None:
            if self.default is not None and request.text.strip():
                self._run(self.default, request, "", "")
            else:
                request.reply(self.help_text())
            return
        self._run(sub.handler, request, sub.refused, sub.hint)

    def _run(self, handler: Handler, request: CommandRequest, refused: str, hint: str) -> None:
        try:
            handler(request)
        except InputError as exc:
            request.reply(" ".join(p for p in (refused, replies.problem(exc)) if p) + (f"\n{hint}" if hint else ""))


def request_from(
    command: dict[str, Any], services: SlackServices, respond: Respond, client: WebClient
) -> CommandRequest:
    text = str(command.get("text") or "")
    return CommandRequest(
        services=services,
        command=str(command.get("command") or ""),
        user=str(command["user_id"]),
        rest=split(text)[1],
        text=text,
        respond=respond,
        client=client,
        trigger_id=command.get("trigger_id"),
        channel=command.get("channel_id"),
    )
