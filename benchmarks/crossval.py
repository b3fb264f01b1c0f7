"""How well the intent matcher generalises to wording it has never seen: stratified k-fold cross-validation.

The intent examples (``intents/*.yaml``) are split into ``--folds`` stratified
folds (fixed ``--seed``). For each fold the brain is rebuilt from the other
folds' examples only (``Brain.build``: the matcher and anything it learns see
no left-out phrasing; cue phrases and responses stay, they are not examples).
Each left-out example then goes through exactly the path a user's message
takes (``Assistant.reply``: cleaning, courtesies, entity templating, ranking,
clause ranking, threshold and margin, cues, retargeting), with its placeholders
written out as real mentions (``{qualification}`` → a title, short title or
alias; ``{unit}`` → a unit code; ``{hours}``, ``{kind}``, ``{group}``), seeded per
example so every run and every matcher sees the same sentences.

Every left-out example lands in exactly one bucket:

* **right**: the bot's intent is the example's intent (for ``out_of_scope``
  examples: the bot falls back);
* **fallback**: the bot abstains (below threshold or margin) on an in-scope example;
* **confident wrong**: the bot answers with another intent (for ``out_of_scope``
  examples: any intent at all).

    .venv/bin/python -m benchmarks.crossval                  # 5 folds, seed 12 -> benchmarks/results/crossval.json
    .venv/bin/python -m benchmarks.crossval --show 40        # also print 40 failures

``evaluate`` is importable, so fusion weights can be tuned on this figure alone
(never on the held-out sets in ``tests/data``).
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.common import RESULTS, machine, write_json
from bot.core.assistant import Assistant
from bot.core.brain import Brain
from bot.knowledge import load_knowledge
from bot.knowledge.loader import default_knowledge_dir
from bot.knowledge.models import Knowledge
from bot.nlu import matcher
from bot.nlu.intents import IntentSet, IntentSpec, default_intents_dir, load_intents

OUT_OF_SCOPE = "out_of_scope"
DEFAULT_FOLDS = 5
DEFAULT_SEED = 12
_PLACEHOLDER = re.compile(r"\{(qualification|unit|group|hours|kind)\}")

Example = tuple[str, str]  # (intent, example text with placeholders)


# -- folds -----------------------------------------------------------------------------


def examples_of(intents: IntentSet) -> list[Example]:
    return [(spec.name, ex) for spec in intents.intents for ex in spec.examples]


def stratified_folds(examples: list[Example], folds: int, seed: int) -> list[int]:
    """Fold number of each example: each intent's examples shuffled, then dealt round-robin.

    Dealing continues where the previous intent stopped, so small intents don't all
    put their odd example in fold 0 and the folds stay the same size."""
    rng = random.Random(seed)
    by_intent: dict[str, list[int]] = {}
    for i, (intent, _) in enumerate(examples):
        by_intent.setdefault(intent, []).append(i)
    fold_of = [0] * len(examples)
    position = 0
    for intent in sorted(by_intent):
        members = by_intent[intent]
        rng.shuffle(members)
        for i in members:
            fold_of[i] = position % folds
            position += 1
    return fold_of


def training_set(intents: IntentSet, keep: set[tuple[str, str]]) -> IntentSet:
    """The intents with only the kept examples (cues, anchoring and responses unchanged)."""
    specs = []
    for spec in intents.intents:
        kept = tuple(ex for ex in spec.examples if (spec.name, ex) in keep)
        if kept:
            specs.append(IntentSpec(spec.name, spec.description, kept, spec.cues, spec.anchored))
    return IntentSet(tuple(specs), intents.responses)


# -- writing an example out as a user would ---------------------------------------------


@dataclass(frozen=True)
class Fillers:
    """Real mentions for each placeholder, from the knowledge."""

    qualification: tuple[str, ...]
    unit: tuple[str, ...]
    group: tuple[str, ...] = ("group 1", "group 2", "group one", "group two")
    hours: tuple[str, ...] = ("10 hours", "12 hours", "20 hours", "6 hours", "30 hours", "4.5 hours")
    kind: tuple[str, ...] = ("coaching", "mentoring")

    @classmethod
    def of(cls, knowledge: Knowledge) -> Fillers:
        names: list[str] = []
        for q in knowledge.qualifications.values():
            names += [q.title, q.short_title, *q.aliases]
        return cls(qualification=tuple(dict.fromkeys(names)), unit=tuple(sorted(knowledge.units)))


def fill(example: str, fillers: Fillers, rng: random.Random) -> str:
    """The example with each placeholder replaced by a real mention (repeated placeholders differ)."""
    used: dict[str, set[str]] = {}

    def one(match: re.Match[str]) -> str:
        kind = match.group(1)
        options = [o for o in getattr(fillers, kind) if o not in used.setdefault(kind, set())]
        choice = rng.choice(options or getattr(fillers, kind))
        used[kind].add(choice)
        return choice

    return _PLACEHOLDER.sub(one, example)


# -- scoring ---------------------------------------------------------------------------


@dataclass
class Outcome:
    intent: str
    text: str
    predicted: str | None
    fold: int

    @property
    def right(self) -> bool:
        return self.predicted == self.intent or (self.intent == OUT_OF_SCOPE and self.predicted is None)

    @property
    def fallback(self) -> bool:
        return self.predicted is None and self.intent != OUT_OF_SCOPE

    @property
    def confident_wrong(self) -> bool:
        return not self.right and not self.fallback


@dataclass
class Result:
    outcomes: list[Outcome] = field(default_factory=list)
    build_s: list[float] = field(default_factory=list)

    def rate(self, what: Callable[[Outcome], bool]) -> float:
        return sum(what(o) for o in self.outcomes) / max(len(self.outcomes), 1)

    @property
    def accuracy(self) -> float:
        return self.rate(lambda o: o.right)

    @property
    def fallback_rate(self) -> float:
        return self.rate(lambda o: o.fallback)

    @property
    def confident_wrong_rate(self) -> float:
        return self.rate(lambda o: o.confident_wrong)

    def per_fold(self) -> list[float]:
        folds = sorted({o.fold for o in self.outcomes})
        return [
            sum(o.right for o in self.outcomes if o.fold == f) / sum(1 for o in self.outcomes if o.fold == f)
            for f in folds
        ]

    def per_intent(self) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for intent in sorted({o.intent for o in self.outcomes}):
            mine = [o for o in self.outcomes if o.intent == intent]
            out[intent] = {
                "n": len(mine),
                "accuracy": sum(o.right for o in mine) / len(mine),
                "fallback": sum(o.fallback for o in mine) / len(mine),
                "confident_wrong": sum(o.confident_wrong for o in mine) / len(mine),
            }
        return out

    def confusions(self, top: int = 25) -> list[dict[str, Any]]:
        pairs = Counter((o.intent, o.predicted or "(fallback)") for o in self.outcomes if not o.right)
        return [{"expected": e, "predicted": p, "count": n} for (e, p), n in pairs.most_common(top)]

    def to_json(self) -> dict[str, Any]:
        return {
            "examples": len(self.outcomes),
            "accuracy": self.accuracy,
            "fallback_rate": self.fallback_rate,
            "confident_wrong_rate": self.confident_wrong_rate,
            "per_fold_accuracy": self.per_fold(),
            "brain_build_s_per_fold": self.build_s,
            "per_intent": self.per_intent(),
            "confusions": self.confusions(),
            "failures": [
                {"fold": o.fold, "intent": o.intent, "predicted": o.predicted, "text": o.text}
                for o in self.outcomes
                if not o.right
            ],
        }


def evaluate(
    knowledge: Knowledge,
    intents: IntentSet,
    folds: int = DEFAULT_FOLDS,
    seed: int = DEFAULT_SEED,
    build: Callable[[Knowledge, IntentSet], Brain] = Brain.build,
) -> Result:
    """Cross-validate: per fold, build a brain without that fold's examples and ask it each of them."""
    examples = examples_of(intents)
    fold_of = stratified_folds(examples, folds, seed)
    fillers = Fillers.of(knowledge)
    result = Result()
    for fold in range(folds):
        keep = {ex for ex, f in zip(examples, fold_of, strict=True) if f != fold}
        t0 = time.perf_counter()
        brain = build(knowledge, training_set(intents, keep))
        result.build_s.append(time.perf_counter() - t0)
        assistant = Assistant(brain)
        for i, ((intent, example), f) in enumerate(zip(examples, fold_of, strict=True)):
            if f != fold:
                continue
            text = fill(example, fillers, random.Random(f"{seed}:{intent}:{example}"))
            answer = assistant.reply(f"Ucv{i:05d}", text)
            result.outcomes.append(Outcome(intent, text, answer.intent, fold))
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--folds", type=int, default=DEFAULT_FOLDS)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--knowledge", type=Path, default=default_knowledge_dir())
    ap.add_argument("--intents", type=Path, default=default_intents_dir())
    ap.add_argument("--show", type=int, default=0, help="print this many failures")
    ap.add_argument(
        "--learned-weight",
        type=float,
        help=f"override the matcher's fusion weight (now {matcher.LEARNED_WEIGHT}); 0 = rule-based score alone",
    )
    ap.add_argument("--out", type=Path, default=RESULTS / "crossval.json")
    args = ap.parse_args(argv)

    info = machine()
    if args.learned_weight is not None:
        matcher.LEARNED_WEIGHT = args.learned_weight
    knowledge, intents = load_knowledge(args.knowledge), load_intents(args.intents)
    t0 = time.perf_counter()
    result = evaluate(knowledge, intents, args.folds, args.seed)
    elapsed = time.perf_counter() - t0
    print(
        f"{args.folds}-fold cross-validation, seed {args.seed}, {len(result.outcomes)} examples: "
        f"accuracy {result.accuracy:.1%}, fallback {result.fallback_rate:.1%}, "
        f"confident wrong {result.confident_wrong_rate:.1%}  "
        f"(folds {', '.join(f'{a:.1%}' for a in result.per_fold())}; {elapsed:.1f} s)"
    )
    for c in result.confusions(10):
        print(f"  {c['count']:3d}  {c['expected']} -> {c['predicted']}")
    for o in [o for o in result.outcomes if not o.right][: args.show]:
        print(f"  [{o.intent} -> {o.predicted}] {o.text}")
    write_json(
        {
            "benchmark": "crossval",
            "folds": args.folds,
            "seed": args.seed,
            "learned_weight": matcher.LEARNED_WEIGHT,
            "machine": info,
            **result.to_json(),
        },
        args.out,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
