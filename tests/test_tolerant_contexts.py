"""The Slack assistant's context store (database, tolerant of outages) keeps each conversation apart."""

from __future__ import annotations

from bot.core.brain import Brain
from bot.runtime.services import Services, TolerantContexts
from bot.storage import Database, SqlContextStore


def test_follow_ups_use_their_own_conversation_through_the_tolerant_store(db: Database) -> None:
    assistant = Services(Brain.load()).assistant(contexts=TolerantContexts(SqlContextStore(db)))
    assert "12 guided learning hours" in assistant.reply("U1", "How many GLH is 8577-306?", "D1").text
    assert "8577-304" in assistant.reply("U1", "what are the units of the award", "C1:1.0").text
    assert "6 guided learning hours" in assistant.reply("U1", "and 8577-307?", "D1").text
