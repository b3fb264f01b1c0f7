"""Reading files shared with the bot and uploading the report's files, against the fake Slack."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fakeslack import FakeSlack
from slack_sdk import WebClient

from bot.errors import ServiceError
from bot.slack.files import FileRefusedError, read_shared, upload


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def client(slack: FakeSlack) -> WebClient:
    return WebClient(token=slack.bot_token, base_url=slack.url)


def test_a_shared_file_is_read_by_its_id_with_the_bot_token(slack: FakeSlack) -> None:
    shared = slack.add_file("hr.csv", b"user,type\nU1,enrol\n", user="UHR")
    got = read_shared(client(slack), shared["id"], limit=1000)
    assert (got.name, got.data) == ("hr.csv", b"user,type\nU1,enrol\n")
    assert [c.params["file"] for c in slack.calls_to("files.info")] == [shared["id"]]


def test_too_large_or_unknown_files_are_refused_before_or_while_reading(slack: FakeSlack) -> None:
    big = slack.add_file("big.csv", b"x" * 5000, user="UHR")
    with pytest.raises(FileRefusedError, match="5,000 bytes; a CSV import may be at most 1,000"):
        read_shared(client(slack), big["id"], limit=1000)
    assert not slack.calls_to("file_files")  # refused on its declared size: never downloaded
    lying = slack.add_file("lying.csv", b"y" * 5000, user="UHR")
    slack.files[lying["id"]]["size"] = 10  # a size that understates: the read itself is bounded
    with pytest.raises(FileRefusedError, match="larger than 1,000 bytes"):
        read_shared(client(slack), lying["id"], limit=1000)
    with pytest.raises(ServiceError, match="file_not_found"):
        read_shared(client(slack), "F00NOPE", limit=1000)


def test_uploads_give_a_file_id_and_may_be_shared_in_a_dm(slack: FakeSlack) -> None:
    chart = upload(client(slack), "cohort.png", b"\x89PNG...", title="Cohort progress")
    assert slack.file_content(chart) == b"\x89PNG..."
    csv_id = upload(client(slack), "cohort.csv", b"a,b\n", title="Cohort", channel="DHR")
    assert slack.file_content(csv_id) == b"a,b\n"
    assert any(m.get("files", [{}])[0].get("id") == csv_id for (c, _), m in slack.messages.items() if c == "DHR")


# -- supervisor sign-off over the fake Slack ------------------------------------------------------------------


def test_sign_off_asks_the_supervisor_once_and_tells_the_learner(slack: FakeSlack, tmp_path) -> None:
    from datetime import date

    from bot.knowledge import load_knowledge
    from bot.learners.records import LearnerStore, NotAllowedError
    from bot.learners.settings import RecordSettings
    from bot.slack import sign_off
    from bot.slack.blocks.records import ACTION_SIGN_OFF_CONFIRM
    from bot.storage import open_database

    knowledge = load_knowledge()
    db = open_database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    try:
        store = LearnerStore(db, RecordSettings(verification="units"))
        web = client(slack)
        store.record_units("UL", ["8577-304"], on=date(2025, 1, 6), source="self", actor="slack:UL")
        assert sign_off.request(web, store, knowledge, "UL") == sign_off.NO_SUPERVISOR
        store.set_supervisor("UL", "USUP", actor="slack:UL")
        assert sign_off.request(web, store, knowledge, "UL") == "Sent to <@USUP> to confirm; it counts once they do."
        sign_off.request(web, store, knowledge, "UL")  # asked already: not again
        [dm] = slack.calls_to("chat.postMessage")
        assert dm.params["channel"] == "USUP" and "8577-304" in dm.all_text()
        value = next(
            e["value"]
            for b in dm.blocks
            for e in b.get("elements", [])
            if e.get("action_id") == ACTION_SIGN_OFF_CONFIRM
        )
        with pytest.raises(NotAllowedError):
            sign_off.decide(web, store, knowledge, "UL", value, confirm=True)  # not their own
        with pytest.raises(ValueError, match="not one I made"):
            sign_off.decide(web, store, knowledge, "USUP", "unit:abc", confirm=True)
        said = sign_off.decide(web, store, knowledge, "USUP", value, confirm=False, reason="Not yet <!channel>")
        assert said.startswith("Rejected: <@UL>'s unit 8577-304")
        told = slack.calls_to("chat.postMessage")[-1]
        assert told.params["channel"] == "UL" and "did not confirm" in told.all_text()
        assert "<!channel>" not in told.all_text() and "Not yet" in told.all_text()
        assert [u.status for u in store.learner("UL").units] == ["rejected"]
    finally:
        db.dispose()
