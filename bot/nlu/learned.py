"""A learned intent model: TF-IDF word and character n-grams with a linear support vector machine.

The rule-based score (``bot.nlu.matcher``) compares a question with its nearest
examples; it is precise on wording close to an example but brittle on new
wording. This model weighs every n-gram by how well it tells intents apart
across all examples, which generalises to phrasings no example has. The matcher
fuses the two.

Trained with scikit-learn when the brain is built. Scoring one question does not
go through scikit-learn: its input validation costs more than the arithmetic.
The fitted vocabularies, idf weights and coefficients are read into plain dicts
and numpy arrays, and a question costs one dict look-up per n-gram and one
small matrix product.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

#: Word n-grams and character n-grams (inside word boundaries) used as features.
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (1, 4)
#: Inverse regularisation of the linear SVM.
C = 1.0
#: The SVM's decision values times this go through a softmax to give probabilities
#: (a one-parameter calibration, tuned by cross-validation with the fusion weight).
TEMPERATURE = 12.0
#: Training examples kept per intent. Beyond this, more examples of one intent add
#: training time (brain build, reload) faster than they add accuracy, so a
#: deterministic sample is used; the rule-based score still sees every example.
MAX_PER_INTENT = 400
SEED = 20261129

Analyzer = Callable[[str], list[str]]


class LearnedModel:
    """Probability of each intent for a question key (the matcher's templated, typo-corrected text)."""

    def __init__(self, keys: Sequence[str], labels: Sequence[str], names: Sequence[str]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415 (heavy: only when building)
        from sklearn.svm import LinearSVC  # noqa: PLC0415

        keys, labels = _sample(keys, labels)
        self.names = list(names)
        word = TfidfVectorizer(analyzer="word", ngram_range=WORD_NGRAMS, token_pattern=r"\S+", sublinear_tf=True)
        char = TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True)
        from scipy.sparse import hstack  # noqa: PLC0415

        x = hstack([word.fit_transform(keys), char.fit_transform(keys)]).tocsr()
        model = LinearSVC(C=C)
        model.fit(x, list(labels))
        # Columns of the coefficient matrix in ``names`` order; intents with no training example never win.
        index = {n: i for i, n in enumerate(model.classes_)}
        coef = np.full((x.shape[1], len(self.names)), 0.0, dtype=np.float32)
        bias = np.full(len(self.names), -1e4, dtype=np.float64)
        for j, name in enumerate(self.names):
            if name in index:
                coef[:, j] = model.coef_[index[name]]
                bias[j] = model.intercept_[index[name]]
        self.coef, self.bias = coef, bias
        # Per feature family: analyzer, n-gram -> column, idf by column, weight of an unseen n-gram.
        offset = len(word.vocabulary_)
        idf = np.concatenate([word.idf_, char.idf_])
        self._parts: list[tuple[Analyzer, dict[str, int], np.ndarray, float]] = [
            (word.build_analyzer(), word.vocabulary_, idf, float(word.idf_.max())),
            (char.build_analyzer(), {g: i + offset for g, i in char.vocabulary_.items()}, idf, float(char.idf_.max())),
        ]

    def probabilities(self, key: str) -> np.ndarray:
        """Softmax over intents (in ``names`` order) for one key.

        N-grams no example has still count in the vector's length (at the weight of the
        rarest known n-gram) though they carry no evidence, so a question made mostly of
        words the examples never use ("how do you make a proper brew") gets a short
        vector and flat, unsure probabilities, where normalising its one known phrase
        ("how do you") alone would make it sure of the wrong intent."""
        logits = self.bias.copy()
        for analyze, vocab, idf, unseen in self._parts:
            counts = Counter(vocab.get(g, -1) for g in analyze(key))
            missing = counts.pop(-1, 0)
            if not counts:
                continue
            idx = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
            tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
            vals = tf * idf[idx]
            vals /= np.sqrt(vals @ vals + missing * unseen * unseen)
            logits += vals @ self.coef[idx]
        logits *= TEMPERATURE
        logits -= logits.max()
        p = np.exp(logits)
        return p / p.sum()


def _sample(keys: Sequence[str], labels: Sequence[str]) -> tuple[list[str], list[str]]:
    """At most ``MAX_PER_INTENT`` distinct keys per intent, chosen with a fixed seed."""
    by_intent: dict[str, list[str]] = {}
    for key, label in zip(keys, labels, strict=True):
        by_intent.setdefault(label, []).append(key)
    rng = random.Random(SEED)
    out_keys: list[str] = []
    out_labels: list[str] = []
    for label, members in by_intent.items():
        members = list(dict.fromkeys(members))
        if len(members) > MAX_PER_INTENT:
            members = rng.sample(members, MAX_PER_INTENT)
        out_keys += members
        out_labels += [label] * len(members)
    return out_keys, out_labels
