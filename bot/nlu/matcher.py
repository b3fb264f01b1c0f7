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

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from bot.nlu.entities import EntityExtractor
from bot.nlu.intents import IntentSet
from bot.nlu.learned import LearnedModel
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
        # Arrays for scoring every example at once: examples are grouped by intent, in order.
        self.names = list(dict.fromkeys(self.intent_names))
        index_of = {n: i for i, n in enumerate(self.names)}
        postings: dict[str, list[int]] = {}
        for i, key in enumerate(self.keys):
            for tok in set(key.split()):
                postings.setdefault(tok, []).append(i)
        self.postings = {tok: np.array(ix, dtype=np.intp) for tok, ix in postings.items()}
        self.all = np.arange(len(self.keys))
        self.intent_of = np.array([index_of[n] for n in self.intent_names], dtype=np.intp)
        self.example_weight = np.array([sum(self.weight[t] for t in set(k.split())) for k in self.keys])
        self.token_intents = {
            tok: np.array(sorted({index_of[n] for n in who}), dtype=np.intp) for tok, who in owners.items()
        }
        self._vocab_set = frozenset(vocab)
        self._correct = lru_cache(maxsize=65536)(self._correct_token)
        self.learned = LearnedModel.build(self.keys, self.intent_names, self.names)

    def _correct_token(self, tok: str) -> str:
        if tok in self._vocab_set or len(tok) < 4 or tok.isdigit():
            return tok
        best = process.extractOne(tok, self.vocab, scorer=_typo_similarity, score_cutoff=80)
        return best[0] if best else tok

    def key(self, template: str) -> str:
        return " ".join(self._correct(t) for t in tokens(template) if t not in _FILLER)

    def rank(self, template: str) -> Ranking:
        """Score every example at once (rapidfuzz ``cdist`` and an inverted index), best per intent."""
        key = self.key(template)
        if not key:
            return Ranking(())
        query = set(key.split())
        known = [t for t in query if t in self.weight]
        unknown = UNKNOWN_WEIGHT * (len(query) - len(known))
        coverage = np.zeros(len(self.names))
        for t in known:
            coverage[self.token_intents[t]] += self.weight[t]
        query_weight = sum(self.weight[t] for t in known)
        # Only examples sharing a word with the question can score on overlap; work on those alone,
        # so the cost of a question follows what it shares, not the size of the knowledge base.
        # Weights are summed straight into one slot per example (every weight is positive, so the
        # examples sharing a word are the non-zero slots): at 100x knowledge, sorting the merged
        # postings to find them (np.unique, then searchsorted) cost 10-70 ms a question.
        if known:
            dense = np.zeros(len(self.keys))
            for t in known:
                dense[self.postings[t]] += self.weight[t]
            sharing = np.flatnonzero(dense)
            shared = dense[sharing]
            overlap = shared / (self.example_weight[sharing] + (query_weight + unknown) - shared)
        else:
            sharing, overlap = self.all, np.zeros(len(self.keys))
        # String similarity only for the examples that share most with the question: the rest can't win.
        if len(sharing) > CANDIDATES:
            best = np.argpartition(-overlap, CANDIDATES)[:CANDIDATES]
            sharing, overlap = sharing[best], overlap[best]
        combined = (OVERLAP_WEIGHT * 100.0) * overlap
        choices = [self.keys[i] for i in sharing]
        for scorer, weight in SCORERS:
            combined += (weight * STRING_WEIGHT) * process.cdist([key], choices, scorer=scorer, workers=1)[0]
        scores = np.zeros(len(self.names))
        np.maximum.at(scores, self.intent_of[sharing], combined)
        scores += (COVERAGE_WEIGHT * 100.0 / (query_weight + unknown)) * coverage
        scores = (1.0 - LEARNED_WEIGHT) * scores / 100.0 + LEARNED_WEIGHT * self.learned.probabilities(key)
        order = np.argsort(-scores, kind="stable")[:RANKED]
        return Ranking(tuple(Match(self.names[i], round(float(scores[i]), 4)) for i in order))


#: Shares of the score: rapidfuzz string similarity to the best example, weighted word
#: overlap with that example, and how much of the question's weighted vocabulary the
#: intent's examples use at all (the last is what lets one telling word, such as
#: "employers" or "email", decide between two intents whose examples read alike).
STRING_WEIGHT = 0.4
OVERLAP_WEIGHT = 0.35
COVERAGE_WEIGHT = 0.25
#: Share of the learned model's probability in the fused score (the rest is the rule-based score).
LEARNED_WEIGHT = 0.15
#: Intents kept in a ranking: the best, its runner-up for the margin, and a few to suggest.
RANKED = 8
#: Examples (most word overlap first) also scored for string similarity; see ``rank``.
CANDIDATES = 64
#: Weight of a word no example uses: it makes every example a little less similar.
UNKNOWN_WEIGHT = 1.0


def _typo_similarity(a: str, b: str, *, score_cutoff: float | None = None, **_: object) -> float:
    """Similarity that counts a swapped pair of letters as one slip ("levle" is "level", not "leave")."""
    score = 100.0 * DamerauLevenshtein.normalized_similarity(a, b)
    return score if score + 1e-9 >= (score_cutoff or 0.0) else 0.0


#: Native rapidfuzz scorers and their weights (they sum to 1, so scores stay 0..100).
SCORERS = ((fuzz.token_sort_ratio, 0.5), (fuzz.token_set_ratio, 0.3), (fuzz.ratio, 0.2))
