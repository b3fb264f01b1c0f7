"""Modal submissions. A problem is shown beside the field it concerns (``response_action: errors``)."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.access import HR, requires
from bot.slack.blocks import REMINDER_MODAL
from bot.slack.blocks.forms import EXPERT_MODAL, LOG_HOURS_MODAL, RECORD_UNIT_MODAL
from bot.slack.blocks.records import VIEW_IMPORT, VIEW_SIGN_OFF_REJECT
from bot.slack.listeners.views.expert_answer import expert_answer_submitted
from bot.slack.listeners.views.log_hours import log_hours_submitted
from bot.slack.listeners.views.record_unit import record_unit_submitted
from bot.slack.listeners.views.records import import_submitted, sign_off_reason_submitted
from bot.slack.listeners.views.reminder import reminder_submitted


def register(app: App) -> None:
    app.view(REMINDER_MODAL, middleware=[requires(HR)])(reminder_submitted)
    app.view(EXPERT_MODAL, middleware=[requires(HR)])(expert_answer_submitted)
    app.view(LOG_HOURS_MODAL)(log_hours_submitted)
    app.view(RECORD_UNIT_MODAL)(record_unit_submitted)
    app.view(VIEW_SIGN_OFF_REJECT)(sign_off_reason_submitted)  # the store checks the submitter is the supervisor
    app.view(VIEW_IMPORT, middleware=[requires(HR)])(import_submitted)
