"""Button clicks: clarification choices, 👍/👎, Home examples, forget-me, reminder Cancel, Ask HR and Answer."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.access import HR, requires
from bot.slack.blocks import (
    ACTION_ANSWER_EXPERT,
    ACTION_ASK_EXPERT,
    ACTION_CHOOSE,
    ACTION_EXAMPLE,
    ACTION_FEEDBACK_DOWN,
    ACTION_FEEDBACK_UP,
    ACTION_FORGET_CANCEL,
    ACTION_FORGET_CONFIRM,
    ACTION_REMINDER_CANCEL,
    action_pattern,
)
from bot.slack.blocks.records import (
    ACTION_HOME_COHORT,
    ACTION_HOME_MINE,
    ACTION_HOURS_DELETE,
    ACTION_IMPORT_CANCEL,
    ACTION_IMPORT_CONFIRM,
    ACTION_SIGN_OFF_CONFIRM,
    ACTION_SIGN_OFF_REJECT,
)
from bot.slack.listeners.actions.choose import choose_qualification
from bot.slack.listeners.actions.example import ask_example
from bot.slack.listeners.actions.experts import answer_expert, ask_expert
from bot.slack.listeners.actions.feedback import feedback_down, feedback_up
from bot.slack.listeners.actions.forget import forget_cancel, forget_confirm
from bot.slack.listeners.actions.records import (
    home_cohort,
    home_mine,
    hours_delete,
    import_cancel,
    import_confirm,
    sign_off_confirm,
    sign_off_reject,
)
from bot.slack.listeners.actions.reminder_cancel import reminder_cancel


def register(app: App) -> None:
    app.action(action_pattern(ACTION_CHOOSE))(choose_qualification)
    app.action(ACTION_FEEDBACK_UP)(feedback_up)
    app.action(ACTION_FEEDBACK_DOWN)(feedback_down)
    app.action(action_pattern(ACTION_EXAMPLE))(ask_example)
    app.action(ACTION_FORGET_CONFIRM)(forget_confirm)
    app.action(ACTION_FORGET_CANCEL)(forget_cancel)
    app.action(action_pattern(ACTION_REMINDER_CANCEL), middleware=[requires(HR)])(reminder_cancel)
    app.action(ACTION_ASK_EXPERT)(ask_expert)
    app.action(ACTION_ANSWER_EXPERT, middleware=[requires(HR)])(answer_expert)
    app.action(ACTION_HOURS_DELETE)(hours_delete)  # the store lets a learner delete only their own entries
    app.action(ACTION_IMPORT_CONFIRM, middleware=[requires(HR)])(import_confirm)
    app.action(ACTION_IMPORT_CANCEL, middleware=[requires(HR)])(import_cancel)
    app.action(ACTION_SIGN_OFF_CONFIRM)(sign_off_confirm)  # the store checks the clicker is the supervisor
    app.action(ACTION_SIGN_OFF_REJECT)(sign_off_reject)
    app.action(ACTION_HOME_COHORT, middleware=[requires(HR)])(home_cohort)
    app.action(ACTION_HOME_MINE)(home_mine)
