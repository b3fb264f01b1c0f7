"""`ilm-bot serve`: run the Slack app, in Socket Mode when SLACK_APP_TOKEN is set, else over HTTP on PORT.

Both modes serve /healthz, /readyz and /metrics on PORT, and stop gracefully
on SIGTERM or SIGINT within ILM_SHUTDOWN_SECONDS (``bot.runtime.lifecycle``).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from bot.cli.common import brain_or_exit, fail
from bot.runtime import logs
from bot.runtime.brain_holder import BrainHolder

EXIT_CONFIG = 1
#: Seconds between GIL hand-offs while ``serve`` runs (CPython's default is 0.005).
SWITCH_INTERVAL = 0.001


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="run the Slack app (Socket Mode with SLACK_APP_TOKEN, else HTTP on PORT)",
        description="Run the Slack app. With SLACK_APP_TOKEN set it connects in Socket Mode; otherwise it serves "
        "HTTP on PORT (default 3000): POST /slack/events. Both modes serve GET /healthz, /readyz and /metrics on "
        "PORT, and stop gracefully on SIGTERM or SIGINT within ILM_SHUTDOWN_SECONDS (default 20). "
        "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are required; see the README for the rest.",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: the Slack and database stacks load only when the app runs.
    from slack_sdk.errors import SlackApiError  # noqa: PLC0415

    from bot.learners.settings import RecordSettings  # noqa: PLC0415
    from bot.reminders.config import ReminderSettingError, ReminderSettings  # noqa: PLC0415
    from bot.reminders.scheduler import start_in_background  # noqa: PLC0415
    from bot.reminders.scheduling import qualification_title  # noqa: PLC0415
    from bot.runtime.answers import AnswerQueue  # noqa: PLC0415
    from bot.runtime.lifecycle import Lifecycle, StopSteps  # noqa: PLC0415
    from bot.runtime.metrics import REGISTRY, KnowledgeVersion  # noqa: PLC0415
    from bot.settings import Settings  # noqa: PLC0415
    from bot.slack.app import SocketModeEntry, build_app  # noqa: PLC0415
    from bot.slack.config import MissingSettingError, SlackSettings  # noqa: PLC0415
    from bot.slack.server import SlackHttp, create_server  # noqa: PLC0415
    from bot.slack.services import SlackServices  # noqa: PLC0415
    from bot.slack.sync import start_version_sync  # noqa: PLC0415

    config: Settings = args.settings  # read once, in bot.cli.main
    try:
        logs.configure(config.log_level_number)
        settings = SlackSettings.from_settings(config)
        reminder_settings = ReminderSettings.from_settings(config)
        record_settings = RecordSettings.from_settings(config)
        lifecycle = Lifecycle(config.ilm_shutdown_seconds)
        answers = AnswerQueue(capacity=config.ilm_answer_queue)
    except (MissingSettingError, ReminderSettingError) as exc:
        fail(str(exc), EXIT_CONFIG)
    _forget_secrets()
    # Hand the GIL over every millisecond instead of every 5: an ack waiting behind CPU-bound answers
    # (a large knowledge) gets its turn five times sooner.
    sys.setswitchinterval(SWITCH_INTERVAL)
    holder = BrainHolder(brain_or_exit(config.ilm_knowledge_dir, config.ilm_intents_dir))
    # a DatabaseError exits 1 with the reason (bot.cli.main)
    # None: the SQLite default
    services = SlackServices.create(settings, holder, config.secret("database_url"), record_settings)
    services.admin.register_start()
    start_version_sync(services.admin, config.ilm_sync_seconds)
    REGISTRY.register(KnowledgeVersion(holder))
    try:
        app = build_app(services, answers, stopping=lifecycle.stopping.is_set)
    except SlackApiError as exc:
        fail(f"Slack refused the bot token: {exc.response.get('error')}", EXIT_CONFIG)
    except Exception as exc:
        fail(f"cannot reach Slack at {settings.api_url}: {type(exc).__name__}", EXIT_CONFIG)
    reminders = start_in_background(
        services.db,
        reminder_settings,
        token=settings.bot_token,
        api_url=settings.api_url,
        title=lambda qualification: qualification_title(holder().knowledge, qualification),
        retention_days=record_settings.retention_days,
        knowledge=lambda: holder().knowledge,
    )

    def ready() -> bool:
        return not lifecycle.stopping.is_set() and services.ready()

    socket = SocketModeEntry(app, settings.app_token) if settings.socket_mode else None
    http = SlackHttp(None if socket else app, settings.signing_secret, ready)
    server = create_server(http, settings.port, per_client=config.ilm_http_connections_per_client)
    lifecycle.install(
        StopSteps(
            stop_intake=socket.close if socket else lambda: None,
            finish_answers=answers.drain,
            release=services.failed_delivery,
            finish_reminders=reminders.stop,
            stop_server=server.stop,
        )
    )
    if socket:
        logging.getLogger("ilm_bot").info("connecting to Slack in Socket Mode")
        socket.connect()
    server.run()  # until the graceful stop closes it
    server.task_dispatcher.shutdown()
    answers.shutdown(wait=False)
    services.db.dispose()
    logging.getLogger("ilm_bot").info("stopped")
    return 0


def _forget_secrets() -> None:
    """Read once into the settings; out of the environment, so Bolt and child processes never read them.

    (Bolt reads SLACK_BOT_TOKEN itself and warns that "`token` will be unused" beside our client.)
    """
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        os.environ.pop(name, None)
