"""The cohort's progress as a PNG: one bar per qualification, split into achieved, in progress and stalled.

Drawn with Pillow, in memory, so the Slack report can upload it and show it
in an image block by reference (``slack_file``), with no public URL. Pure
apart from drawing: the same rows give the same picture.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont

from bot.learners.cohort import CohortRow, write_cohort_csv

#: (label, colour) of each part of a bar, in the order drawn left to right.
PARTS = (("achieved", "#2e7d32"), ("in progress", "#1565c0"), ("stalled", "#ef6c00"))
WIDTH, ROW, TOP, LEFT, RIGHT, BAR = 1000, 54, 70, 400, 120, 30
BACKGROUND, INK, GRID = "#ffffff", "#222222", "#dddddd"


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _counts(row: CohortRow) -> tuple[int, int, int]:
    return row.achieved, row.in_progress - row.stalled, row.stalled


def chart_png(rows: Sequence[CohortRow], title: str = "Cohort progress") -> bytes:
    """A PNG of ``rows`` (a qualification each); bars are to one scale, the largest enrolment filling the width."""
    height = TOP + ROW * max(1, len(rows)) + 50
    image = Image.new("RGB", (WIDTH, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.text((20, 16), title, fill=INK, font=_font(22))
    _legend(draw)
    most = max((r.enrolled for r in rows), default=0) or 1
    span = WIDTH - LEFT - RIGHT
    for i, row in enumerate(rows):
        y = TOP + i * ROW
        draw.text((20, y + 6), _short(row.title, 46), fill=INK, font=_font(15))
        x = LEFT
        draw.line((LEFT, y + BAR + 6, WIDTH - RIGHT, y + BAR + 6), fill=GRID)
        for (_label, colour), n in zip(PARTS, _counts(row), strict=True):
            if n <= 0:
                continue
            width = max(2, round(span * n / most))
            draw.rectangle((x, y, x + width, y + BAR), fill=colour)
            if width >= 24:
                draw.text((x + 6, y + 7), str(n), fill=BACKGROUND, font=_font(14))
            x += width
        draw.text((x + 8, y + 7), f"{row.enrolled} enrolled", fill=INK, font=_font(13))
    if not rows:
        draw.text((20, TOP + 10), "Nobody is enrolled yet.", fill=INK, font=_font(15))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _legend(draw: ImageDraw.ImageDraw) -> None:
    x, font = LEFT, _font(14)
    for label, colour in PARTS:
        draw.rectangle((x, 26, x + 14, 40), fill=colour)
        draw.text((x + 20, 25), label, fill=INK, font=font)
        x += 40 + round(draw.textlength(label, font=font))


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def report_files(rows: Sequence[CohortRow]) -> tuple[bytes, bytes]:
    """(CSV, PNG) of the cohort report: the same rows as ``ilm-bot learner report --csv``, and the chart."""
    out = io.StringIO()
    write_cohort_csv(rows, out)
    return out.getvalue().encode("utf-8"), chart_png(rows)
