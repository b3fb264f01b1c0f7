"""`ilm-bot serve`: run the Slack app, in Socket Mode when SLACK_APP_TOKEN is set, else over HTTP on PORT."""

from __future__ import annotations

import argparse
import logging

from bot.cli.common import brain_or_exit, fail
from bot.runtime import logs
from bot.runtime.brain_holder import BrainHolder

EXIT_CONFIG = 1


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="run the Slack app (Socket Mode with SLACK_APP_TOKEN, else HTTP on PORT)",
        description="Run the Slack app. With SLACK_APP_TOKEN set it connects in Socket Mode; otherwise it serves "
        "HTTP on PORT (default 3000): POST /slack/events, GET /healthz and GET /readyz. SLACK_BOT_TOKEN and "
        "SLACK_SIGNING_SECRET are required; see the README for the rest.",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: the Slack and database stacks load only when the app runs.
    from slack_bolt.adapter.socket_mode import SocketModeHandler  # noqa: PLC0415
    from slack_sdk.errors import SlackApiError  # noqa: PLC0415

    from bot.reminders.config import ReminderSettingError, ReminderSettings  # noqa: PLC0415
    from bot.reminders.scheduler import start_in_background  # noqa: PLC0415
    from bot.reminders.scheduling import qualification_title  # noqa: PLC0415
    from bot.runtime.metrics import REGISTRY, KnowledgeVersion  # noqa: PLC0415
    from bot.slack.app import build_app  # noqa: PLC0415
    from bot.slack.config import MissingSettingError, SlackSettings  # noqa: PLC0415
    from bot.slack.server import SlackHttp, serve  # noqa: PLC0415
    from bot.slack.services import SlackServices  # noqa: PLC0415
    from bot.slack.sync import start_version_sync, sync_seconds  # noqa: PLC0415

    logs.configure()
    try:
        settings = SlackSettings.from_env()
        reminder_settings = ReminderSettings.from_env()
        sync_every = sync_seconds()
    except (MissingSettingError, ReminderSettingError, ValueError) as exc:
        fail(str(exc), EXIT_CONFIG)
    holder = BrainHolder(brain_or_exit())
    services = SlackServices.create(settings, holder)  # a DatabaseError exits 1 with the reason (bot.cli.main)
    services.admin.register_start()
    start_version_sync(services.admin, sync_every)
    REGISTRY.register(KnowledgeVersion(holder))
    try:
        app = build_app(services)
    except SlackApiError as exc:
        fail(f"Slack refused the bot token: {exc.response.get('error')}", EXIT_CONFIG)
    except Exception as exc:
        fail(f"cannot reach Slack at {settings.api_url}: {type(exc).__name__}", EXIT_CONFIG)
    start_in_background(
        services.db,
        reminder_settings,
        token=settings.bot_token,
        api_url=settings.api_url,
        title=lambda qualification: qualification_title(holder().knowledge, qualification),
    )
    if settings.socket_mode:
        logging.getLogger("ilm_bot").info("connecting to Slack in Socket Mode")
        SocketModeHandler(app, settings.app_token).start()
    else:
        serve(SlackHttp(app, settings.signing_secret, services.ready), settings.port)
    return 0
