"""The intent matcher with its learned model: rankings stay well-formed, the model cache is safe to lose,
and the fused matcher still generalises to wording no example has (5-fold cross-validation floor)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from bot.core.brain import Brain
from bot.knowledge import load_knowledge
from bot.nlu import learned
from bot.nlu.intents import load_intents
from bot.nlu.learned import LearnedModel

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def brain(tmp_path_factory: pytest.TempPathFactory) -> Brain:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(learned.CACHE_ENV, str(tmp_path_factory.mktemp("model-cache")))
        return Brain.load()


def _training(brain: Brain) -> tuple[list[str], list[str], list[str]]:
    m = brain.matcher
    return m.keys, m.intent_names, m.names


# Words people type, words no example has, placeholders, punctuation and the odd emoji.
_WORDS = st.sampled_from(
    ["how", "many", "credits", "is", "the", "award", "unit", "{unit}", "{qualification}", "glh", "cost", "hello",
     "zyzzyva", "brew", "qwertyuiop", "???", "&", "c&m", "8577-305", "i've", "done", "🙂", "hours", "mentoring"]
)  # fmt: skip


@seed(20261129)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_WORDS | st.text(max_size=12), max_size=25).map(" ".join))
def test_rankings_are_well_formed_for_any_text(brain: Brain, text: str) -> None:
    ranking = brain.matcher.rank(brain.extractor.extract(text).template)
    confidences = [m.confidence for m in ranking.matches]
    assert confidences == sorted(confidences, reverse=True)
    assert all(math.isfinite(c) and 0.0 <= c <= 1.0 for c in confidences)
    assert {m.intent for m in ranking.matches} <= set(brain.intents.names())
    assert ranking.best is (ranking.matches[0] if ranking.matches else None)


def test_words_no_example_uses_make_the_model_unsure(brain: Brain) -> None:
    """A question of unknown words around one familiar phrase must not borrow that phrase's certainty."""
    model = brain.matcher.learned
    familiar = model.probabilities("how do you").max()
    padded = model.probabilities("how do you make proper brew with oat milk and sugar").max()
    assert padded < familiar


def test_cached_model_scores_exactly_as_the_trained_one(brain: Brain, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(learned.CACHE_ENV, str(tmp_path))
    keys, labels, names = _training(brain)
    trained = LearnedModel.build(keys, labels, names)
    files = list(tmp_path.glob("intent-model-*.npz"))
    assert len(files) == 1
    cached = LearnedModel.load(files[0])
    for key in ["how many credits is {unit}", "who do i contact", "zyzzyva", "what's {qualification} about"]:
        np.testing.assert_allclose(cached.probabilities(key), trained.probabilities(key), rtol=1e-6)
    # Changed examples are a different model: a new file, the old one left alone.
    LearnedModel.build([*keys, "a brand new wording of greeting"], [*labels, "greeting"], names)
    assert len(list(tmp_path.glob("intent-model-*.npz"))) == 2


@pytest.mark.parametrize("damage", [b"", b"not a zip file", b"PK\x03\x04 truncated"])
def test_a_damaged_cache_file_is_retrained_over(brain: Brain, tmp_path: Path, monkeypatch, damage: bytes) -> None:
    monkeypatch.setenv(learned.CACHE_ENV, str(tmp_path))
    keys, labels, names = _training(brain)
    good = LearnedModel.build(keys, labels, names)
    (path,) = tmp_path.glob("intent-model-*.npz")
    path.write_bytes(damage)
    again = LearnedModel.build(keys, labels, names)
    np.testing.assert_allclose(again.probabilities("who do i contact"), good.probabilities("who do i contact"))
    assert LearnedModel.load(path).names == names  # rewritten whole


def test_no_usable_cache_directory_still_builds(brain: Brain, tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv(learned.CACHE_ENV, str(blocker / "cache"))
    keys, labels, names = _training(brain)
    assert LearnedModel.build(keys, labels, names).probabilities("hello").shape == (len(names),)
    monkeypatch.setenv(learned.CACHE_ENV, "")  # set but empty: caching off
    assert LearnedModel.build(keys, labels, names).probabilities("hello").shape == (len(names),)


def test_one_or_two_intents_train_too(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(learned.CACHE_ENV, "")
    one = LearnedModel.build(["hello there", "hi"], ["greeting", "greeting"], ["greeting", "thanks"])
    assert one.names[int(one.probabilities("hello").argmax())] == "greeting"
    two = LearnedModel.build(["hello there", "hi", "thanks a lot", "cheers"], ["greeting"] * 2 + ["thanks"] * 2,
                             ["greeting", "thanks"])  # fmt: skip
    assert two.names[int(two.probabilities("thanks").argmax())] == "thanks"
    assert two.names[int(two.probabilities("hello").argmax())] == "greeting"


def test_cross_validation_floor(monkeypatch, tmp_path: Path) -> None:
    """Wording the examples don't have: the fused matcher must stay well above the rule-based 73%."""
    monkeypatch.setenv(learned.CACHE_ENV, str(tmp_path))
    monkeypatch.syspath_prepend(str(REPO))
    from benchmarks import crossval

    result = crossval.evaluate(load_knowledge(), load_intents())
    assert result.accuracy >= 0.80, result.confusions(10)
