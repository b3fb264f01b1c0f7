"""Issue 15 in Slack, in-process: corrections, my-data, App Home Delete, HR's corrections, CSV imports with a
preview and Confirm, supervisor sign-off, the cohort report. Every change and refusal is audited."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
from slack_payloads import app_home_opened, block_actions, message_im, view_submission

from bot.learners.settings import RecordSettings
from bot.slack.blocks.records import (
    ACTION_HOME_COHORT,
    ACTION_HOURS_DELETE,
    ACTION_IMPORT_CONFIRM,
    ACTION_SIGN_OFF_CONFIRM,
    ACTION_SIGN_OFF_REJECT,
    FIELD_IMPORT_FILE,
    VIEW_IMPORT,
    VIEW_SIGN_OFF_REJECT,
)
from listeners.harness import HR, Harness

AWARD = "l3-award-mentoring"


def audited(h: Harness, action: str, actor: str) -> bool:
    return any(e.action == action and e.actor == f"slack:{actor}" for e in h.services.learners.audit_entries(limit=500))


def buttons(blocks: list[dict[str, object]]) -> list[dict[str, object]]:
    found = [b.get("accessory") for b in blocks if isinstance(b.get("accessory"), dict)]
    found += [e for b in blocks if b.get("type") == "actions" for e in b["elements"]]  # type: ignore[union-attr]
    return found  # type: ignore[return-value]


@pytest.fixture
def sign_off(harness: Harness) -> Iterator[None]:
    """ILM_VERIFICATION=units for one test."""
    store = harness.services.learners
    before, store.settings = store.settings, RecordSettings(verification="units")
    yield
    store.settings = before


def test_a_learner_corrects_their_own_record(harness: Harness) -> None:
    h = harness
    h.command("/ilm", "enrol award in mentoring", "UREC1")
    h.command("/ilm", "done 8577-304 8577-307", "UREC1")
    _, reply = h.command("/ilm", "remove 8577-305", "UREC1")
    assert reply is not None and reply.text.startswith("Nothing was changed:") and "not recorded for you" in reply.text
    assert audited(h, "remove_unit_refused", "UREC1")
    _, reply = h.command("/ilm", "remove 8577-307", "UREC1")
    assert reply is not None and "Removed from the record of you: 8577-307" in reply.text
    _, reply = h.command("/ilm", "unenrol certificate in coaching", "UREC1")
    assert reply is not None and "You are not enrolled on the" in reply.text
    _, reply = h.command("/ilm", "unenrol award in mentoring", "UREC1")
    assert reply is not None and "Unenrolled you from the" in reply.text
    record = h.services.learners.learner("UREC1")
    assert record.enrolments == () and [u.unit for u in record.units] == ["8577-304"]


def test_naming_a_supervisor(harness: Harness) -> None:
    _, reply = harness.command("/ilm", "supervisor <@UREC2>", "UREC2")
    assert reply is not None and "can't be your own supervisor" in reply.text
    _, reply = harness.command("/ilm", "supervisor <@USUP2|sam>", "UREC2")
    assert reply is not None and "<@USUP2> is now your supervisor." in reply.text
    assert harness.services.learners.supervisor_of("UREC2") == "USUP2"


def test_my_data_arrives_as_a_file_in_a_dm_and_is_audited(harness: Harness) -> None:
    h = harness
    h.command("/ilm", "enrol award in mentoring", "UREC3")
    h.command("/ilm", "log 2h tutorial with my notes", "UREC3")
    mark = h.slack.mark()
    _, reply = h.command("/ilm", "my-data", "UREC3")
    assert reply is not None and "sent you everything" in reply.text
    [done] = h.calls_since(mark, "files.completeUploadExternal")
    assert done.params["channel_id"] == "DUREC3"
    file_id = (
        json.loads(done.params["files"])[0]["id"]
        if isinstance(done.params["files"], str)
        else done.params["files"][0]["id"]
    )
    document = json.loads(h.slack.file_content(file_id))
    assert document["user"] == "UREC3" and document["hours"][0]["note"] == "with my notes"
    assert audited(h, "export", "UREC3")


def test_app_home_lists_recent_entries_and_deletes_only_your_own(harness: Harness) -> None:
    h = harness
    h.command("/ilm", "enrol award in mentoring", "UREC4")
    h.command("/ilm", "log 1.5h mentoring first", "UREC4")
    other = h.services.learners.log_hours("UREC5", 1, "tutorial", on=date.today(), actor="t", source="hr")
    mark = h.slack.mark()
    h.event(app_home_opened("UREC4"))
    view = h.calls_since(mark, "views.publish")[-1]["view"]
    [delete] = [b for b in buttons(view["blocks"]) if b["action_id"] == ACTION_HOURS_DELETE]
    assert "confirm" in delete
    # Someone else's entry id in a forged click: refused, audited, nothing deleted.
    h.interactive(block_actions("UREC4", ACTION_HOURS_DELETE, str(other), view={"id": "VHOME"}))
    assert [e.id for e in h.services.learners.learner("UREC5").hours] == [other]
    assert audited(h, "unlog_hours_refused", "UREC4")
    h.interactive(block_actions("UREC4", ACTION_HOURS_DELETE, delete["value"], view={"id": "VHOME"}))
    assert h.services.learners.learner("UREC4").hours == ()
    republished = h.calls_since(mark, "views.publish")[-1]["view"]
    assert not [b for b in buttons(republished["blocks"]) if b["action_id"] == ACTION_HOURS_DELETE]


def test_hr_corrects_any_record_and_others_are_refused(harness: Harness) -> None:
    h = harness
    h.command("/ilm", "enrol award in mentoring", "UREC6")
    h.command("/ilm", "done 8577-304", "UREC6")
    h.command("/ilm", "log 1h tutorial", "UREC6")
    _, reply = h.command("/ilm-hr", "remove <@UREC6> 8577-304", "UREC7")  # not HR
    assert reply is not None and "only for HR" in reply.text
    assert [u.unit for u in h.services.learners.learner("UREC6").units] == ["8577-304"]
    _, reply = h.command("/ilm-hr", "hours <@UREC6>", HR)
    entry = h.services.learners.learner("UREC6").hours[0].id
    assert reply is not None and str(entry) in reply.text
    _, reply = h.command("/ilm-hr", "remove <@UNOBODY9> 8577-304", HR)
    assert reply is not None and "nothing is recorded for UNOBODY9" in reply.text
    _, reply = h.command("/ilm-hr", "remove <@UREC6> 8577-304", HR)
    assert reply is not None and "Removed from the record of UREC6: 8577-304" in reply.text
    _, reply = h.command("/ilm-hr", f"unlog <@UREC6> {entry}", HR)
    assert reply is not None and f"Deleted hours entry {entry}" in reply.text
    _, reply = h.command("/ilm-hr", "unenrol <@UREC6> award in mentoring", HR)
    assert reply is not None and "Unenrolled UREC6" in reply.text
    assert h.services.learners.learner("UREC6").empty
    assert [e.actor for e in h.services.learners.audit_entries(subject="UREC6")][:3] == [f"slack:{HR}"] * 3


def test_a_csv_shared_in_a_dm_is_previewed_then_imported_on_confirm(harness: Harness) -> None:
    h = harness
    content = b"user,type,qualification,hours,kind\nUREC8,enrol,award in mentoring,,\nUREC8,hours,,2,tutorial\n"
    shared = h.slack.add_file("cohort.csv", content, user=HR)
    event = {**message_im(HR, ""), "subtype": "file_share", "files": [shared]}
    mark = h.slack.mark()
    h.event(event)
    preview = h.calls_since(mark, "chat.postMessage")[-1]
    assert "Rows new" in preview.all_text() and h.services.learners.learner("UREC8").empty
    [confirm] = [b for b in buttons(preview.blocks) if b["action_id"] == ACTION_IMPORT_CONFIRM]
    name = "import-confirm"
    h.interactive(
        block_actions("UREC7", ACTION_IMPORT_CONFIRM, confirm["value"], response_url=h.slack.response_url(name))
    )
    assert h.services.learners.learner("UREC8").empty  # not HR: refused by the middleware
    h.interactive(block_actions(HR, ACTION_IMPORT_CONFIRM, confirm["value"], response_url=h.slack.response_url(name)))
    said = h.slack.calls_to("response_url", lambda c: c.target == name)[-1]
    assert "Imported cohort.csv: 2 rows new" in said.text
    record = h.services.learners.learner("UREC8")
    assert [e.qualification for e in record.enrolments] == [AWARD] and [x.hours for x in record.hours] == [2.0]


def test_a_csv_shared_by_someone_else_is_refused_and_never_read(harness: Harness) -> None:
    h = harness
    shared = h.slack.add_file("sneaky.csv", b"user,type,qualification\nUREC9,enrol,award\n", user="UREC9")
    mark = h.slack.mark()
    h.event({**message_im("UREC9", ""), "subtype": "file_share", "files": [shared]})
    said = h.calls_since(mark, "chat.postMessage")[-1]
    assert "Only HR can import" in said.text
    assert not h.calls_since(mark, "files.info") and not h.calls_since(mark, "file_files")
    assert audited(h, "import_refused", "UREC9") and h.services.learners.learner("UREC9").empty


def test_the_import_form_takes_an_attached_csv(harness: Harness) -> None:
    h = harness
    mark = h.slack.mark()
    h.command("/ilm-hr", "import", HR)
    assert h.calls_since(mark, "views.open")[-1]["view"]["callback_id"] == VIEW_IMPORT
    bad = h.slack.add_file("bad.csv", b"user,type\nUREC10,nonsense\n", user=HR)
    values = {FIELD_IMPORT_FILE: {FIELD_IMPORT_FILE: {"type": "file_input", "files": [bad]}}}
    assert h.interactive(view_submission(HR, VIEW_IMPORT, values)).status == 200
    preview = h.calls_since(mark, "chat.postMessage")[-1]
    assert "row 2, column type" in preview.all_text() and not buttons(preview.blocks)
    empty = {FIELD_IMPORT_FILE: {FIELD_IMPORT_FILE: {"type": "file_input", "files": []}}}
    response = h.interactive(view_submission(HR, VIEW_IMPORT, empty))
    assert response.status == 200 and "Attach one CSV" in str(response.body)


def test_sign_off_goes_to_the_supervisor_who_confirms_or_rejects(harness: Harness, sign_off: None) -> None:
    h = harness
    h.command("/ilm", "enrol award in mentoring", "UREC11")
    h.command("/ilm", "supervisor <@USUP11>", "UREC11")
    mark = h.slack.mark()
    _, reply = h.command("/ilm", "done 8577-304 8577-307", "UREC11")
    assert reply is not None and "Sent to <@USUP11> to confirm" in reply.text
    asks = [c for c in h.calls_since(mark, "chat.postMessage") if c.params.get("channel") == "USUP11"]
    assert len(asks) == 2 and all("UREC11" in c.all_text() for c in asks)
    progress = h.services.learners.learner("UREC11")
    assert {u.status for u in progress.units} == {"pending"}
    first, second = (next(b for b in buttons(c.blocks) if b["action_id"] == ACTION_SIGN_OFF_CONFIRM) for c in asks)
    # The learner can't confirm their own entry.
    h.interactive(
        block_actions("UREC11", ACTION_SIGN_OFF_CONFIRM, first["value"], response_url=h.slack.response_url("s1"))
    )
    assert audited(h, "sign_off_refused", "UREC11")
    h.interactive(
        block_actions("USUP11", ACTION_SIGN_OFF_CONFIRM, first["value"], response_url=h.slack.response_url("s2"))
    )
    told = [c for c in h.calls_since(mark, "chat.postMessage") if c.params.get("channel") == "UREC11"][-1]
    assert "confirmed" in told.all_text()
    # Reject asks for a reason in a form, then tells the learner.
    h.interactive(block_actions("USUP11", ACTION_SIGN_OFF_REJECT, second["value"], channel="DUSUP11", message_ts="1.2"))
    modal = h.calls_since(mark, "views.open")[-1]["view"]
    values = {"reason": {"reason": {"type": "plain_text_input", "value": "Not observed yet <!channel>"}}}
    h.interactive(view_submission("USUP11", VIEW_SIGN_OFF_REJECT, values, private_metadata=modal["private_metadata"]))
    told = [c for c in h.calls_since(mark, "chat.postMessage") if c.params.get("channel") == "UREC11"][-1]
    assert "did not confirm" in told.all_text() and "Not observed yet" in told.all_text()
    assert "<!channel>" not in told.all_text()
    statuses = {u.unit: u.status for u in h.services.learners.learner("UREC11").units}
    assert sorted(statuses.values()) == ["confirmed", "rejected"]
    assert h.calls_since(mark, "chat.update")  # the supervisor's buttons are replaced by the outcome


def test_the_cohort_report_uploads_the_csv_and_shows_the_chart(harness: Harness) -> None:
    h = harness
    h.command("/ilm", "enrol award in mentoring", "UREC12")
    mark = h.slack.mark()
    _, reply = h.command("/ilm-hr", "report award in mentoring", HR)
    assert reply is not None and "sent the cohort report" in reply.text
    uploads = h.calls_since(mark, "files.getUploadURLExternal")
    assert [u.params["filename"] for u in uploads] == ["cohort-report.csv", "cohort-report.png"]
    png_id = h.calls_since(mark, "files.completeUploadExternal")[-1]
    report = h.calls_since(mark, "chat.postMessage")[-1]
    image = next(b for b in report.blocks if b["type"] == "image")
    assert image["slack_file"]["id"] in h.slack.files and h.slack.file_content(image["slack_file"]["id"]).startswith(
        b"\x89PNG"
    )
    assert png_id.ok and "Enrolled" in report.all_text()
    _, reply = h.command("/ilm-hr", "report diploma in basket weaving", HR)
    assert reply is not None and reply.text.startswith("No report:")
    assert audited(h, "cohort_report", HR)


def test_hr_sees_a_cohort_tab_in_the_app_home(harness: Harness) -> None:
    h = harness
    mark = h.slack.mark()
    h.event(app_home_opened(HR))
    home = h.calls_since(mark, "views.publish")[-1]["view"]
    assert ACTION_HOME_COHORT in [b["action_id"] for b in buttons(home["blocks"])]
    h.interactive(block_actions(HR, ACTION_HOME_COHORT, "cohort", view={"id": "VHOME"}))
    cohort = h.calls_since(mark, "views.publish")[-1]["view"]
    assert "Stalled" in json.dumps(cohort)
    h.event(app_home_opened("UREC13"))
    learner_home = h.calls_since(mark, "views.publish")[-1]["view"]
    assert ACTION_HOME_COHORT not in json.dumps(learner_home)
    h.interactive(block_actions("UREC13", ACTION_HOME_COHORT, "cohort", view={"id": "VHOME"}))
    assert audited(h, "hr_refused", "UREC13")


def test_narrowed_reminders_say_who_they_reach(harness: Harness) -> None:
    _, reply = harness.command(
        "/ilm-hr", "remind learners:award in mentoring:not-achieved tomorrow 09:00 Keep going", HR
    )
    assert reply is not None and "who have not achieved it" in reply.text and "in that group now" in reply.text
    _, reply = harness.command("/ilm-hr", "help", HR)
    assert reply is not None and ":not-achieved" in reply.text and ":stalled-" in reply.text
