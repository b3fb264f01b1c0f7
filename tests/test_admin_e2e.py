"""`/ilm-admin` end to end: two `ilm-bot serve` processes on one database, a reload on one live on both."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from botprocess import BotProcess, admin_env, knowledge_copy
from fakeslack import FakeSlack
from slack_payloads import event_callback, form_request, json_request, message_im, slash_command

from bot.admin.snapshot import check_sources

ADMIN = "UADMIN1"
PHONE, NEW_PHONE = "01543 266867", "01543 000111"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeSlack, list[str], Path]]:
    root = tmp_path_factory.mktemp("admin")
    kdir, idir = knowledge_copy(root)
    with FakeSlack() as slack:
        env = admin_env(f"sqlite:///{root / 'bot.db'}", kdir, idir, ADMIN)
        bots = [BotProcess(slack, root / f"bot{i}.log", **env) for i in range(2)]
        yield slack, [b.base for b in bots], kdir
        for b in bots:
            b.stop()


def _admin(slack: FakeSlack, base: str, text: str, user: str = ADMIN) -> str:
    name = f"a{time.monotonic_ns()}"
    mark = slack.mark()
    req = form_request(slash_command("/ilm-admin", text, user_id=user, response_url=slack.response_url(name)))
    slack.send(f"{base}/slack/events", req)
    return slack.wait_for("response_url", lambda c: c.target == name, after=mark, timeout=30).text


def _ask(slack: FakeSlack, base: str, question: str) -> str:
    mark = slack.mark()
    slack.send(f"{base}/slack/events", json_request(event_callback(message_im("U1", question))))
    return slack.wait_for("chat.postMessage", after=mark, timeout=15).text


def test_non_admins_are_refused(setup: tuple[FakeSlack, list[str], Path]) -> None:
    slack, bases, _ = setup
    assert "only for admins" in _admin(slack, bases[0], "reload", user="UNOBODY")


def test_a_broken_file_is_named_and_answers_continue(setup: tuple[FakeSlack, list[str], Path]) -> None:
    slack, bases, kdir = setup
    path = kdir / "units.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good + "\n  - ref: [unclosed\n", encoding="utf-8")
    try:
        reply = _admin(slack, bases[0], "reload")
    finally:
        path.write_text(good, encoding="utf-8")
    assert "refused" in reply and "units.yaml" in reply
    assert PHONE in _ask(slack, bases[0], "phone number for the award in mentoring?")


def test_unreadable_files_are_refused_in_slack_as_validate_lists_them(
    setup: tuple[FakeSlack, list[str], Path],
) -> None:
    """Issue 13 item 2: not "Sorry", but the same file:line errors `ilm-bot validate` gives."""
    slack, bases, kdir = setup
    idir = kdir.parent / "intents"
    qdir = kdir / "qualifications"
    made = [qdir / "dir.yaml", qdir / "loop.yaml", qdir / "gone.yaml", qdir / "zero.yaml", idir / "notes.yaml"]
    made[0].mkdir()
    made[1].symlink_to("loop.yaml")
    made[2].symlink_to("nowhere.yaml")
    made[3].symlink_to("/dev/zero")
    made[4].write_bytes(b"name: notes\n\xff\xfe binary")
    try:
        expected = [str(e) for e in check_sources(kdir, idir)[1]]
        reply = _admin(slack, bases[0], "reload")
    finally:
        made[0].rmdir()
        for path in made[1:]:
            path.unlink()
    assert len(expected) == len(made)
    assert reply.splitlines()[0].startswith("Reload refused")
    assert [line.removeprefix("• ") for line in reply.splitlines()[1:]] == expected
    assert PHONE in _ask(slack, bases[0], "phone number for the award in mentoring?")


def test_a_reload_on_one_process_is_live_on_both_and_rollback_restores(
    setup: tuple[FakeSlack, list[str], Path],
) -> None:
    slack, bases, kdir = setup
    path = kdir / "qualifications" / "l3-award-mentoring.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(PHONE, NEW_PHONE), encoding="utf-8")
    reply = _admin(slack, bases[0], "reload")
    assert "Reload done" in reply and "l3-award-mentoring" in reply
    assert NEW_PHONE in _ask(slack, bases[0], "phone number for the award in mentoring?")
    deadline = time.monotonic() + 10
    while NEW_PHONE not in _ask(slack, bases[1], "phone number for the award in mentoring?"):
        assert time.monotonic() < deadline, "the reload did not reach the second process within 10 s"
        time.sleep(0.5)
    status = _admin(slack, bases[1], "status")
    assert status.count("• ") >= 2  # both replicas seen
    assert "Rollback done" in _admin(slack, bases[1], "rollback")
    deadline = time.monotonic() + 10
    while PHONE not in _ask(slack, bases[0], "phone number for the award in mentoring?"):
        assert time.monotonic() < deadline, "the rollback did not reach the first process within 10 s"
        time.sleep(0.5)
    assert "rollback by slack:UADMIN1" in _admin(slack, bases[0], "history")
