"""The import direction of ``bot``'s packages, enforced: imports point down only.

The rule (DEVELOPERS guide, issue 16), from the top layer to the bottom:

    0  cli, slack                 surfaces: the terminal and Slack (cli starts the Slack app)
    1  runtime, admin, reminders, evaluation
                                  the imperative shell: services, reloads, scheduling, scoring runs
    2  core                       the conversation: understanding, dialogue, the assistant
    3  answers                    answers from the knowledge and the record
    4  learners, storage          learner records, and the database they and the shell use
    5  nlu, knowledge             reading questions; the YAML knowledge
    6  rules, errors, shipped, settings
                                  the pure rules engine; the error types every layer raises; where the
                                  shipped data lives
    ``bot/__main__.py`` (``python -m bot``) is the command line's entry point, on its layer.

A module may import its own package, packages on its own layer, and any layer
below. An import from a higher layer is a violation: the lower layer would then
depend on a surface or the shell, and could not be used or tested without it.
Imports only for type checking (``if TYPE_CHECKING:``) count too.

Within the Slack layer, listener modules (``bot/slack/listeners/<surface>/<name>.py``)
never import another listener module; only each package's ``__init__`` imports its own
listeners to register them. What listeners share lives in ``bot.slack`` modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"
LAYERS: dict[str, int] = {
    "cli": 0,
    "slack": 0,
    "runtime": 1,
    "admin": 1,
    "reminders": 1,
    "evaluation": 1,
    "core": 2,
    "answers": 3,
    "learners": 4,
    "storage": 4,
    "nlu": 5,
    "knowledge": 5,
    "rules": 6,
    "errors": 6,
    "shipped": 6,
    "settings": 6,  # the one typed configuration (bot/settings.py): read by storage, learners and the shell
    "__main__": 0,
}


def _package(path: Path) -> str:
    parts = path.relative_to(BOT).parts
    return parts[0].removesuffix(".py")


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every absolute ``bot.…`` import in ``path``, wherever it is in the file."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == "bot":
            found.extend((node.lineno, f"bot.{a.name}") for a in node.names)  # from bot import errors
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("bot."):
            found.append((node.lineno, str(node.module)))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, a.name) for a in node.names if a.name.startswith("bot."))
    return found


MODULES = sorted(p for p in BOT.rglob("*.py") if "migrations" not in p.parts or p.name != "env.py")


def test_every_package_has_a_layer() -> None:
    packages = {_package(p) for p in MODULES if len(p.relative_to(BOT).parts) > 1 or p.stem != "__init__"}
    assert packages - {"__init__"} <= set(LAYERS), f"give these a layer: {sorted(packages - set(LAYERS))}"


def test_imports_point_down_only() -> None:
    violations = []
    for path in MODULES:
        if path.relative_to(BOT).parts == ("__init__.py",):
            continue
        here = _package(path)
        for line, module in _imports(path):
            target = module.split(".")[1]
            if target in LAYERS and LAYERS[target] < LAYERS[here]:
                violations.append(
                    f"{path.relative_to(BOT.parent)}:{line} ({here}, layer {LAYERS[here]}) imports "
                    f"{module} (layer {LAYERS[target]})"
                )
    assert not violations, "upward imports:\n" + "\n".join(violations)


LISTENERS = BOT / "slack" / "listeners"


@pytest.mark.parametrize(
    "path", sorted(p for p in LISTENERS.rglob("*.py") if p.name != "__init__.py"), ids=lambda p: p.stem
)
def test_listener_modules_do_not_import_each_other(path: Path) -> None:
    others = [m for _, m in _imports(path) if m.startswith("bot.slack.listeners")]
    assert not others, f"{path.relative_to(BOT.parent)} imports {others}"


def test_the_checker_sees_an_upward_import(tmp_path: Path) -> None:
    """The test can fail: a rules module importing the Slack layer is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("from bot.slack.app import build_app\n\ndef f():\n    import bot.core.brain\n", encoding="utf-8")
    assert [m for _, m in _imports(bad)] == ["bot.slack.app", "bot.core.brain"]
    assert all(LAYERS[m.split(".")[1]] < LAYERS["rules"] for _, m in _imports(bad))
