"""What the insights page draws, as data: one ``Chart`` per chart, the same for the page, its CSV and the digest."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Filters:
    """What the page is narrowed to: a date range (inclusive), a platform, a topic (FAQ entry)."""

    start: datetime.date
    end: datetime.date
    platform: str = ""  # "" (all), "slack", "teams" or "api"
    topic: int | None = None  # an Entry's id


@dataclass(frozen=True)
class Chart:
    """One chart's numbers: a label per point on the x axis and, per series, a value for each label.

    ``kind`` says how to draw it: "bar", "stacked" (stacked bars), "line". ``unit`` says what the
    values are: "count", "percent" (0–100), "hours" (business hours) or "score" (1–5).
    A value may be None where there is nothing to show (no case resolved that week).
    """

    key: str  # stable name: "questions", "deflection", "cases", "backlog", "response_times", …
    kind: str
    unit: str
    labels: list[str]
    series: dict[str, list[float | int | None]] = field(default_factory=dict)  # series key → values
