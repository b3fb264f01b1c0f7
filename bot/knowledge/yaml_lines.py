"""Load YAML while remembering the line of every value.

pydantic reports errors by field path (``rules.children.0.units``); editors
need a line number. Composing the YAML node graph keeps each node's mark, so
a path can be mapped back to the line it came from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

Path_ = tuple[str | int, ...]


class YamlSyntaxError(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(message)


def load_with_lines(path: Path) -> tuple[Any, dict[Path_, int]]:
    """Parse ``path``; return the data and a map from field path to 1-based line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlSyntaxError(None, f"not UTF-8 text ({exc.reason})") from exc
    except FileNotFoundError:
        raise  # callers say which required file is missing
    except OSError as exc:  # a directory named *.yaml, no permission…
        raise YamlSyntaxError(None, f"cannot be read ({exc.strerror or type(exc).__name__})") from exc
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
        raise YamlSyntaxError(line, f"YAML syntax error: {exc.problem or exc}") from exc
    except RecursionError:  # a self-referencing alias (&a [*a]) nests without end
        raise YamlSyntaxError(None, "YAML aliases refer to themselves; write the values out") from None
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
    if isinstance(node, yaml.CollectionNode):
        if id(node) in seen:  # an alias: could nest without end, and knowledge should say things once
            raise YamlSyntaxError(node.start_mark.line + 1, "YAML aliases (*name) are not supported; write it out")
        seen.add(id(node))
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            k = key.value if isinstance(key, yaml.ScalarNode) else str(key.value)
            if k in seen:  # YAML would silently keep the last one; an editor wants to know
                raise YamlSyntaxError(key.start_mark.line + 1, f"duplicate key {k!r}")
            seen.add(k)
            _index(value, (*path, k), lines, seen)
            # A block value starts on a later line; the key's own line is where an editor looks.
            mark = value.start_mark if isinstance(value, yaml.ScalarNode) else key.start_mark
            lines[(*path, k)] = mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*path, i), lines, seen)


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
