"""The rules engine: decides achievement under a qualification's rules of combination.

Pure by design (no Slack, database or I/O imports) so that every surface —
CLI, chat, Slack, reports — gets the same verdict, and so it can be tested
exhaustively against a brute-force oracle.
"""

from bot.rules.catalogue import Catalogue
from bot.rules.engine import Engine
from bot.rules.record import HOURS_KINDS, Record
from bot.rules.requirements import (
    AllOf,
    CreditsFromGroup,
    MinHours,
    OneOf,
    Requirement,
    SpecificUnits,
)
from bot.rules.result import Evaluation, NodeResult, Status

__all__ = [
    "HOURS_KINDS",
    "AllOf",
    "Catalogue",
    "CreditsFromGroup",
    "Engine",
    "Evaluation",
    "MinHours",
    "NodeResult",
    "OneOf",
    "Record",
    "Requirement",
    "SpecificUnits",
    "Status",
]
