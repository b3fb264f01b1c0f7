"""The data<->code contract: a knowledge version whose templates or intents don't fit the code is refused."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
import yaml

from bot.answers.contract import check_contract, template_uses
from bot.core.brain import Brain
from bot.knowledge import load_knowledge
from bot.knowledge.errors import KnowledgeInvalidError
from bot.nlu.intents import default_intents_dir, load_intents

SEED = 20261129


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "intents"
    shutil.copytree(default_intents_dir(), target)
    return target


def _rewrite(folder: Path, change) -> None:
    path = folder / "responses.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_shipped_intents_keep_the_contract() -> None:
    assert check_contract(load_intents()) == []


def test_every_template_the_code_renders_is_found_by_reading_the_code() -> None:
    uses = template_uses()
    assert ("unit_membership", "role_differs") in uses
    assert ("induction", "answer") in uses and ("tutorial_support", "answer") in uses  # section passed by callers
    assert ("clarify", "which") in uses  # the assistant's own clarifications


def test_a_deleted_template_is_refused_with_file_line_and_field(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _rewrite(folder, lambda d: d["level"].pop("answer"))
    with pytest.raises(KnowledgeInvalidError) as exc:
        Brain.build(load_knowledge(), load_intents(folder))
    text = str(exc.value)
    assert "responses.yaml" in text and "level.answer" in text and "missing" in text


def test_an_unknown_placeholder_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _rewrite(folder, lambda d: d["level"].update(answer="The {title} is Level {level}, says {nobody}."))
    errors = check_contract(load_intents(folder), "intents")
    assert any("{nobody}" in e.message and e.field == "level.answer" and e.line for e in errors), errors


def test_an_intent_without_a_handler_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "parking.yaml").write_text(
        "name: parking\ndescription: where to park\nexamples:\n  - where do I park\n", encoding="utf-8"
    )
    errors = check_contract(load_intents(folder), "intents")
    assert any(e.file.endswith("parking.yaml") and "no handler" in e.message for e in errors), errors


@pytest.mark.parametrize("case", range(25))
def test_generated_breakages_are_each_refused(tmp_path: Path, case: int) -> None:
    """Any used template removed, emptied of a field it needs, or given a field nobody supplies: refused."""
    rng = random.Random(SEED + case)
    uses = sorted(k for k, v in template_uses().items() if all(u.fields is not None for u in v))
    section, key = rng.choice(uses)
    folder = _copy(tmp_path)
    mode = rng.choice(["delete", "unknown_field", "unbalanced"])

    def change(data: dict) -> None:
        if mode == "delete":
            data[section].pop(key)
        elif mode == "unknown_field":
            data[section][key] += f" {{zz_{case}}}"
        else:
            data[section][key] += " {oops"

    _rewrite(folder, change)
    try:  # malformed templates are refused by the loader already; the rest by the contract
        errors = check_contract(load_intents(folder), "intents")
    except KnowledgeInvalidError as exc:
        errors = exc.errors
    assert any(e.field == f"{section}.{key}" and e.line for e in errors), (mode, section, key, errors)
