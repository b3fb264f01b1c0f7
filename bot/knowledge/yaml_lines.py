"""Load YAML while remembering the line of every value.

pydantic reports errors by field path (``rules.children.0.units``); editors
need a line number. Composing the YAML node graph keeps each node's mark, so
a path can be mapped back to the line it came from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.files import UnreadableFileError, read_text

Path_ = tuple[str | int, ...]

#: Deepest nesting accepted. The deepest shipped file nests 9 levels (a rules tree);
#: a cap keeps every walk over the data (ours, pydantic's) far from Python's recursion limit.
MAX_DEPTH = 40

#: Characters YAML refuses (NUL and other controls, surrogates, U+FFFE/U+FFFF): PyYAML's own rule.
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE

_STR_TAG = "tag:yaml.org,2002:str"
_BOOL_TAG = "tag:yaml.org,2002:bool"


class YamlSyntaxError(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(message)


def load_with_lines(path: Path) -> tuple[Any, dict[Path_, int]]:
    """Parse ``path``; return the data and a map from field path to 1-based line."""
    try:
        text = read_text(path)
    except UnreadableFileError as exc:
        raise YamlSyntaxError(exc.line, exc.message) from None
    return parse_with_lines(text)


def parse_with_lines(text: str) -> tuple[Any, dict[Path_, int]]:
    """``load_with_lines`` for text already read."""
    bad = _NON_PRINTABLE.search(text)
    if bad:  # the parser would say so too, but by character offset, not line
        line = text.count("\n", 0, bad.start()) + 1
        raise YamlSyntaxError(line, f"character U+{ord(bad.group()):04X} is not allowed in YAML; remove it")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: dict[Path_, int] = {}
        _index(node, (), lines)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        if "maximum nesting depth" in str(exc.problem):  # libyaml's own cap, 1,000 levels
            raise YamlSyntaxError(_too_deep_line(text) or line, f"nested more than {MAX_DEPTH} levels deep") from None
        raise YamlSyntaxError(line, f"YAML syntax error: {exc.problem or exc}") from exc
    except RecursionError:  # the pure-Python parser nests one call per level (libyaml stops at 1,000)
        raise YamlSyntaxError(_too_deep_line(text), f"nested more than {MAX_DEPTH} levels deep") from None
    except yaml.YAMLError as exc:  # constructor errors (bad tags and the like)
        mark = getattr(exc, "problem_mark", None)
        raise YamlSyntaxError(mark.line + 1 if mark else None, f"YAML error: {exc}") from exc
    finally:
        loader.dispose()
    return data, lines


#: libyaml's parser when PyYAML was built with it (a large knowledge base parses many times faster).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _index(node: yaml.Node, path: Path_, lines: dict[Path_, int], seen: set[int] | None = None) -> None:
    seen = set() if seen is None else seen
    if len(path) > MAX_DEPTH:
        raise YamlSyntaxError(node.start_mark.line + 1, f"nested more than {MAX_DEPTH} levels deep")
    if isinstance(node, yaml.CollectionNode):
        if id(node) in seen:  # an alias: could nest without end, and knowledge should say things once
            raise YamlSyntaxError(node.start_mark.line + 1, "YAML aliases (*name) are not supported; write it out")
        seen.add(id(node))
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for key, value in node.value:
            k = _key(key)
            if k in keys:  # YAML would silently keep the last one; an editor wants to know
                raise YamlSyntaxError(key.start_mark.line + 1, f"duplicate key {k!r}")
            keys.add(k)
            _index(value, (*path, k), lines, seen)
            # A block value starts on a later line; the key's own line is where an editor looks.
            mark = value.start_mark if isinstance(value, yaml.ScalarNode) else key.start_mark
            lines[(*path, k)] = mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*path, i), lines, seen)


def _key(key: yaml.Node) -> str:
    """A mapping key, which must be text: YAML 1.1 reads ``no:`` as false and ``1:`` as a number."""
    line = key.start_mark.line + 1
    if not isinstance(key, yaml.ScalarNode):
        raise YamlSyntaxError(line, "a key must be a plain name, not a list or mapping")
    if key.tag == _BOOL_TAG:
        raise YamlSyntaxError(line, f"key {key.value!r} is read as true/false by YAML; put it in quotes")
    if key.tag != _STR_TAG:
        raise YamlSyntaxError(line, f"key {key.value!r} is not text; put it in quotes")
    return str(key.value)


def _too_deep_line(text: str) -> int | None:
    """The line where nesting first passes ``MAX_DEPTH``, from the parser's flat event stream."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


def locate(loc: tuple[Any, ...], data: Any, lines: dict[Path_, int]) -> tuple[str, int | None]:
    """Map a pydantic error location to a readable field path and a line.

    Discriminated unions add the tag (``all_of``) to the location; segments
    that are not in the data are skipped, except a final missing field,
    which is named and placed at its parent's line.
    """
    found: list[str | int] = []
    current = data
    tail: list[str] = []
    for seg in loc:
        in_dict = isinstance(current, dict) and seg in current
        in_list = isinstance(current, list) and isinstance(seg, int) and 0 <= seg < len(current)
        if in_dict or in_list:
            found.append(seg)
            current = current[seg]
        elif isinstance(seg, str) and isinstance(current, dict) and seg == loc[-1]:
            tail.append(seg)
    line = lines.get(tuple(found))
    return _render((*found, *tail)), line


def _render(path: tuple[str | int, ...]) -> str:
    out = ""
    for seg in path:
        out += f"[{seg}]" if isinstance(seg, int) else (f".{seg}" if out else str(seg))
    return out
