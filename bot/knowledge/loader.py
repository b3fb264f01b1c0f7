"""Read the knowledge directory, validate it, and cross-check it.

Errors are collected rather than raised one at a time: an admin fixing a
broken file wants the whole list, each with file, line and field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.knowledge.crosscheck import crosscheck
from bot.knowledge.errors import KnowledgeError, KnowledgeInvalidError
from bot.knowledge.files import (
    ORGANISATION_FILE,
    QUALIFICATIONS_DIR,
    UNITS_FILE,
    UnreadableFileError,
    qualification_files,
    read_text,
)
from bot.knowledge.models import Knowledge, Organisation, Qualification, UnitsFile
from bot.knowledge.yaml_lines import YamlSyntaxError, load_with_lines, locate
from bot.shipped import shipped_dir

M = TypeVar("M", bound=BaseModel)


def default_knowledge_dir() -> Path:
    """The shipped ``knowledge/`` (package data, or the repo's); ``ILM_KNOWLEDGE_DIR`` overrides it at the edges."""
    return shipped_dir("knowledge")


def _read(
    path: Path, model: type[M], root: Path, errors: list[KnowledgeError]
) -> tuple[M | None, dict[tuple[Any, ...], int]]:
    name = _display(path, root)
    try:
        data, lines = load_with_lines(path)
    except FileNotFoundError:
        errors.append(KnowledgeError(name, None, "", "file is missing"))
        return None, {}
    except YamlSyntaxError as exc:
        errors.append(KnowledgeError(name, exc.line, "", exc.message))
        return None, {}
    if not isinstance(data, dict):
        errors.append(KnowledgeError(name, 1, "", "expected a mapping of fields at the top level"))
        return None, {}
    try:
        return model.model_validate(data), lines
    except ValidationError as exc:
        for err in exc.errors():
            if _knock_on(err):
                continue
            field, line = locate(err["loc"], data, lines)
            errors.append(KnowledgeError(name, line, field, _message(err)))
        return None, lines


def _knock_on(err: Any) -> bool:
    """A length error on a list that has enough items, some of them invalid.

    pydantic counts only the items that validated, so one typo inside a
    ``one_of`` option also reports "should have at least 2 items" on a list
    that has two; the item's own error is the one an editor needs.
    """
    if err["type"] != "too_short":
        return False
    minimum = err.get("ctx", {}).get("min_length")
    given = err.get("input")
    return isinstance(minimum, int) and isinstance(given, list | tuple) and len(given) >= minimum


def _message(err: Any) -> str:
    msg = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        return "unknown field (check the spelling)"
    if err["type"] == "missing":
        return "required field is missing"
    if err["type"] == "too_short":
        ctx = err.get("ctx", {})
        return f"needs at least {ctx.get('min_length')} items (got {ctx.get('actual_length')})"
    if "input" in err and err["type"] not in ("model_type",) and not isinstance(err["input"], dict | list):
        return f"{msg} (got {err['input']!r})"
    return msg


def _display(path: Path, root: Path) -> str:
    try:
        return str(Path(root.name) / path.relative_to(root))
    except ValueError:
        return str(path)


def _declared_id(path: Path) -> str:
    """The id a qualification file that failed validation meant to declare.

    Its own errors are already reported; without this, every progression
    route to it would be reported as an unknown qualification too, sending
    the editor to files that are fine. Unreadable files fall back to the
    file name, which by convention is the id.
    """
    try:
        data = yaml.safe_load(read_text(path))
    except (OSError, UnreadableFileError, yaml.YAMLError, RecursionError):
        data = None
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        return data["id"]
    return path.stem


def load_knowledge(directory: Path | str | None = None) -> Knowledge:
    """Load and fully validate a knowledge directory, or raise ``KnowledgeInvalidError``."""
    root = Path(directory) if directory is not None else default_knowledge_dir()
    errors: list[KnowledgeError] = []
    if not root.is_dir():
        raise KnowledgeInvalidError([KnowledgeError(str(root), None, "", "knowledge directory not found")])

    units_file, units_lines = _read(root / UNITS_FILE, UnitsFile, root, errors)
    organisation, _ = _read(root / ORGANISATION_FILE, Organisation, root, errors)
    quals: list[tuple[Qualification, str, dict[tuple[Any, ...], int]]] = []
    invalid_ids: list[str] = []
    qdir = root / QUALIFICATIONS_DIR
    paths = qualification_files(root)
    if not paths:
        errors.append(KnowledgeError(_display(qdir, root), None, "", "no qualification files found"))
    for path in paths:
        q, lines = _read(path, Qualification, root, errors)
        if q is not None:
            quals.append((q, _display(path, root), lines))
        else:
            invalid_ids.append(_declared_id(path))

    # Cross-checks need the units but not the organisation: an error in
    # organisation.yaml must not hide the errors in the other files.
    if units_file is not None:
        errors.extend(crosscheck(units_file, _display(root / UNITS_FILE, root), units_lines, quals, invalid_ids))
    if errors:
        raise KnowledgeInvalidError(errors)
    assert units_file is not None and organisation is not None
    return Knowledge(
        organisation=organisation,
        units={u.ref: u for u in units_file.units},
        equivalences=units_file.equivalences,
        qualifications={q.id: q for q, _, _ in quals},
    )
