"""Load intent definitions (examples) and response templates from `intents/`."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from bot.knowledge.errors import KnowledgeError, KnowledgeInvalidError
from bot.knowledge.yaml_lines import YamlSyntaxError, load_with_lines
from bot.shipped import shipped_dir

RESPONSES_FILE = "responses.yaml"
PLACEHOLDERS = ("{qualification}", "{unit}", "{group}", "{hours}", "{kind}")


@dataclass(frozen=True)
class IntentSpec:
    """One intent. ``cues`` are phrases that decide the intent outright when the question is
    about these qualifications at all ("cost", "pass mark" → a fact the brochures don't give);
    an ``anchored`` intent is only in scope when the question or conversation is (so "the price
    of bitcoin" is out of scope, not a missing fact)."""

    name: str
    description: str
    examples: tuple[str, ...]
    cues: tuple[re.Pattern[str], ...] = ()
    anchored: bool = False

    def cued(self, text: str) -> bool:
        return bool(self.cues) and self._any_cue.search(text) is not None

    @cached_property
    def _any_cue(self) -> re.Pattern[str]:
        """All cues as one alternation: one scan of the text instead of one per cue."""
        return re.compile("|".join(f"(?:{c.pattern})" for c in self.cues), re.I)


@dataclass(frozen=True)
class IntentSet:
    intents: tuple[IntentSpec, ...]
    responses: dict[str, dict[str, str]]
    #: Line of each template in responses.yaml, keyed (section, key) and (section,), for error messages.
    response_lines: dict[tuple[str, ...], int] = field(default_factory=dict)

    def names(self) -> list[str]:
        return [i.name for i in self.intents]

    def description(self, name: str) -> str:
        return next((i.description for i in self.intents if i.name == name), name)

    def spec(self, name: str) -> IntentSpec | None:
        return next((i for i in self.intents if i.name == name), None)

    def cued(self, text: str) -> IntentSpec | None:
        """The first intent whose cue phrases occur in the (lower-cased) text."""
        return next((i for i in self._with_cues if i.cued(text)), None)

    @cached_property
    def _with_cues(self) -> tuple[IntentSpec, ...]:
        return tuple(i for i in self.intents if i.cues)


def default_intents_dir() -> Path:
    """The shipped ``intents/`` (package data, or the repository's); ``ILM_INTENTS_DIR`` overrides it at the edges."""
    return shipped_dir("intents")


def intent_files(root: Path) -> list[Path]:
    """The files ``load_intents`` reads: every ``*.yaml`` directly in ``root`` (one per intent, and the responses)."""
    return sorted(root.glob("*.yaml"))


def load_intents(directory: Path | str | None = None) -> IntentSet:
    """Read every ``<intent>.yaml`` and ``responses.yaml``; raise with file/line on any error."""
    root = Path(directory) if directory is not None else default_intents_dir()
    errors: list[KnowledgeError] = []
    intents: list[IntentSpec] = []
    responses: dict[str, dict[str, str]] = {}
    response_lines: dict[tuple[str, ...], int] = {}
    if not root.is_dir():
        raise KnowledgeInvalidError([KnowledgeError(str(root), None, "", "intents directory not found")])
    for path in intent_files(root):
        name = f"{root.name}/{path.name}"
        try:
            data, lines = load_with_lines(path)
        except YamlSyntaxError as exc:
            errors.append(KnowledgeError(name, exc.line, "", exc.message))
            continue
        if path.name == RESPONSES_FILE:
            responses = _responses(data, name, lines, errors)
            response_lines = {
                k: v for k, v in lines.items() if isinstance(v, int) and all(isinstance(p, str) for p in k)
            }
            continue
        spec = _intent(data, path.stem, name, lines, errors)
        if spec is not None:
            intents.append(spec)
    seen: dict[str, str] = {}
    for spec in intents:
        for ex in spec.examples:
            key = " ".join(ex.lower().split())
            if key in seen and seen[key] != spec.name:
                errors.append(
                    KnowledgeError(
                        f"{root.name}/{spec.name}.yaml",
                        None,
                        "examples",
                        f"example {ex!r} is also an example of {seen[key]}",
                    )
                )
            seen[key] = spec.name
    if errors:
        raise KnowledgeInvalidError(errors)
    return IntentSet(tuple(intents), responses, response_lines)


def _intent(data: object, stem: str, name: str, lines: dict, errors: list[KnowledgeError]) -> IntentSpec | None:
    if not isinstance(data, dict):
        errors.append(KnowledgeError(name, 1, "", "expected a mapping with name, description and examples"))
        return None
    ok = True
    if data.get("name") != stem:
        errors.append(KnowledgeError(name, lines.get(("name",)), "name", f"must equal the file name {stem!r}"))
        ok = False
    examples = data.get("examples")
    if not isinstance(examples, list) or not examples or not all(isinstance(e, str) for e in examples):
        errors.append(KnowledgeError(name, lines.get(("examples",)), "examples", "must be a non-empty list of text"))
        return None
    for i, ex in enumerate(examples):
        for ph in _placeholders(ex):
            if ph not in PLACEHOLDERS:
                errors.append(
                    KnowledgeError(
                        name,
                        lines.get(("examples", i)),
                        f"examples[{i}]",
                        f"unknown placeholder {ph}; use one of {', '.join(PLACEHOLDERS)}",
                    )
                )
                ok = False
    extra = set(data) - {"name", "description", "examples", "cues", "anchored"}
    if extra:
        errors.append(KnowledgeError(name, lines.get((sorted(extra)[0],)), sorted(extra)[0], "unknown field"))
        ok = False
    cues = _cues(data.get("cues", []), name, lines, errors)
    anchored = data.get("anchored", False)
    if not isinstance(anchored, bool):
        errors.append(KnowledgeError(name, lines.get(("anchored",)), "anchored", "must be true or false"))
        ok = False
    if cues is None or not ok:
        return None
    return IntentSpec(stem, str(data.get("description", "")), tuple(examples), cues, anchored)


def _cues(raw: object, name: str, lines: dict, errors: list[KnowledgeError]) -> tuple[re.Pattern[str], ...] | None:
    """Cue phrases are regular expressions matched on whole words, case-insensitively."""
    if not isinstance(raw, list) or not all(isinstance(c, str) and c.strip() for c in raw):
        errors.append(KnowledgeError(name, lines.get(("cues",)), "cues", "must be a list of phrases"))
        return None
    out: list[re.Pattern[str]] = []
    for i, cue in enumerate(raw):
        try:
            out.append(re.compile(rf"(?<![\w£$]){cue}(?!\w)", re.I))
        except re.error as exc:
            errors.append(KnowledgeError(name, lines.get(("cues", i)), f"cues[{i}]", f"not a valid pattern: {exc}"))
            return None
    return tuple(out)


def _responses(data: object, name: str, lines: dict, errors: list[KnowledgeError]) -> dict[str, dict[str, str]]:
    if not isinstance(data, dict):
        errors.append(KnowledgeError(name, 1, "", "expected a mapping of intent name to templates"))
        return {}
    out: dict[str, dict[str, str]] = {}
    for intent, templates in data.items():
        if not isinstance(templates, dict) or not all(isinstance(v, str) for v in templates.values()):
            errors.append(
                KnowledgeError(name, lines.get((intent,)), str(intent), "expected a mapping of template name to text")
            )
            continue
        for key, template in templates.items():
            try:
                template_fields(template)
            except TemplateError as exc:
                errors.append(KnowledgeError(name, lines.get((intent, key)), f"{intent}.{key}", str(exc)))
        out[str(intent)] = {str(k): v for k, v in templates.items()}
    return out


class TemplateError(ValueError):
    """A response template the answer code could not fill safely; the message says how to write it."""


def template_fields(template: str) -> set[str]:
    """The names a response template fills, ``{title}`` → ``{"title"}``; ``TemplateError`` on anything else.

    Templates are filled with ``str.format``, which also reads attributes and
    items (``{x.__class__}``, ``{x[0]}``) and takes positional fields, format
    options and conversions. Each of those would print Python internals or
    fail on some answer, so only plain names are allowed. The loader adds the
    file and line to the message; the data-code contract check (which names
    each answer supplies) builds on the set returned.
    """
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:  # a lone { or }
        raise TemplateError(f"unbalanced braces ({exc}); write {{{{ or }}}} for a literal brace") from None
    fields: set[str] = set()
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        if "." in name or "[" in name:
            raise TemplateError(f"{shown} reads an attribute or item; use a plain name like {{title}}")
        if not name.isidentifier():
            raise TemplateError(f"{shown} is not a name; use a plain name like {{title}}")
        if conversion or spec:
            raise TemplateError(f"{shown} has a conversion or format option; use a plain name like {{{name}}}")
        fields.add(name)
    return fields


def _placeholders(text: str) -> list[str]:
    return re.findall(r"\{[^}]*\}", text)
