"""A learned intent model: TF-IDF word and character n-grams with a linear support vector machine.

The rule-based score (``bot.nlu.matcher``) compares a question with its nearest
examples: precise on wording close to an example, brittle on new wording. This
model weighs every n-gram by how well it tells intents apart across all the
examples, which carries over to phrasings no example has. The matcher fuses the
two; the weights were chosen by cross-validation (``benchmarks/crossval.py``).

Trained with scikit-learn when a brain is built for intents it has not seen
before. The fitted vocabularies, idf weights and coefficients are plain numpy
arrays, cached on disk under a digest of the training data and settings, so a
restart (or a reload that leaves the examples unchanged) neither imports
scikit-learn nor trains again. Scoring a question never goes through
scikit-learn either: its input checks cost more than the arithmetic. One
question costs a dict look-up per n-gram and one small matrix product.
"""

from __future__ import annotations

import hashlib
import logging
import os
import random
import re
import tempfile
import zipfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

#: Word n-grams and character n-grams (inside word boundaries, padded with a space) used as features.
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
MAX_PER_INTENT = 150
SEED = 20261129
#: Bumped whenever features or training change, so older cache files are not used.
FORMAT = 2
#: Where trained models are kept: ``ILM_CACHE_DIR``, else the user's cache directory.
CACHE_ENV = "ILM_CACHE_DIR"

_SPACES = re.compile(r"\s\s+")


def word_ngrams(key: str) -> list[str]:
    words = key.split()
    lo, hi = WORD_NGRAMS
    return [" ".join(words[i : i + n]) for n in range(lo, hi + 1) for i in range(len(words) - n + 1)]


def char_ngrams(key: str) -> list[str]:
    """Character n-grams of each word padded with spaces (scikit-learn's ``char_wb``)."""
    lo, hi = CHAR_NGRAMS
    out: list[str] = []
    for word in key.split():
        w = f" {word} "
        for n in range(lo, min(hi, len(w)) + 1):
            out += [w[i : i + n] for i in range(len(w) - n + 1)]
    return out


ANALYZERS = (word_ngrams, char_ngrams)


class LearnedModel:
    """Probability of each intent for a question key (the matcher's templated, typo-corrected text)."""

    def __init__(
        self, names: Sequence[str], vocabularies: Sequence[Sequence[str]], idf: np.ndarray, coef: np.ndarray, bias
    ) -> None:
        self.names = list(names)
        self.idf, self.coef, self.bias = idf, coef, np.asarray(bias, dtype=np.float64)
        self._vocab: list[dict[str, int]] = []
        self._unseen: list[float] = []
        offset = 0
        for vocabulary in vocabularies:
            self._vocab.append({g: i + offset for i, g in enumerate(vocabulary)})
            # An n-gram no example has counts like the rarest one seen (see ``probabilities``).
            self._unseen.append(float(idf[offset : offset + len(vocabulary)].max()) if len(vocabulary) else 0.0)
            offset += len(vocabulary)

    # -- building ----------------------------------------------------------------------

    @classmethod
    def build(cls, keys: Sequence[str], labels: Sequence[str], names: Sequence[str]) -> LearnedModel:
        """The model for these examples: from the cache when it has it, else trained (and cached)."""
        keys, labels = _sample(keys, labels)
        digest = _digest(keys, labels, names)
        cache = _cache_dir()
        path = cache / f"intent-model-{digest}.npz" if cache is not None else None
        if path is not None and path.is_file():
            try:
                return cls.load(path)
            except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
                log.warning("ignoring unreadable intent model cache %s: %s", path, exc)
        model = cls.train(keys, labels, names)
        if path is not None:
            model.save(path)
        return model

    @classmethod
    def train(cls, keys: Sequence[str], labels: Sequence[str], names: list[str]) -> LearnedModel:
        from scipy.sparse import hstack  # noqa: PLC0415 (heavy: only when there is something to train)
        from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415
        from sklearn.svm import LinearSVC  # noqa: PLC0415

        vectorizers = [TfidfVectorizer(analyzer=a, sublinear_tf=True) for a in ANALYZERS]
        x = hstack([v.fit_transform(keys) for v in vectorizers]).tocsr()
        coef = np.zeros((x.shape[1], len(names)), dtype=np.float32)
        bias = np.full(len(names), -1e3)  # an intent with no training example can never win
        classes = sorted(set(labels))
        if len(classes) > 1:
            svm = LinearSVC(C=C, random_state=SEED).fit(x, list(labels))
            # One row per class; with two classes scikit-learn keeps one row, for the second class.
            rows = svm.coef_ if len(classes) > 2 else np.vstack([-svm.coef_[0], svm.coef_[0]])
            intercepts = svm.intercept_ if len(classes) > 2 else np.array([-svm.intercept_[0], svm.intercept_[0]])
            for i, name in enumerate(svm.classes_):
                coef[:, names.index(name)] = rows[i]
                bias[names.index(name)] = intercepts[i]
        elif classes:
            bias[names.index(classes[0])] = 0.0
        vocabularies = [sorted(v.vocabulary_, key=v.vocabulary_.__getitem__) for v in vectorizers]
        return cls(names, vocabularies, np.concatenate([v.idf_ for v in vectorizers]), coef, bias)

    def save(self, path: Path) -> None:
        """Write atomically (a temporary file renamed), so a concurrent reader never sees half a file."""
        arrays = {f"vocab{i}": np.array(list(v), dtype=str) for i, v in enumerate(self._vocab)}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as f:
                np.savez(
                    f, names=np.array(self.names, dtype=str), idf=self.idf, coef=self.coef, bias=self.bias, **arrays
                )
            os.replace(f.name, path)
        except OSError as exc:
            log.info("could not cache the intent model in %s: %s", path.parent, exc)

    @classmethod
    def load(cls, path: Path) -> LearnedModel:
        with np.load(path, allow_pickle=False) as data:
            vocabularies = [data[f"vocab{i}"].tolist() for i in range(len(ANALYZERS))]
            return cls(data["names"].tolist(), vocabularies, data["idf"], data["coef"], data["bias"])

    # -- scoring -----------------------------------------------------------------------

    def probabilities(self, key: str) -> np.ndarray:
        """Softmax over intents (in ``names`` order) for one key.

        N-grams no example has still count in the vector's length (at the weight of the
        rarest known n-gram) though they carry no evidence, so a question made mostly of
        words the examples never use ("how do you make a proper brew") gets a short
        vector and flat, unsure probabilities, where normalising its one known phrase
        ("how do you") alone would make it sure of the wrong intent."""
        logits = self.bias.copy()
        for analyze, vocab, unseen in zip(ANALYZERS, self._vocab, self._unseen, strict=True):
            counts = Counter(vocab.get(g, -1) for g in analyze(key))
            missing = counts.pop(-1, 0)
            if not counts:
                continue
            idx = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
            tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
            vals = tf * self.idf[idx]
            vals /= np.sqrt(vals @ vals + missing * unseen * unseen)
            logits += vals @ self.coef[idx]
        logits *= TEMPERATURE
        logits -= logits.max()
        p = np.exp(logits)
        return p / p.sum()


def _sample(keys: Sequence[str], labels: Sequence[str]) -> tuple[list[str], list[str]]:
    """Distinct keys, at most ``MAX_PER_INTENT`` per intent, chosen with a fixed seed."""
    by_intent: dict[str, list[str]] = {}
    for key, label in zip(keys, labels, strict=True):
        by_intent.setdefault(label, []).append(key)
    rng = random.Random(SEED)
    out_keys: list[str] = []
    out_labels: list[str] = []
    for label, members in by_intent.items():
        distinct = list(dict.fromkeys(members))
        if len(distinct) > MAX_PER_INTENT:
            distinct = rng.sample(distinct, MAX_PER_INTENT)
        out_keys += distinct
        out_labels += [label] * len(distinct)
    return out_keys, out_labels


def _digest(keys: Sequence[str], labels: Sequence[str], names: Sequence[str]) -> str:
    """Identifies the training data and every setting that shapes the trained model."""
    h = hashlib.sha256(repr((FORMAT, WORD_NGRAMS, CHAR_NGRAMS, C, list(names))).encode())
    for key, label in zip(keys, labels, strict=True):
        h.update(f"{label}\t{key}\n".encode())
    return h.hexdigest()[:20]


def _cache_dir() -> Path | None:
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured) if configured.strip() else None  # set but empty: no cache
    try:
        base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    except RuntimeError:  # no home directory to speak of
        return None
    return Path(base) / "ilm-bot"
