"""Validation refuses data that would make the bot say nonsense, each with the file and line to fix.

Issue 13 item 3. Every class of bad data is generated: a seeded generator
mutates the shipped ``knowledge/`` and ``intents/`` (a private copy) in many
places and ways, and each mutation must be refused by the check that
``ilm-bot validate`` and every reload run, with an error on the mutated line
of the mutated file. Expected lines are computed from the text written, never
guessed. Nothing may raise instead (a RecursionError on deep nesting was the
old behaviour).
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from botprocess import knowledge_copy

from bot.admin.snapshot import check_sources
from bot.knowledge import yaml_lines
from bot.knowledge.errors import KnowledgeError
from bot.nlu.intents import TemplateError, template_fields

SEED = 20261129
#: Cases per class: enough to cover every field and form, few enough to stay fast.
PER_CLASS = 40

QUALS = (
    "knowledge/qualifications/l3-award-mentoring.yaml",
    "knowledge/qualifications/l3-certificate-mentoring.yaml",
    "knowledge/qualifications/l3-certificate-coaching-mentoring.yaml",
)
UNITS = "knowledge/units.yaml"
RESPONSES = "intents/responses.yaml"


@dataclass(frozen=True)
class Mutation:
    rel: str
    text: str
    line: int  # 1-based line of the fault in ``text``
    needle: str  # part of the message (or field) the error must carry
    last_line: int = 0  # when the fault spans lines (deep block nesting): the last line it may be reported on

    def reported(self, error: KnowledgeError) -> bool:
        lines = range(self.line, max(self.line, self.last_line) + 1)
        return error.file == self.rel and error.line in lines and self.needle in str(error)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("refusals")
    knowledge_copy(base)
    return base


def _errors(root: Path, m: Mutation) -> list[KnowledgeError]:
    path = root / m.rel
    good = path.read_text(encoding="utf-8")
    path.write_text(m.text, encoding="utf-8")
    try:
        return check_sources(root / "knowledge", root / "intents")[1]
    finally:
        path.write_text(good, encoding="utf-8")


def assert_refused(root: Path, mutations: Iterator[Mutation], at_least: int = PER_CLASS // 2) -> None:
    count = 0
    for m in mutations:
        errors = _errors(root, m)
        shown = "\n".join(map(str, errors))
        assert any(m.reported(e) for e in errors), (
            f"{m.rel}:{m.line} ({m.needle!r}) not reported; line is {m.text.splitlines()[m.line - 1]!r}; got:\n{shown}"
        )
        count += 1
    assert count >= at_least


# -- text helpers ------------------------------------------------------------------------------


def _shipped(root: Path, rel: str) -> str:
    return (root / rel).read_text(encoding="utf-8")


def _lines_matching(text: str, pattern: str) -> list[int]:
    """0-based indexes of the lines matching ``pattern``."""
    return [i for i, line in enumerate(text.splitlines()) if re.match(pattern, line)]


def _set_value(text: str, index: int, value: str) -> str:
    """Give the ``key:`` on line ``index`` a new one-line value, dropping a block value's continuation lines."""
    lines = text.splitlines()
    key_line = lines[index]
    indent = len(key_line) - len(key_line.lstrip())
    key = key_line.split(":", 1)[0]
    end = index + 1
    while end < len(lines) and lines[end].strip() and len(lines[end]) - len(lines[end].lstrip()) > indent:
        end += 1
    return "\n".join([*lines[:index], f"{key}: {value}", *lines[end:]]) + "\n"


def _insert_line(text: str, index: int, line: str) -> str:
    lines = text.splitlines()
    return "\n".join([*lines[:index], line, *lines[index:]]) + "\n"


def _generate(count: int, make: Callable[[random.Random], Mutation | None]) -> Iterator[Mutation]:
    rng = random.Random(f"{SEED}-{make.__name__}")
    made = 0
    while made < count:
        m = make(rng)
        if m is not None:
            made += 1
            yield m


# -- empty text --------------------------------------------------------------------------------

BLANKS = ('""', "''", '" "', '"\\t"', "'   '", ">-\n    ")
#: No value at all: refused where the field is required (an optional field may be left out).
MISSING = ("", "~", "null")
OPTIONAL = {"overview", "summary"}


def test_empty_title_short_title_audience_and_other_text_is_refused(root: Path) -> None:
    def blank_text(rng: random.Random) -> Mutation:
        rel, pattern = rng.choice(
            [(q, r"^(title|short_title|audience|overview|  text|  phone|  - external):") for q in QUALS]
            + [(UNITS, r"^    (title|summary|wording):")]
        )
        text = _shipped(root, rel)
        index = rng.choice(_lines_matching(text, pattern))
        field = text.splitlines()[index].split(":")[0].strip(" -")
        value = rng.choice(BLANKS if field in OPTIONAL else BLANKS + MISSING)
        return Mutation(rel, _set_value(text, index, value), index + 1, field)

    assert_refused(root, _generate(PER_CLASS, blank_text))


# -- aliases -----------------------------------------------------------------------------------


def _vary(name: str, rng: random.Random) -> str:
    """How an editor might write a name: another case, a leading 'the' or 'ILM', stray punctuation."""
    name = rng.choice([name, name.lower(), name.upper(), name.title()])
    if rng.random() < 0.3:
        name = rng.choice(["the ", "The "]) + name
    if rng.random() < 0.3:
        name += rng.choice([".", "!", " ,"])
    return name


def _alias_mutation(root: Path, rel: str, alias: str, rng: random.Random, needle: str) -> Mutation:
    text = _shipped(root, rel)
    after = _lines_matching(text, r"^aliases:")[0]
    at = rng.randrange(after + 1, after + 4)
    return Mutation(rel, _insert_line(text, at, f"  - {json.dumps(alias)}"), at + 1, needle)


def test_empty_aliases_are_refused(root: Path) -> None:
    def empty_alias(rng: random.Random) -> Mutation:
        alias = rng.choice(["", " ", "\t", "!!!", " - ", "...", "()"])
        return _alias_mutation(root, rng.choice(QUALS), alias, rng, "alias")

    assert_refused(root, _generate(PER_CLASS, empty_alias))


def test_an_alias_naming_another_qualification_is_refused(root: Path) -> None:
    def clash(rng: random.Random) -> Mutation:
        rel, other = rng.sample(QUALS, 2)
        data = yaml.safe_load(_shipped(root, other))
        names = [data[k] for k in ("id", "title", "short_title", "qualification_number") if data.get(k)]
        needle = f"names another qualification, {data['id']}"
        return _alias_mutation(root, rel, _vary(rng.choice(names), rng), rng, needle)

    assert_refused(root, _generate(PER_CLASS, clash))


def test_an_alias_that_reads_as_a_unit_code_is_refused(root: Path) -> None:
    refs = [u["ref"] for u in yaml.safe_load(_shipped(root, UNITS))["units"]]

    def unit_code(rng: random.Random) -> Mutation:
        scheme, number = rng.choice(refs).split("-")
        code = rng.choice([f"{scheme}-{number}", f"{scheme} {number}", f"{scheme}{number}", number, f"unit {number}"])
        return _alias_mutation(root, rng.choice(QUALS), code, rng, "reads as a unit code")

    assert_refused(root, _generate(PER_CLASS, unit_code))


# -- hours and other numbers -------------------------------------------------------------------

ABSURD = (".inf", "-.inf", ".Inf", ".nan", "1e308", "1.0e+308", "-1.0e+308", "-1", "0", "-0.5", "1001", "1.0e6")


def test_infinite_negative_or_absurd_hours_are_refused(root: Path) -> None:
    def absurd_hours(rng: random.Random) -> Mutation:
        rel = rng.choice([UNITS, *QUALS])
        text = _shipped(root, rel)
        index = rng.choice(_lines_matching(text, r"^\s+hours:"))
        value = rng.choice([*ABSURD, f"{rng.uniform(1000.5, 1e300):.6g}", str(10 ** rng.randrange(4, 400))])
        return Mutation(rel, _set_value(text, index, value), index + 1, "hours")

    assert_refused(root, _generate(PER_CLASS, absurd_hours))


def test_absurd_credits_and_guided_learning_hours_are_refused(root: Path) -> None:
    def absurd_number(rng: random.Random) -> Mutation:
        text = _shipped(root, UNITS)
        index = rng.choice(_lines_matching(text, r"^    (credits|glh):"))
        field = text.splitlines()[index].split(":")[0].strip()
        value = rng.choice([".inf", "1e308", "-3", "0", str(10 ** rng.randrange(5, 400))])
        return Mutation(UNITS, _set_value(text, index, value), index + 1, field)

    assert_refused(root, _generate(PER_CLASS // 2, absurd_number))


# -- equivalences ------------------------------------------------------------------------------


def test_an_equivalence_of_one_unit_or_of_a_unit_with_itself_is_refused(root: Path) -> None:
    text = _shipped(root, UNITS)
    refs = [u["ref"] for u in yaml.safe_load(text)["units"]]
    lines = _lines_matching(text, r'^  - \["')

    def bad_equivalence(rng: random.Random) -> Mutation:
        index = rng.choice(lines)
        a, b = rng.sample(refs, 2)
        klass = rng.choice([[a], [a, a], [a, b, a], [b, a, a], []])
        new = _set_value(text, index, "").splitlines()
        new[index] = "  - " + "[" + ", ".join(f'"{r}"' for r in klass) + "]"
        return Mutation(UNITS, "\n".join(new) + "\n", index + 1, "equivalences")

    assert_refused(root, _generate(PER_CLASS, bad_equivalence))


# -- templates ---------------------------------------------------------------------------------

BAD_FIELDS = (
    "{x.__class__}",
    "{title.__class__.__mro__}",
    "{ref[0]}",
    "{units[0].title}",
    "{title.upper}",
    "{0}",
    "{}",
    "{title!r}",
    "{title:>10}",
    "{title:{width}}",
    "{ title }",
    "{",
    "}",
    "{title",
)


def test_templates_with_attribute_or_index_access_or_bad_braces_are_refused(root: Path) -> None:
    text = _shipped(root, RESPONSES)
    lines = _lines_matching(text, r'^  \w+: ".*"$')
    assert len(lines) > 50

    def bad_template(rng: random.Random) -> Mutation:
        index = rng.choice(lines)
        line = text.splitlines()[index]
        start = line.index('"') + 1
        spaces = [i for i, ch in enumerate(line) if ch == " " and start < i < len(line) - 1] or [start]
        at = rng.choice([start, *spaces])
        new = text.splitlines()
        new[index] = line[:at] + rng.choice(BAD_FIELDS) + line[at:]
        key = line.split(":")[0].strip()
        return Mutation(RESPONSES, "\n".join(new) + "\n", index + 1, f".{key}:")

    assert_refused(root, _generate(PER_CLASS, bad_template))


@pytest.mark.parametrize("bad", BAD_FIELDS)
def test_template_fields_says_what_is_wrong(bad: str) -> None:
    with pytest.raises(TemplateError, match=r"plain name|brace"):
        template_fields(f"The {{title}} is {bad} here")


def test_template_fields_names_every_field() -> None:
    assert template_fields("The {title} has {credits} credits; {{literal}} braces") == {"title", "credits"}
    assert template_fields("no fields") == set()


# -- YAML traps: boolean keys, control characters, deep nesting ---------------------------------

BOOL_WORDS = ("no", "yes", "on", "off", "true", "false", "No", "YES", "On", "OFF", "True", "FALSE", "n", "y")
ALL_FILES = (UNITS, "knowledge/organisation.yaml", *QUALS, RESPONSES, "intents/greeting.yaml", "intents/compare.yaml")


def test_yaml_1_1_boolean_keys_are_refused_with_their_line(root: Path) -> None:
    def bool_key(rng: random.Random) -> Mutation | None:
        word = rng.choice(BOOL_WORDS)
        if word in ("n", "y"):  # plain text to PyYAML (YAML 1.1's y/n are not resolved): no fault to find
            return None
        rel = rng.choice(ALL_FILES)
        text = _shipped(root, rel)
        if rel == RESPONSES and rng.random() < 0.5:  # inside an intent's templates
            index = rng.choice(_lines_matching(text, r"^\w+:")) + 1
            return Mutation(rel, _insert_line(text, index, f'  {word}: "text"'), index + 1, "true/false")
        return Mutation(rel, text.rstrip("\n") + f"\n{word}: 1\n", len(text.splitlines()) + 1, "true/false")

    assert_refused(root, _generate(PER_CLASS, bool_key))


CONTROL = ("\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x80", "\x9f", "\ufffe", "\uffff")


def test_nul_and_other_control_characters_are_refused_with_their_line(root: Path) -> None:
    def control(rng: random.Random) -> Mutation:
        rel = rng.choice(ALL_FILES)
        lines = _shipped(root, rel).splitlines()
        index = rng.randrange(len(lines))
        at = rng.randrange(len(lines[index]) + 1)
        lines[index] = lines[index][:at] + rng.choice(CONTROL) + lines[index][at:]
        return Mutation(rel, "\n".join(lines) + "\n", index + 1, "not allowed")

    assert_refused(root, _generate(PER_CLASS, control))


def _deep(rng: random.Random, depth: int) -> str:
    style = rng.choice(["flow-list", "flow-map", "block"] if depth <= 1200 else ["flow-list", "flow-map"])
    if style == "flow-list":
        return "[" * depth + "1" + "]" * depth
    if style == "flow-map":
        return "{a: " * depth + "1" + "}" * depth
    return "\n" + "".join(" " * (2 * i + 2) + f"k{i}:\n" for i in range(depth)) + " " * (2 * depth + 2) + "v: 1"


def _deep_nesting(root: Path, rng: random.Random) -> Mutation:
    rel = rng.choice(ALL_FILES)
    text = _shipped(root, rel)
    depth = rng.choice([yaml_lines.MAX_DEPTH + 1, rng.randrange(42, 2000), 50_000])
    start = len(text.splitlines()) + 1
    new = text.rstrip("\n") + f"\ndeep: {_deep(rng, depth)}\n"
    return Mutation(rel, new, start, "nested", last_line=start + yaml_lines.MAX_DEPTH + 1)


def test_deep_nesting_is_refused_with_a_line_not_a_recursion_error(root: Path) -> None:
    def deep(rng: random.Random) -> Mutation:
        return _deep_nesting(root, rng)

    assert_refused(root, _generate(PER_CLASS // 2, deep))


def test_deep_nesting_is_refused_by_the_pure_python_parser_too(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PyYAML without libyaml nests one Python call per level; the cap must hold there as well."""
    monkeypatch.setattr(yaml_lines, "_Loader", yaml.SafeLoader)

    def deep(rng: random.Random) -> Mutation:
        return _deep_nesting(root, rng)

    assert_refused(root, _generate(PER_CLASS // 4, deep), at_least=PER_CLASS // 4)


def test_legitimate_nesting_up_to_the_cap_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: " + "[" * (yaml_lines.MAX_DEPTH - 1) + "1" + "]" * (yaml_lines.MAX_DEPTH - 1) + "\n")
    data, _ = yaml_lines.load_with_lines(path)
    assert data["a"]
