"""The contract between the data (`intents/`) and the code, checked like `rasa data validate`.

- every intent has a handler, and every handler has an intent;
- every template the code renders exists in `responses.yaml`;
- every placeholder in a template is a field the code supplies.

Which templates the code renders, with which fields, is read from the code
itself (its ``render("section", "key", field=…)`` calls), so the contract
cannot drift from what actually runs. A reload that breaks it is refused
with the file and line, and the old version keeps serving.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.answers.handlers import HANDLERS
from bot.knowledge.errors import KnowledgeError
from bot.nlu.intents import RESPONSES_FILE, IntentSet, template_fields

#: Intents answered without a handler: out of scope is the fallback itself.
NO_HANDLER = frozenset({"out_of_scope"})
#: Templates read by surfaces as data, not rendered with fields.
DATA_TEMPLATES = frozenset({("home", "examples")})
_CODE = (Path(__file__).resolve().parent, Path(__file__).resolve().parents[1] / "core")


@dataclass(frozen=True)
class Use:
    """One ``render`` call: where it is and the fields it supplies (None: it passes ``**fields``)."""

    where: str
    fields: frozenset[str] | None


def _constants(node: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


class _Calls(ast.NodeVisitor):
    """Collects render calls, resolving a section or key held in a variable to the strings it can be."""

    def __init__(self, module: ast.Module, path: str) -> None:
        self.module, self.path = module, path
        self.uses: dict[tuple[str, str], list[Use]] = {}
        self.function: ast.FunctionDef | None = None

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        outer, self.function = self.function, node
        self.generic_visit(node)
        self.function = outer

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "render" and len(node.args) >= 2:
            fields = (
                None if any(k.arg is None for k in node.keywords) else frozenset(k.arg or "" for k in node.keywords)
            )
            use = Use(f"{self.path}:{node.lineno}", fields)
            for section in self._values(node.args[0], node.lineno):
                for key in self._values(node.args[1], node.lineno):
                    self.uses.setdefault((section, key), []).append(use)
        self.generic_visit(node)

    def _values(self, arg: ast.expr, line: int) -> list[str]:
        """The strings an argument can be: a literal, the last assignment to the variable before
        the call, or (for a parameter) what the module's calls pass."""
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            return [arg.value]
        if not isinstance(arg, ast.Name) or self.function is None:
            return []
        assigns = [
            n
            for n in ast.walk(self.function)
            if isinstance(n, ast.Assign)
            and n.lineno <= line
            and any(isinstance(t, ast.Name) and t.id == arg.id for t in n.targets)
        ]
        if assigns:
            return _constants(max(assigns, key=lambda n: n.lineno).value)
        return self._from_callers(self.function, arg.id)

    def _from_callers(self, fn: ast.FunctionDef, param: str) -> list[str]:
        """A parameter: the literal arguments the module's own calls pass for it."""
        names = [a.arg for a in fn.args.args]
        if param not in names:
            return []
        index = names.index(param)
        out: list[str] = []
        for call in ast.walk(self.module):
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == fn.name:
                if index < len(call.args):
                    out += _constants(call.args[index])
                out += [c for k in call.keywords if k.arg == param for c in _constants(k.value)]
        return out


@cache
def template_uses() -> dict[tuple[str, str], tuple[Use, ...]]:
    """Every (section, key) the answering code renders, with the fields each call supplies."""
    uses: dict[tuple[str, str], list[Use]] = {}
    root = Path(__file__).resolve().parents[2]
    for folder in _CODE:
        for path in sorted(folder.glob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            calls = _Calls(tree, path.relative_to(root).as_posix())
            calls.visit(tree)
            for key, found in calls.uses.items():
                uses.setdefault(key, []).extend(found)
    return {k: tuple(v) for k, v in uses.items()}


def check_contract(intents: IntentSet, folder: str = "intents") -> list[KnowledgeError]:
    """Every way the data and the code disagree, each with its file and line."""
    errors: list[KnowledgeError] = []
    names = set(intents.names())
    for name in sorted(names - set(HANDLERS) - NO_HANDLER):
        errors.append(KnowledgeError(f"{folder}/{name}.yaml", 1, "name", f"intent {name!r} has no handler in the code"))
    for name in sorted(set(HANDLERS) - names):
        errors.append(
            KnowledgeError(folder, None, name, f"the code answers intent {name!r} but there is no {name}.yaml")
        )
    responses = f"{folder}/{RESPONSES_FILE}"
    for (section, key), uses in sorted(template_uses().items()):
        template = intents.responses.get(section, {}).get(key)
        line = intents.response_lines.get((section, key)) or intents.response_lines.get((section,))
        if template is None:
            where = ", ".join(u.where for u in uses[:2])
            errors.append(
                KnowledgeError(responses, line, f"{section}.{key}", f"missing: the code renders it ({where})")
            )
            continue
        try:
            needed = template_fields(template)
        except ValueError as exc:
            errors.append(KnowledgeError(responses, line, f"{section}.{key}", f"malformed template: {exc}"))
            continue
        for use in uses:
            unknown = sorted(needed - use.fields) if use.fields is not None else []
            if unknown:
                fields = ", ".join("{" + u + "}" for u in unknown)
                errors.append(
                    KnowledgeError(responses, line, f"{section}.{key}", f"{fields} is not supplied by {use.where}")
                )
    return errors
