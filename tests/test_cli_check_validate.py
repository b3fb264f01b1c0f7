"""The real `ilm-bot` console script: `check` and `validate`, as a user runs them.

Every test starts the installed script in a subprocess, from a directory
outside the repository and without ``ILM_KNOWLEDGE_DIR`` unless the test sets
it. Whatever the input, stderr never shows a traceback. The commands the tests
need are started together once, in parallel, to keep the suite fast; each test
still reads its own command's output.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from bot.cli.check import parse_hours
from bot.cli.common import UsageError

ILM_BOT = Path(sys.executable).parent / "ilm-bot"
SHIPPED = Path(__file__).resolve().parents[1] / "knowledge"

AWARD = "l3-award-mentoring"
CERT = "l3-certificate-mentoring"
CM = "l3-certificate-coaching-mentoring"

Args = tuple[str, ...]
_cache: dict[Args, subprocess.CompletedProcess[str]] = {}


def _env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "ILM_KNOWLEDGE_DIR"}
    env.update(extra or {})
    return env


def _start(args: Args, extra_env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ILM_BOT), *args],
        capture_output=True,
        text=True,
        env=_env(extra_env),
        cwd=tempfile.gettempdir(),
        timeout=60,
        check=False,
    )


def run(*args: str, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``ilm-bot ARGS``; never a traceback, whatever happened."""
    if env is None and args in _cache:
        proc = _cache[args]
    else:
        proc = _start(args, env)
        if env is None:
            _cache[args] = proc
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout, proc.stdout
    return proc


def check_json(*args: str) -> dict[str, Any]:
    proc = run("check", *args, "--json")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    data = json.loads(proc.stdout)
    assert isinstance(data, dict)
    return data


def usage_error(*args: str) -> str:
    """Run a command that must fail on bad input: exit 2, nothing on stdout, one clear message."""
    proc = run(*args)
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stdout == ""
    assert proc.stderr.startswith("ilm-bot: "), proc.stderr
    return proc.stderr


# Commands started together before the tests (the results are cached; tests may run others).
PREFETCH: tuple[Args, ...] = (
    ("check", CM, "--units", "8578-300,8578-304,8578-302", "--json"),
    ("check", AWARD, "--json"),
    ("check", "award in mentoring", "--json"),
    ("check", "Certificate in Coaching and Mentoring", "--json"),
    ("check", "C&M", "--json"),
    ("check", AWARD, "--units", "8577-304,8577 305,8577/307", "--json"),
    ("check", CM, "--units", "8578-300", "--hours", "coaching=30,tutorial=4", "--json"),
    ("check", CERT, "--units", "8577-304", "--hours", "mentoring=20", "--json"),
    ("check", "C&M", "--units", "8578-300,8578-304,8578-302"),
    ("check", "C&M", "--units", "8577-304,8577-306,8577-307"),
    ("check", "award in mentoring", "--units", "8577-304,8577-305,8577-307", "--hours", "induction=1,tutorial=2"),
    ("check", AWARD, "--units", "8577-399"),
    ("check", AWARD, "--units", "banana"),
    ("check", "diploma in basket weaving"),
    ("check", "certificate"),
    ("check", AWARD, "--hours", "mentoring"),
    ("check", AWARD, "--hours", "juggling=3"),
    ("validate",),
)


@pytest.fixture(scope="module", autouse=True)
def _prefetch() -> None:
    assert ILM_BOT.is_file(), f"the ilm-bot console script is not installed next to {sys.executable}"
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for args, proc in zip(PREFETCH, pool.map(_start, PREFETCH), strict=True):
            _cache[args] = proc


# -- check --json ----------------------------------------------------------------------------


def test_check_json_contract() -> None:
    data = check_json(CM, "--units", "8578-300,8578-304,8578-302")
    assert {"qualification", "achieved", "credits_achieved", "credits_required", "completion_options"} <= set(data)
    assert data["qualification"] == CM
    assert data["achieved"] is False
    assert (data["credits_achieved"], data["credits_required"]) == (13, 16)
    assert data["completion_options"] == [["8578-303"]]
    requirements = data["requirements"]
    assert isinstance(requirements, list)
    for req in requirements:
        assert {"id", "description", "status"} <= set(req)
        assert req["status"] in {"met", "unmet", "unknown"}
        assert isinstance(req["description"], str) and req["description"]
    status = {r["id"]: r["status"] for r in requirements}
    assert status == {
        "rules": "unmet",
        "mandatory": "met",
        "optional": "unmet",
        "group-1": "unmet",
        "group-2": "unmet",
    }


def test_check_json_achieved_has_no_options() -> None:
    data = check_json(AWARD, "--units", "8577-304,8577 305,8577/307")
    assert data["achieved"] is True
    assert data["completion_options"] == []
    assert data["credits_achieved"] == data["credits_required"] == 10


def test_unit_references_in_every_form() -> None:
    """8577-304, '8577 304' and 8577/304 are the same unit: all three are needed for the award."""
    data = check_json(AWARD, "--units", "8577-304,8577 305,8577/307")
    assert sorted(u["unit"] for u in data["units_counted"]) == ["8577-304", "8577-305", "8577-307"]


@pytest.mark.parametrize(
    ("given", "qid"),
    [
        (AWARD, AWARD),
        ("award in mentoring", AWARD),
        ("Certificate in Coaching and Mentoring", CM),
        ("C&M", CM),
    ],
)
def test_qualification_by_id_name_or_alias(given: str, qid: str) -> None:
    data = check_json(given)
    assert data["qualification"] == qid
    assert data["achieved"] is False
    assert data["completion_options"]


def test_hours_by_kind() -> None:
    data = check_json(CM, "--units", "8578-300", "--hours", "coaching=30,tutorial=4")
    practice = {p["unit"]: p for p in data["practice"]}
    assert practice["8578-302"]["hours_logged"] == 30
    assert practice["8578-302"]["hours_remaining"] == 6
    assert practice["8578-302"]["status"] == "unmet"
    assert practice["8578-306"]["hours_remaining"] == 36
    programme = {p["id"]: p for p in data["programme"]}
    assert programme["tutorial"]["status"] == "met"
    # Hours were stated, so no induction hours means none, not unknown.
    assert programme["induction"]["status"] == "unmet"


def test_mentoring_hours_for_the_certificate() -> None:
    data = check_json(CERT, "--units", "8577-304", "--hours", "mentoring=20")
    (practice,) = data["practice"]
    assert (practice["unit"], practice["hours_remaining"]) == ("8577-306", 16)


def test_without_hours_they_are_unknown() -> None:
    data = check_json(AWARD)
    assert {p["status"] for p in data["programme"]} == {"unknown"}
    assert {p["status"] for p in data["practice"]} == {"unknown"}


# -- the readable report ------------------------------------------------------------------------


def test_report_says_what_is_missing() -> None:
    proc = run("check", "C&M", "--units", "8578-300,8578-304,8578-302")
    assert proc.returncode == 0 and proc.stderr == ""
    lines = proc.stdout.splitlines()
    assert lines[0] == (
        "Not yet: 13 of 16 credits toward the ILM Level 3 Certificate in Coaching and Mentoring. "
        "To finish you need 8578-303 Reflecting on Workplace Coaching Skills."
    )
    assert "Rules of combination:" in lines
    assert any("never mixed" in line for line in lines)
    assert any("8578-302 practice" in line and "none stated" in line for line in lines)
    assert not proc.stdout.lstrip().startswith("{")


def test_report_explains_credit_transfer() -> None:
    proc = run("check", "C&M", "--units", "8577-304,8577-306,8577-307")
    assert proc.returncode == 0
    assert "To finish you need 8578-300 Understanding Good Practice in Workplace Coaching." in proc.stdout
    transfer = [line for line in proc.stdout.splitlines() if line.startswith("Credit transfer:")]
    assert len(transfer) == 1
    for ref in ("304", "306", "307"):
        assert f"8577-{ref} counted as 8578-{ref}" in transfer[0]
    assert "credit transfer" in proc.stdout.lower()


def test_report_when_achieved() -> None:
    proc = run(
        "check", "award in mentoring", "--units", "8577-304,8577-305,8577-307", "--hours", "induction=1,tutorial=2"
    )
    assert proc.returncode == 0
    assert proc.stdout.startswith("Yes: the rules of combination for the ILM Level 3 Award in Mentoring are met")
    assert "10 of 10 credits" in proc.stdout
    assert "To finish" not in proc.stdout


# -- bad input -----------------------------------------------------------------------------------


def test_unknown_unit_names_the_nearest_real_ones() -> None:
    message = usage_error("check", AWARD, "--units", "8577-399")
    assert "8577-399" in message
    suggestions = re.findall(r"\d{4}-\d{3}", message.split("8577-399", 1)[1])
    assert suggestions, message
    assert all(re.fullmatch(r"8577-3\d\d", s) for s in suggestions), suggestions
    assert "8577-399" not in suggestions


def test_not_a_unit_reference() -> None:
    message = usage_error("check", AWARD, "--units", "banana")
    assert "'banana'" in message
    assert "8577-304" in message  # shows what a reference looks like


def test_unknown_qualification_lists_the_valid_ids() -> None:
    message = usage_error("check", "diploma in basket weaving")
    assert "diploma in basket weaving" in message
    for qid in (AWARD, CERT, CM):
        assert qid in message


def test_ambiguous_qualification_names_both() -> None:
    message = usage_error("check", "certificate")
    assert CM in message and CERT in message
    assert AWARD not in message
    assert "which" in message


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        ("mentoring", "KIND=N"),
        ("juggling=3", "juggling"),
    ],
)
def test_bad_hours(hours: str, expected: str) -> None:
    message = usage_error("check", AWARD, "--hours", hours)
    assert "--hours" in message
    assert expected in message


@pytest.mark.parametrize(
    ("hours", "expected"),
    [("mentoring=lots", "'lots' is not a number"), ("mentoring=-1", "zero or more"), ("tutorial=inf", "zero or more")],
)
def test_bad_hour_values(hours: str, expected: str) -> None:
    """The same parser the script uses, in-process (a subprocess each would only add time)."""
    with pytest.raises(UsageError, match=re.escape(expected)):
        parse_hours(hours)


def test_hours_are_added_up_by_kind() -> None:
    assert parse_hours(" Mentoring=20, mentoring=4.5,tutorial=2 ") == {"mentoring": 24.5, "tutorial": 2.0}
    assert parse_hours("") == {}


def test_check_with_a_broken_knowledge_base(tmp_path: Path) -> None:
    root = tmp_path / "knowledge"
    shutil.copytree(SHIPPED, root)
    (root / "units.yaml").write_text("units: [\n", encoding="utf-8")
    proc = run("check", AWARD, env={"ILM_KNOWLEDGE_DIR": str(root)})
    assert proc.returncode == 1
    assert "knowledge base is invalid" in proc.stderr
    assert "knowledge/units.yaml:" in proc.stderr


# -- validate ------------------------------------------------------------------------------------


def test_validate_shipped_knowledge() -> None:
    proc = run("validate")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout.splitlines() == ["valid: 3 qualifications, 10 units, 3 equivalences"]


def test_validate_explicit_directory(tmp_path: Path) -> None:
    root = tmp_path / "copy"
    shutil.copytree(SHIPPED, root)
    proc = run("validate", str(root))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("valid: ")


def line_of(text: str, needle: str) -> int:
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(hits) == 1, needle
    return hits[0]


def break_file(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text


def test_validate_lists_every_error_with_file_and_line(tmp_path: Path) -> None:
    root = tmp_path / "knowledge"
    shutil.copytree(SHIPPED, root)
    units = break_file(root / "units.yaml", '- ["8577-307", "8578-307"]', '- ["8577-307", "8578-308"]')
    org = break_file(root / "organisation.yaml", "name: ILM\n", "name: ILM\nmotto: Lead on\n")
    cert = break_file(root / "qualifications" / "l3-certificate-mentoring.yaml", "credits: 13\n", "credits: 14\n")
    award = break_file(
        root / "qualifications" / "l3-award-mentoring.yaml",
        "- external: ILM Level 3 Certificate or Diploma",
        "- qualification: ILM Level 3 Certificate or Diploma",
    )

    proc = run("validate", str(root))
    assert proc.returncode == 1
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert lines[0] == "invalid: 4 errors"
    assert len(lines) == 5, proc.stderr
    expected = [
        f"knowledge/units.yaml:{line_of(units, '8578-308')}: equivalences[2][1]: unknown unit 8578-308",
        f"knowledge/organisation.yaml:{line_of(org, 'motto')}: motto: unknown field",
        f"knowledge/qualifications/l3-certificate-mentoring.yaml:{line_of(cert, 'credits: 14')}: credits: stated",
        f"knowledge/qualifications/l3-award-mentoring.yaml:{line_of(award, '- qualification: ILM Level 3')}: "
        "progression[2].qualification: unknown qualification",
    ]
    for prefix in expected:
        assert any(line.strip().startswith(prefix) for line in lines[1:]), (prefix, proc.stderr)


def test_validate_missing_directory(tmp_path: Path) -> None:
    proc = run("validate", str(tmp_path / "nowhere"))
    assert proc.returncode == 1
    assert "not found" in proc.stderr
