"""'Next step' and 'options after' ask where a qualification leads: every progression route the
knowledge lists for it is named, whichever qualification and wording."""

from __future__ import annotations

import pytest

from bot.core.assistant import Assistant
from bot.core.brain import Brain

BRAIN = Brain.load()
K = BRAIN.knowledge
NAMES = {
    "l3-award-mentoring": "the award in mentoring",
    "l3-certificate-mentoring": "the certificate in mentoring",
    "l3-certificate-coaching-mentoring": "the C&M cert",
}
SHAPES = [
    "I finished {q}, next steps?",
    "what are my options after {q}?",
    "done {q} - what's the next step?",
    "Completed {q}. Next step: ???",
    "{q} done. next steps?",
]


@pytest.mark.parametrize("qid", sorted(NAMES))
@pytest.mark.parametrize("shape", SHAPES)
def test_next_step_names_every_progression_route(qid: str, shape: str) -> None:
    answer = Assistant(BRAIN).reply("U1", shape.format(q=NAMES[qid]))
    q = K.qualifications[qid]
    targets = [K.qualifications[p.qualification].title if p.qualification else p.external for p in q.progression]
    assert targets
    for title in targets:
        assert title in answer.text, answer.text
