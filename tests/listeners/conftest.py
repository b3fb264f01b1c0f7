"""Fixtures for the in-process listener tests (see ``harness``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fakeslack import FakeSlack

from bot.core.brain import Brain
from listeners.harness import EXPERTS, Harness, database, make_harness


@pytest.fixture(scope="session")
def brain() -> Brain:
    return Brain.load()


@pytest.fixture(scope="module")
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(socket_mode=False) as fake:
        yield fake


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def harness(
    request: pytest.FixtureRequest, slack: FakeSlack, brain: Brain, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Harness]:
    directory = tmp_path_factory.mktemp("listeners")
    with database(request.param, directory) as url:
        h = make_harness(slack, brain, directory, database_url=url, experts_channel=EXPERTS)
        yield h
        h.services.db.dispose()
