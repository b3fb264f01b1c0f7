"""Match a question to an intent with rapidfuzz, with a confidence threshold and a margin.

Both the examples and the question go through the same entity extraction,
so they are compared as templates ("how many credits is {unit}"). Tokens
the examples never use are corrected to the nearest known word first
("credts" → "credits"), which is what makes typos cheap to survive.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from bot.nlu.entities import EntityExtractor
from bot.nlu.intents import IntentSet
from bot.nlu.normalise import tokens

#: Below this confidence the bot does not trust the match.
THRESHOLD = 0.45
#: The best intent must beat the runner-up by at least this much…
MARGIN = 0.01
#: …unless it is this close to an example: then two intents that both fit are both
#: right enough ("what do I need for the Award?" is about its units either way).
SURE = 0.75

_FILLER = frozenset({"the", "a", "an", "please", "pls", "plz", "just", "quick", "question", "so", "um"})


@dataclass(frozen=True)
class Match:
    intent: str
    confidence: float


@dataclass(frozen=True)
class Ranking:
    """Intents ranked by confidence; ``certain`` says whether threshold and margin both hold."""

    matches: tuple[Match, ...]

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None

    @property
    def margin(self) -> float:
        if len(self.matches) < 2:
            return 1.0
        return self.matches[0].confidence - self.matches[1].confidence

    @property
    def certain(self) -> bool:
        best = self.best
        if best is None or best.confidence < THRESHOLD:
            return False
        return self.margin >= MARGIN or best.confidence >= SURE


class IntentMatcher:
    def __init__(self, intents: IntentSet, extractor: EntityExtractor) -> None:
        self.intent_names: list[str] = []
        self.keys: list[str] = []
        vocab: set[str] = set()
        for spec in intents.intents:
            for example in spec.examples:
                template = extractor.extract(example).template
                toks = [t for t in tokens(template) if t not in _FILLER]
                vocab.update(toks)
                self.keys.append(" ".join(toks))
                self.intent_names.append(spec.name)
        self.vocab = sorted(vocab)
        # Inverse "intent frequency" of each token: words that only one intent uses weigh most.
        owners: dict[str, set[str]] = {}
        for key, name in zip(self.keys, self.intent_names, strict=True):
            for tok in key.split():
                owners.setdefault(tok, set()).add(name)
        n_intents = len(set(self.intent_names)) or 1
        self.weight = {tok: math.log(1 + n_intents / len(who)) for tok, who in owners.items()}
        self.key_sets = [frozenset(key.split()) for key in self.keys]
        self.intent_vocab: dict[str, frozenset[str]] = {
            name: frozenset(
                tok for key, who in zip(self.keys, self.intent_names, strict=True) if who == name for tok in key.split()
            )
            for name in set(self.intent_names)
        }
        self._vocab_set = frozenset(vocab)
        self._correct = lru_cache(maxsize=65536)(self._correct_token)

    def _correct_token(self, tok: str) -> str:
        if tok in self._vocab_set or len(tok) < 4 or tok.isdigit():
            return tok
        best = process.extractOne(tok, self.vocab, scorer=_typo_similarity, score_cutoff=80)
        return best[0] if best else tok

    def key(self, template: str) -> str:
        return " ".join(self._correct(t) for t in tokens(template) if t not in _FILLER)

    def rank(self, template: str) -> Ranking:
        key = self.key(template)
        if not key:
            return Ranking(())
        combined = [0.0] * len(self.keys)
        for scorer, weight in SCORERS:
            for _, score, index in process.extract(key, self.keys, scorer=scorer, limit=None):
                combined[index] += weight * score * STRING_WEIGHT
        query = frozenset(key.split())
        unknown = UNKNOWN_WEIGHT * sum(1 for t in query if t not in self.weight)
        for index, example in enumerate(self.key_sets):
            shared = sum(self.weight[t] for t in query & example)
            union = sum(self.weight.get(t, 0.0) for t in query | example) + unknown
            if union:
                combined[index] += OVERLAP_WEIGHT * 100.0 * shared / union
        per_intent: dict[str, list[float]] = {}
        for name, score in zip(self.intent_names, combined, strict=True):
            per_intent.setdefault(name, []).append(score)
        scores = {name: _top_mean(values, TOP_K) for name, values in per_intent.items()}
        total = sum(self.weight.get(t, UNKNOWN_WEIGHT) for t in query)
        for name, vocab in self.intent_vocab.items():
            covered = sum(self.weight[t] for t in query & vocab)
            scores[name] += COVERAGE_WEIGHT * 100.0 * covered / total
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        return Ranking(tuple(Match(n, round(s / 100.0, 4)) for n, s in ranked))


#: Shares of the score: rapidfuzz string similarity to the best example, weighted word
#: overlap with that example, and how much of the question's weighted vocabulary the
#: intent's examples use at all (the last is what lets one telling word, such as
#: "employers" or "email", decide between two intents whose examples read alike).
STRING_WEIGHT = 0.4
OVERLAP_WEIGHT = 0.35
COVERAGE_WEIGHT = 0.25
#: Weight of a word no example uses: it makes every example a little less similar.
UNKNOWN_WEIGHT = 1.0

#: An intent's score is the mean of its best K example scores: one lucky example counts for less.
TOP_K = 1


def _typo_similarity(a: str, b: str, *, score_cutoff: float | None = None, **_: object) -> float:
    """Similarity that counts a swapped pair of letters as one slip ("levle" is "level", not "leave")."""
    score = 100.0 * DamerauLevenshtein.normalized_similarity(a, b)
    return score if score + 1e-9 >= (score_cutoff or 0.0) else 0.0


def _top_mean(values: list[float], k: int) -> float:
    top = sorted(values, reverse=True)[:k]
    return sum(top) / len(top)


#: Native rapidfuzz scorers and their weights (they sum to 1, so scores stay 0..100).
SCORERS = ((fuzz.token_sort_ratio, 0.5), (fuzz.token_set_ratio, 0.3), (fuzz.ratio, 0.2))
