"""`ilm-bot manifest [--socket-mode | --url https://host]`: print the Slack app manifest for that mode."""

from __future__ import annotations

import argparse

from bot.cli.common import UsageError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "manifest",
        help="print the Slack app manifest (Socket Mode, or HTTP with --url)",
        description="Print the Slack app manifest (YAML) built from the events, commands, shortcuts and scopes the "
        "app registers. Paste it at https://api.slack.com/apps when creating or updating the app. Socket Mode is "
        "the default; --url https://host gives HTTP mode with every request URL at https://host/slack/events.",
    )
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--socket-mode", action="store_true", help="Socket Mode (the default): no public URL needed")
    mode.add_argument("--url", metavar="https://host", help="HTTP mode: the bot's public https address")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from bot.slack.manifest import ManifestError, render  # noqa: PLC0415  (the Slack stack loads only here)

    try:
        text = render(args.url)
    except ManifestError as exc:
        raise UsageError(str(exc)) from None
    print(text, end="")
    return 0
