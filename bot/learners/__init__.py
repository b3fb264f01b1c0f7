"""Learner records and personal progress.

``learner`` (the record as values), ``progress`` and ``cohort`` are pure, like
the rules engine they build on; ``records.LearnerStore`` is the only part
that touches the database, and ``csv_import`` reads HR's spreadsheets. This
package imports only the pure parts, so using progress never opens a
database; import the store from ``bot.learners.records``.
"""

from bot.learners.learner import (
    Change,
    Enrol,
    Enrolment,
    HoursLogged,
    LearnerRecord,
    LogHours,
    RecordUnit,
    UnitAchieved,
)
from bot.learners.progress import HoursRequirement, Progress, QualificationProgress, progress_of, render_progress

__all__ = [
    "Change",
    "Enrol",
    "Enrolment",
    "HoursLogged",
    "HoursRequirement",
    "LearnerRecord",
    "LogHours",
    "Progress",
    "QualificationProgress",
    "RecordUnit",
    "UnitAchieved",
    "progress_of",
    "render_progress",
]
