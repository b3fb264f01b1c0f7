"""Render response templates from `intents/responses.yaml`."""

from __future__ import annotations

import string
from collections.abc import Mapping


class Templates:
    def __init__(self, responses: Mapping[str, Mapping[str, str]]) -> None:
        self.responses = responses

    def render(self, intent: str, key: str, **values: object) -> str:
        """Fill one template; a missing template or field is a bug in the data, so it fails loudly in tests."""
        template = self.responses[intent][key]
        return string.Formatter().vformat(template, (), values)

    def has(self, intent: str, key: str) -> bool:
        return key in self.responses.get(intent, {})
