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
