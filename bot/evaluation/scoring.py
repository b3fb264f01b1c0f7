"""Run labelled cases through the assistant and score intents and answer facts.

A case is a short conversation by one user (``turns``); the expected
``intent`` and the fact checks (``all``/``any``/``none`` regexes,
``understood``, ``check`` fields) apply to the answer to the last turn.
Pure apart from the assistant it is given, so tests and the CLI share it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from bot.answers.answer import Answer
from bot.core.assistant import Assistant

NONE_LABEL = "(none)"


def expand(turn: str) -> str:
    """'REPEAT:<text>:<n>' is <text> repeated n times (for very long inputs)."""
    if turn.startswith("REPEAT:"):
        _, text, n = turn.split(":", 2)
        return text * int(n)
    return turn


def judge(case: dict[str, Any], answer: Answer) -> list[str]:
    """Reasons the answer fails the case's fact checks (empty when it passes)."""
    text = answer.text
    why = [f"missing /{rx}/" for rx in case.get("all", []) if not re.search(rx, text, re.I)]
    if case.get("any") and not any(re.search(rx, text, re.I) for rx in case["any"]):
        why.append(f"none of {case['any']}")
    why += [f"must not say /{rx}/" for rx in case.get("none", []) if re.search(rx, text, re.I)]
    if "understood" in case and answer.understood is not case["understood"]:
        why.append(f"understood={answer.understood}, expected {case['understood']}")
    for key, want in (case.get("check") or {}).items():
        got = (answer.check or {}).get(key)
        if got != want:
            why.append(f"check.{key}={got!r}, expected {want!r}")
    return why


@dataclass
class CaseResult:
    id: str
    question: str
    expected: str
    predicted: str
    reasons: list[str]
    answer: str

    @property
    def intent_ok(self) -> bool:
        return self.expected == self.predicted

    @property
    def passed(self) -> bool:
        return self.intent_ok and not self.reasons


@dataclass
class Report:
    results: list[CaseResult] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return sum(r.passed for r in self.results) / max(len(self.results), 1)

    @property
    def intent_accuracy(self) -> float:
        return sum(r.intent_ok for r in self.results) / max(len(self.results), 1)

    def per_intent(self) -> dict[str, dict[str, float]]:
        labels = sorted({r.expected for r in self.results} | {r.predicted for r in self.results})
        tp: Counter[str] = Counter()
        fp: Counter[str] = Counter()
        fn: Counter[str] = Counter()
        for r in self.results:
            if r.intent_ok:
                tp[r.expected] += 1
            else:
                fp[r.predicted] += 1
                fn[r.expected] += 1
        out: dict[str, dict[str, float]] = {}
        for label in labels:
            p = tp[label] / max(tp[label] + fp[label], 1)
            rc = tp[label] / max(tp[label] + fn[label], 1)
            f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
            out[label] = {"precision": p, "recall": rc, "f1": f1, "support": tp[label] + fn[label]}
        return out

    def confusions(self) -> list[tuple[str, str, int]]:
        pairs = Counter((r.expected, r.predicted) for r in self.results if not r.intent_ok)
        return [(e, p, n) for (e, p), n in pairs.most_common()]

    def matrix(self) -> tuple[list[str], list[list[int]]]:
        labels = sorted({r.expected for r in self.results} | {r.predicted for r in self.results})
        index = {label: i for i, label in enumerate(labels)}
        grid = [[0] * len(labels) for _ in labels]
        for r in self.results:
            grid[index[r.expected]][index[r.predicted]] += 1
        return labels, grid

    def to_json(self) -> dict[str, Any]:
        labels, grid = self.matrix()
        return {
            "cases": len(self.results),
            "accuracy": self.accuracy,
            "intent_accuracy": self.intent_accuracy,
            "per_intent": self.per_intent(),
            "confusions": [{"expected": e, "predicted": p, "count": n} for e, p, n in self.confusions()],
            "confusion_matrix": {"labels": labels, "matrix": grid},
            "failures": [
                {
                    "id": r.id,
                    "question": r.question,
                    "expected": r.expected,
                    "predicted": r.predicted,
                    "reasons": r.reasons,
                    "answer": r.answer,
                }
                for r in self.results
                if not r.passed
            ],
        }


def evaluate_cases(assistant: Assistant, cases: list[dict[str, Any]]) -> Report:
    report = Report()
    by_user: dict[str, int] = defaultdict(int)
    for i, case in enumerate(cases):
        user = f"Ueval{i:05d}"
        by_user[user] += 1
        answer: Answer | None = None
        turns = [expand(str(t)) for t in case["turns"]]
        for turn in turns:
            answer = assistant.reply(user, turn)
        assert answer is not None
        expected = case.get("intent") or NONE_LABEL
        predicted = answer.intent or NONE_LABEL
        report.results.append(
            CaseResult(str(case.get("id", i)), turns[-1][:200], expected, predicted, judge(case, answer), answer.text)
        )
    return report
