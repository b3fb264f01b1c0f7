"""Reading `/ilm-hr remind <target> <when> <message>`: times, time zones and DST, targets, the split, the
modal's form and the reminder list's blocks.

Pure: ``now`` and the zone are given, so every rule is checked at exact instants.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.reminders import command, messages, target, when
from bot.reminders.config import ReminderSettingError, ReminderSettings
from bot.reminders.when import DaysAhead, Later, Moment, Repeat, WallClock, Weekly
from bot.slack.blocks import MAX_MESSAGE_BLOCKS, reminder_list_blocks
from bot.slack.forms import FormError
from bot.slack.listeners.views.reminder import read_form

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # a Friday


def at(text: str, now: datetime = NOW, tz: ZoneInfo = LONDON) -> when.Schedule:
    return when.schedule(when.parse(text), now, tz)


# -- <when> -------------------------------------------------------------------------------------------


def test_iso_with_an_offset_is_that_instant_whatever_the_zone() -> None:
    assert when.parse("2026-12-01T09:00:00+00:00") == Moment(datetime(2026, 12, 1, 9, tzinfo=UTC))
    assert at("2026-12-01T09:00:00+01:00", tz=NEW_YORK).first == datetime(2026, 12, 1, 8, tzinfo=UTC)
    assert at("2026-12-01T09:00Z").first == datetime(2026, 12, 1, 9, tzinfo=UTC)


def test_times_without_an_offset_are_read_in_the_hr_users_zone() -> None:
    assert when.parse("2026-12-01T09:00:00") == WallClock(datetime(2026, 12, 1, 9))
    assert at("2026-12-01T09:00:00", tz=NEW_YORK).first == datetime(2026, 12, 1, 14, tzinfo=UTC)
    assert at("2026-12-01 09:00", tz=NEW_YORK).first == datetime(2026, 12, 1, 14, tzinfo=UTC)
    assert at("2027-07-01 09:00").first == datetime(2027, 7, 1, 8, tzinfo=UTC)  # BST


def test_tomorrow_and_in_n() -> None:
    assert when.parse("tomorrow 9:05") == DaysAhead(1, time(9, 5))
    assert at("tomorrow 09:00").first == datetime(2026, 11, 21, 9, tzinfo=UTC)
    assert at("tomorrow 09:00", tz=NEW_YORK).first == datetime(2026, 11, 21, 14, tzinfo=UTC)
    assert at("in 30 minutes").first == NOW + timedelta(minutes=30)
    assert at("in 1 hour").first == NOW + timedelta(hours=1)
    assert when.parse("in 2 days") == Later(2, "days")


def test_dst_tomorrow_and_in_days_keep_the_wall_clock_time() -> None:
    saturday = datetime(2026, 3, 28, 10, 0, tzinfo=UTC)  # 10:00 GMT; clocks go forward that night
    assert at("tomorrow 10:00", saturday).first == datetime(2026, 3, 29, 9, tzinfo=UTC)  # 10:00 BST
    assert at("in 1 day", saturday).first == datetime(2026, 3, 29, 9, tzinfo=UTC)
    assert at("in 24 hours", saturday).first == datetime(2026, 3, 29, 10, tzinfo=UTC)  # hours are hours


def test_a_time_skipped_by_the_clocks_is_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match="does not exist in Europe/London"):
        at("2027-03-28 01:30", datetime(2027, 3, 1, tzinfo=UTC))


def test_past_times_are_refused_saying_when_now_is() -> None:
    for text in ("2026-11-20T11:59:00+00:00", "2026-11-20 11:00", "2020-01-01 09:00"):
        with pytest.raises(ValueError, match=r"is in the past \(it is now Fri 20 Nov 2026, 12:00 GMT\)"):
            at(text)
    with pytest.raises(ValueError, match="in the past"):
        at("today 08:00")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("soon", "can't read 'soon' as a time"),
        ("every funday 09:00", "'funday' is not a day of the week"),
        ("every monday", "missing a time after 'every monday'"),
        ("every monday 9am", "'9am' is not a time"),
        ("every monday 09:00 until next-year", "'next-year' is not a date"),
        ("in 0 minutes", "'0' is not a positive whole number"),
        ("in five minutes", "'five' is not a positive whole number"),
        ("in 3 weeks", "'weeks' is not minutes, hours or days"),
        ("in 3", "missing minutes, hours or days"),
        ("tomorrow 25:00", "'25:00' is not a time"),
        ("2026-02-30 09:00", "'2026-02-30' is not a date"),
        ("2026-12-01", r"missing a time \(HH:MM\) after 2026-12-01"),
        ("2026-12-01T25:00", "not an ISO 8601 date-time"),
        ("", "when should it be sent"),
    ],
)
def test_unreadable_times_say_what_is_wrong(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        when.parse(text)


def test_far_future_overflow_is_a_clear_refusal() -> None:
    with pytest.raises(ValueError, match="too far ahead"):
        at("in 999999999 days")


def test_every_weekday_repeats_until_the_date_inclusive() -> None:
    spec = when.parse("every mon 09:00 until 2026-12-07")
    assert spec == Weekly(0, time(9), date(2026, 12, 7))
    schedule = when.schedule(spec, NOW, LONDON)
    assert schedule.first == datetime(2026, 11, 23, 9, tzinfo=UTC)
    assert schedule.repeat == Repeat(0, time(9), "Europe/London", date(2026, 12, 7))
    second = schedule.repeat.next_after(schedule.first)
    assert second == datetime(2026, 11, 30, 9, tzinfo=UTC)
    assert schedule.repeat.next_after(second) == datetime(2026, 12, 7, 9, tzinfo=UTC)
    assert schedule.repeat.next_after(datetime(2026, 12, 7, 9, tzinfo=UTC)) is None
    assert Repeat.from_json(schedule.repeat.to_json()) == schedule.repeat


def test_every_today_later_is_today_and_until_before_the_first_is_refused() -> None:
    assert at("every friday 13:00").first == datetime(2026, 11, 20, 13, tzinfo=UTC)
    assert at("every friday 12:00").first == datetime(2026, 11, 27, 12, tzinfo=UTC)  # 12:00 is now: next week
    with pytest.raises(ValueError, match="no Monday 09:00 between now and 2026-11-22"):
        at("every monday 09:00 until 2026-11-22")


def test_weekly_across_dst_stays_at_local_time_and_a_skipped_time_is_sent_after_the_gap() -> None:
    rule = Repeat(6, time(1, 30), "Europe/London")  # Sundays 01:30
    before = rule.next_after(datetime(2026, 3, 22, 1, 30, tzinfo=UTC))
    assert before == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 01:30 GMT doesn't exist that day: 02:30 BST
    assert rule.next_after(before) == datetime(2026, 4, 5, 0, 30, tzinfo=UTC)  # 01:30 BST
    autumn = Repeat(6, time(1, 30), "Europe/London").next_after(datetime(2026, 10, 20, tzinfo=UTC))
    assert autumn == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 happens twice: the first


ZONES = ["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]


@given(
    zone=st.sampled_from(ZONES),
    weekday=st.integers(0, 6),
    at_=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    after=st.datetimes(datetime(2025, 1, 1), datetime(2030, 12, 31)).map(lambda d: d.replace(tzinfo=UTC)),
)
def test_next_occurrence_is_the_first_after_on_that_weekday_at_that_time(
    zone: str, weekday: int, at_: time, after: datetime
) -> None:
    rule = Repeat(weekday, at_, zone)
    tz = ZoneInfo(zone)
    nxt = rule.next_after(after)
    assert nxt is not None and after < nxt <= after + timedelta(days=7, hours=3)
    local = nxt.astimezone(tz)
    assert local.weekday() == weekday
    assert when.to_utc(datetime.combine(local.date(), at_), tz) == nxt
    if local.time() != at_:  # only a time the clocks skip that day moves (to just after the gap)
        with pytest.raises(ValueError, match="does not exist"):
            when.to_utc(datetime.combine(local.date(), at_), tz, strict=True)
    week_before = when.to_utc(datetime.combine(local.date() - timedelta(days=7), at_), tz)
    assert week_before <= after  # nothing was skipped: nxt is the first occurrence after ``after``


def test_local_times_are_shown_with_the_zone() -> None:
    assert when.format_local(datetime(2026, 12, 1, 14, tzinfo=UTC), NEW_YORK) == "Tue 1 Dec 2026, 09:00 EST"
    assert when.zone("Not/AZone").key == "UTC" and when.zone(None).key == "UTC"


# -- targets -------------------------------------------------------------------------------------------


def test_targets() -> None:
    assert target.parse("<#C0123ABC|general>") == target.ChannelTarget("C0123ABC", "general")
    assert target.parse("<#G0123ABC>") == target.ChannelTarget("G0123ABC")
    assert target.parse("C0123ABCD") == target.ChannelTarget("C0123ABCD")
    assert target.parse("learners:l3-award-mentoring") == target.LearnersTarget("l3-award-mentoring")
    assert target.parse('Learners:"C&amp;M"') == target.LearnersTarget("C&M")
    with pytest.raises(ValueError, match="type # and pick the channel"):
        target.parse("#general")
    with pytest.raises(ValueError, match="not a target"):
        target.parse("@sam")
    with pytest.raises(ValueError, match="which qualification"):
        target.parse("learners:")


# -- the whole command -----------------------------------------------------------------------------------


def test_channel_iso_and_the_message_exactly_as_written() -> None:
    text = "<#C0123ABC|general>  2026-12-01T09:00:00+00:00   Enrolment closes <!channel>  &amp; more\nline two "
    parsed = command.parse(text)
    assert parsed.target == target.ChannelTarget("C0123ABC", "general")
    assert parsed.when == Moment(datetime(2026, 12, 1, 9, tzinfo=UTC))
    assert parsed.message == "Enrolment closes <!channel>  &amp; more\nline two"


def test_a_multi_word_qualification_then_the_longest_when() -> None:
    parsed = command.parse("learners:award in mentoring every monday 09:00 until 2026-12-31 Log your hours")
    assert parsed.target == target.LearnersTarget("award in mentoring")
    assert parsed.when == Weekly(0, time(9), date(2026, 12, 31))
    assert parsed.message == "Log your hours"
    parsed = command.parse("learners:certificate in mentoring in 2 hours Submit your log")
    assert (parsed.target, parsed.when, parsed.message) == (
        target.LearnersTarget("certificate in mentoring"),
        Later(2, "hours"),
        "Submit your log",
    )


@pytest.mark.parametrize(
    ("text", "qualification", "spec", "message"),
    [
        ('learners:"award in mentoring" tomorrow 09:00 Hi', "award in mentoring", DaysAhead(1, time(9)), "Hi"),
        ("learners: C&amp;M 2026-12-01 09:00 New cohort", "C&M", WallClock(datetime(2026, 12, 1, 9)), "New cohort"),
        ("learners:l3-award-mentoring in 5 minutes x", "l3-award-mentoring", Later(5, "minutes"), "x"),
    ],
)
def test_learner_targets_in_every_form(text: str, qualification: str, spec: when.Spec, message: str) -> None:
    parsed = command.parse(text)
    assert (parsed.target, parsed.when, parsed.message) == (target.LearnersTarget(qualification), spec, message)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "write `/ilm-hr remind"),
        ("<#C0123ABC|general> tomorrow 09:00", "the message is empty"),
        ("<#C0123ABC|general> tomorrow 09:00   ", "the message is empty"),
        ("<#C0123ABC|general> every funday 09:00 Hi", "'funday' is not a day of the week"),
        ("<#C0123ABC|general> next week Hi", "can't read 'next' as a time"),
        ("learners:award in mentoring every funday 09:00 Hi", "'funday' is not a day of the week"),
        ("learners:award in mentoring sometime Hi", "after the learners' qualification, write when"),
        ("learners: tomorrow 09:00 Hi", "which qualification"),
        ('learners:"award in mentoring tomorrow 09:00 Hi', "no closing"),
        ("#general tomorrow 09:00 Hi", "type # and pick the channel"),
    ],
)
def test_bad_commands_name_the_part_that_is_wrong(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        command.parse(text)


# -- texts ---------------------------------------------------------------------------------------------


def test_modal_text_is_escaped_like_a_command_but_slack_sequences_are_kept() -> None:
    raw = "<!channel> deadline: a & b <c> see <https://example.com|the form> or <@U123> in <#C0123ABC|general>"
    assert messages.from_input(raw) == (
        "<!channel> deadline: a &amp; b &lt;c&gt; see <https://example.com|the form> or <@U123> in <#C0123ABC|general>"
    )


def test_quotes_shown_back_to_hr_never_broadcast() -> None:
    assert messages.quote("<!channel> hi\nthere") == "> ‹!channel> hi\n> there"
    assert messages.duration(timedelta(hours=6)) == "6 hours" and messages.duration(timedelta(minutes=1)) == "1 minute"


# -- settings --------------------------------------------------------------------------------------------


def test_settings_from_the_environment() -> None:
    settings = ReminderSettings.from_env({"ILM_REMINDER_GRACE": "90m", "ILM_REMINDER_POLL_SECONDS": "0.5"})
    assert settings.grace == timedelta(minutes=90) and settings.poll_seconds == 0.5
    assert ReminderSettings.from_env({}).grace == timedelta(hours=6)
    assert ReminderSettings.from_env({"ILM_REMINDER_GRACE": "3600"}).grace == timedelta(hours=1)
    with pytest.raises(ReminderSettingError, match="ILM_REMINDER_GRACE must be a positive duration"):
        ReminderSettings.from_env({"ILM_REMINDER_GRACE": "soon"})
    with pytest.raises(ReminderSettingError, match="at least 3 x"):
        ReminderSettings.from_env({"ILM_REMINDER_SEND_TIMEOUT": "30", "ILM_REMINDER_LEASE_SECONDS": "60"})


# -- Slack rendering and the modal's form --------------------------------------------------------------------


def test_the_list_fits_slacks_limits_and_every_reminder_has_its_own_cancel_button() -> None:
    text, blocks = reminder_list_blocks([(n, f"*#{n}* · soon") for n in range(1, 61)], note="times in EST")
    assert text == "60 upcoming reminders" and len(blocks) <= MAX_MESSAGE_BLOCKS
    buttons = [b["accessory"] for b in blocks if "accessory" in b]
    assert len({b["action_id"] for b in buttons}) == len(buttons) >= 40
    assert [b["value"] for b in buttons[:3]] == ["1", "2", "3"] and buttons[0]["confirm"]["style"] == "danger"
    assert blocks[-1]["type"] == "context" and "more" in blocks[-1]["elements"][0]["text"]
    empty_text, empty = reminder_list_blocks([])
    assert "No reminders are scheduled" in empty_text and len(empty) == 1


def test_the_modal_form_is_read_and_contradictions_are_shown_beside_their_fields() -> None:
    def field(kind: str, **value: object) -> dict[str, object]:
        return {"value": {"type": kind, **value}}

    values = {
        "learners": field("static_select", selected_option={"value": "l3-award-mentoring"}),
        "when": field("datetimepicker", selected_date_time=1_800_000_000),
        "message": field("plain_text_input", value="  Cohort <!here> & co  "),
        "repeat": field("checkboxes", selected_options=[{"value": "weekly"}]),
        "until": field("datepicker", selected_date="2027-03-01"),
    }
    form = read_form({"state": {"values": values}})
    assert form.target == target.LearnersTarget("l3-award-mentoring")
    assert form.at == datetime.fromtimestamp(1_800_000_000, UTC) and form.weekly and form.until == date(2027, 3, 1)
    assert form.text == "Cohort <!here> &amp; co"
    with pytest.raises(FormError) as err:
        both = {**values, "channel": field("conversations_select", selected_conversation="C1"), "repeat": {}}
        read_form({"state": {"values": both}})
    assert set(err.value.errors) == {"channel", "learners", "until"}
    with pytest.raises(FormError) as err:
        read_form({"state": {"values": {"message": field("plain_text_input", value=" ")}}})
    assert set(err.value.errors) == {"channel", "learners", "when", "message"}


def test_a_picked_time_in_the_past_or_an_end_before_the_start_is_refused() -> None:
    with pytest.raises(ValueError, match="in the past"):
        when.picked(NOW - timedelta(minutes=1), NOW, LONDON, weekly=False, until=None)
    with pytest.raises(ValueError, match=r"'until' \(2026-11-01\) is before the first reminder"):
        when.picked(NOW + timedelta(days=1), NOW, LONDON, weekly=True, until=date(2026, 11, 1))
    weekly = when.picked(datetime(2026, 11, 23, 9, 30, tzinfo=UTC), NOW, NEW_YORK, weekly=True, until=None)
    assert weekly.repeat == Repeat(0, time(4, 30), "America/New_York")


@pytest.mark.parametrize(
    "text", ["0001-01-01T00:00+14:00", "0001-01-01T13:59+14:00", "0001-01-01 00:00", "0001-01-01T05:00+05:30"]
)
def test_the_first_moments_of_the_calendar_are_in_the_past_not_too_far_ahead(text: str) -> None:
    with pytest.raises(ValueError, match=r"is in the past \(it is now"):
        at(text, tz=ZoneInfo("Pacific/Kiritimati"))


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59)),
    st.integers(min_value=-14 * 60, max_value=14 * 60),
)
def test_any_iso_moment_is_scheduled_or_refused_as_past_or_too_far_ahead(moment: datetime, offset: int) -> None:
    """Whatever the offset does at the ends of the calendar, the refusal points the right way."""
    moment = moment.replace(second=0, microsecond=0)
    past = moment <= NOW.replace(tzinfo=None) + timedelta(minutes=offset)  # the instant, compared without overflow
    try:
        schedule = at(moment.isoformat() + _offset(offset))
    except ValueError as exc:
        assert ("in the past" if past else "too far ahead") in str(exc)
    else:
        assert not past and schedule.first > NOW


def _offset(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


# -- narrowed learners: targets (issue 15) --------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@pytest.mark.parametrize(
    ("text", "qualification", "audience"),
    [
        ("learners:award in mentoring:not-achieved", "award in mentoring", "not-achieved"),
        ("learners:C&amp;M : Stalled", "C&M", "stalled"),
        ("learners:l3-award-mentoring:stalled-45", "l3-award-mentoring", "stalled-45"),
        ('learners:"award in mentoring":not-achieved', "award in mentoring", "not-achieved"),
        ("learners:award in mentoring", "award in mentoring", None),
    ],
)
def test_learners_targets_may_be_narrowed(text: str, qualification: str, audience: str | None) -> None:
    assert target.parse(text) == target.LearnersTarget(qualification, audience)


def test_a_narrowed_target_in_a_whole_remind_command() -> None:
    parsed = command.parse("learners:award in mentoring:stalled-14 every monday 09:00 Log your hours")
    assert parsed.target == target.LearnersTarget("award in mentoring", "stalled-14")
    assert parsed.message == "Log your hours"


@settings(max_examples=200, deadline=None, derandomize=True)
@given(days=st.integers(-5, 100_000), name=st.sampled_from(["award", "C&M", "l3-award-mentoring"]))
def test_stalled_days_are_in_range_or_refused(days: int, name: str) -> None:
    text = f"learners:{name}:stalled-{days}"
    if days < 0:  # not the grammar: the whole text is the qualification name, refused by the caller later
        assert target.parse(text).audience is None
        return
    try:
        found = target.parse(text)
    except ValueError as exc:
        assert "stalled for how long" in str(exc) and not 1 <= days <= target.MAX_STALLED_DAYS
        return
    assert found == target.LearnersTarget(name, f"stalled-{days}") and 1 <= days <= target.MAX_STALLED_DAYS
    assert target.stalled_days(found.audience, 30) == days
