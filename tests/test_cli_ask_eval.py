"""`ilm-bot ask`, `chat` and `eval` as users and the evaluation harness run them: real processes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.core.assistant import Assistant
from bot.core.brain import Brain
from bot.evaluation.scoring import evaluate_cases, expand, judge

ROOT = Path(__file__).resolve().parents[1]
ILM_BOT = str(Path(sys.executable).parent / "ilm-bot")
SHARED_EVAL = ROOT.parent / "shared" / "eval"
HELDOUT = ROOT / "tests" / "data" / "heldout_questions.yaml"
#: Three sets by different authors; the second and third were written without sight of the intents or each other.
HELDOUT_SETS = (HELDOUT, *(ROOT / "tests" / "data" / f"heldout_questions_{n}.yaml" for n in (2, 3)))
ANSWER_KEYS = {"text", "understood", "intent", "confidence", "entities", "check", "suggestions"}

#: Regression floor for the held-out sets 1-3 (issue 12: they stay at 98% or more).
HELDOUT_FLOOR = 0.98
#: Set 4 was written blind for issue 12 (no intents, answers judged as a user would): the old engine
#: scored 57.9% on its first run. It has been looked at since, so this is a regression floor only.
BLIND_SET = ROOT / "tests" / "data" / "heldout_questions_4.yaml"
BLIND_FLOOR = 0.95
#: Set 5 was written blind at the end of session 3 and not tuned on: 59.0% (old engine) and 86.7% on first run.
#: Sets 6 to 11 were written blind in session 4 and scored on first run before any change made for them (6: 83.1% on
#: the session-3 engine; 8: 82.4%; 9: 80.9%; 10: 91.8%; 11: 86.0%; 7, kept sealed until the end: 91.8%). All have
#: been tuned on since, so these are regression floors, a few points under today's figures.
DATA = ROOT / "tests" / "data"
BLIND_SETS = (
    (BLIND_SET, BLIND_FLOOR, 300),
    (DATA / "heldout_questions_5.yaml", 0.95, 150),
    (DATA / "heldout_questions_6.yaml", 0.97, 300),
    (DATA / "heldout_questions_7.yaml", 0.93, 250),
    (DATA / "heldout_questions_8.yaml", 0.97, 250),
    (DATA / "heldout_questions_9.yaml", 0.96, 250),
    (DATA / "heldout_questions_10.yaml", 0.97, 200),
    (DATA / "heldout_questions_11.yaml", 0.95, 200),
)


def run(*args: str, stdin: str = "", timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ILM_BOT, *args], input=stdin, capture_output=True, text=True, timeout=timeout, check=False)


def test_ask_json_batch_keeps_order_context_and_survives_bad_lines() -> None:
    lines = [
        {"user": "A", "text": "How many GLH is 8577-306?"},
        {"user": "B", "text": "what are the units of the award"},
        {"user": "A", "text": "and 8577-307?"},
        "this is not json",
        {"user": "C", "text": ""},
        {"user": "C", "text": "x" * 100_000},
        {"user": "C", "text": "\x00\x01\ufffd binary-ish \x7f"},
        {"user": "B", "text": "and the certificate in mentoring?"},
    ]
    stdin = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n"
    proc = run("ask", "--json", stdin=stdin)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == len(lines)
    assert all(set(o) >= ANSWER_KEYS for o in out)
    assert "12 guided learning hours" in out[0]["text"]
    assert "6 guided learning hours" in out[2]["text"]
    assert out[3]["understood"] is False and "JSON object" in out[3]["text"]
    assert out[4]["understood"] is False
    assert "8577-306" in out[7]["text"]
    assert all(0.0 <= o["confidence"] <= 1.0 for o in out)


def test_ask_questions_are_one_conversation() -> None:
    proc = run("ask", "--json", "--user", "U42", "how many credits is 8577-305", "and 8577-306?")
    first, second = (json.loads(line) for line in proc.stdout.splitlines())
    assert first["intent"] == second["intent"] == "unit_credits"
    assert "7 credits" in second["text"]


def test_ask_check_field_matches_check_command() -> None:
    ask = json.loads(run("ask", "--json", "I've done 8577-304 and 8577-307, what's left for the Award?").stdout)
    check = json.loads(run("check", "award", "--units", "8577-304,8577-307", "--json").stdout)
    for key in ("qualification", "achieved", "credits_achieved", "credits_required", "completion_options"):
        assert ask["check"][key] == check[key]
    assert ask["check"]["completion_options"] == [["8577-305"]]


def test_no_command_opens_the_terminal_chat_without_tokens() -> None:
    proc = subprocess.run(
        [ILM_BOT],
        input="what level is the award?\nquit\n",
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp"},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Level 3 qualification" in proc.stdout


@pytest.mark.skipif(not (SHARED_EVAL / "ask_eval.py").exists(), reason="../shared/eval is not beside the repository")
def test_shared_sample_questions_score_100() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            str(SHARED_EVAL / "ask_eval.py"),
            str(SHARED_EVAL / "sample_questions.yaml"),
            "--cmd",
            f"{ILM_BOT} ask --json",
            "--show-failures",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.stdout.strip().splitlines()[-1].startswith("SCORE 100.0"), proc.stdout


def test_the_main_heldout_set_is_large() -> None:
    assert len(yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))) >= 250


@pytest.mark.parametrize("heldout", HELDOUT_SETS, ids=lambda p: p.name)
def test_heldout_set_is_independent(heldout: Path) -> None:
    cases = yaml.safe_load(heldout.read_text(encoding="utf-8"))
    examples = set()
    for path in (ROOT / "intents").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        examples.update(e.lower() for e in (data or {}).get("examples", []))
    # Written without sight of the examples; short small talk ("hello", "cheers") coincides naturally,
    # so only questions of more than three words count.
    last = [(c["id"], str(c["turns"][-1]).lower()) for c in cases]
    same = [cid for cid, text in last if text in examples and len(text.split()) > 3]
    assert len(same) <= 0.05 * len(cases), same


@pytest.mark.parametrize("heldout", HELDOUT_SETS, ids=lambda p: p.name)
def test_heldout_accuracy_does_not_regress(heldout: Path) -> None:
    cases = yaml.safe_load(heldout.read_text(encoding="utf-8"))
    report = evaluate_cases(Assistant(Brain.load()), cases)
    assert report.accuracy >= HELDOUT_FLOOR, [f.__dict__ for f in report.results if not f.passed][:10]


def test_eval_command_prints_metrics_and_writes_a_report(tmp_path: Path) -> None:
    cases = [
        {"id": "c1", "intent": "unit_credits", "turns": ["credits of 8578-303?"], "all": [r"\b3\b"]},
        {"id": "c2", "intent": "level", "turns": ["what's the weather"], "understood": True},
    ]
    qfile = tmp_path / "q.yaml"
    qfile.write_text(yaml.safe_dump(cases), encoding="utf-8")
    proc = run("eval", str(qfile), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert "accuracy (intent and facts): 50.0%" in proc.stdout
    assert "level -> (none)" in proc.stdout
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["per_intent"]["unit_credits"]["f1"] == 1.0
    assert [f["id"] for f in report["failures"]] == ["c2"]


def test_eval_rejects_a_missing_file_cleanly(tmp_path: Path) -> None:
    proc = run("eval", str(tmp_path / "nope.yaml"))
    assert proc.returncode == 2 and "no such question file" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(("path", "floor", "size"), BLIND_SETS, ids=lambda p: getattr(p, "name", str(p)))
def test_blind_set_does_not_regress(path: Path, floor: float, size: int) -> None:
    """Every case answered in one conversation per case, judged on the answer text as ask_eval does."""
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert len(cases) >= size
    assistant = Assistant(Brain.load())
    failed = []
    for i, case in enumerate(cases):
        answer = None
        for turn in case["turns"]:
            answer = assistant.reply(f"Ublind{i:04d}", expand(str(turn)))
        assert answer is not None and answer.text.strip(), case["id"]
        if why := judge(case, answer):
            failed.append((case["id"], why))
    assert 1 - len(failed) / len(cases) >= floor, failed[:15]
