"""What the insights page calls each chart and series, in the reader's language.

The numbers come from ``supportbot.insights.selectors``; this only names them. A chart or
series not named here is shown under its key, so a new chart appears before it is translated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.states import State

_WEEK = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class ChartWords:
    title: Promise
    description: Promise
    axis: Promise  # what the labels along the x axis are: the table's first column
    series: dict[str, Promise] = field(default_factory=dict)
    labels_are_states: bool = False


WEEK_AXIS = _("Week starting")

CHARTS: dict[str, ChartWords] = {
    "questions": ChartWords(
        title=_("Questions"),
        description=_("Questions asked each week: answered, offered a choice of answers, or left without one."),
        axis=WEEK_AXIS,
        series={"answered": _("Answered"), "choices": _("Offered choices"), "no_answer": _("No answer")},
    ),
    "deflection": ChartWords(
        title=_("Solved by the bot"),
        description=_(
            "Of each week's questions: the share answered with no case opened within a day, "
            "and the share marked helpful."
        ),
        axis=WEEK_AXIS,
        series={"deflected": _("No case within a day"), "helpful": _("Marked helpful")},
    ),
    "cases": ChartWords(
        title=_("Cases opened and resolved"),
        description=_("Cases opened and cases resolved each week."),
        axis=WEEK_AXIS,
        series={"opened": _("Opened"), "resolved": _("Resolved")},
    ),
    "backlog": ChartWords(
        title=_("Backlog"),
        description=_("Cases not resolved yet, by state: now, whatever the dates."),
        axis=_("State"),
        series={"cases": _("Cases")},
        labels_are_states=True,
    ),
    "response_times": ChartWords(
        title=_("Response times"),
        description=_(
            "Business hours to the first response and to resolution, by the week cases were opened: "
            "median and 90th percentile."
        ),
        axis=WEEK_AXIS,
        series={
            "first_response_median": _("First response, median"),
            "first_response_p90": _("First response, 90th percentile"),
            "resolution_median": _("Resolution, median"),
            "resolution_p90": _("Resolution, 90th percentile"),
        },
    ),
    "sla": ChartWords(
        title=_("Missed resolution SLA"),
        description=_(
            "Cases that passed their resolution SLA (their first escalation), and all escalations, each week."
        ),
        axis=WEEK_AXIS,
        series={"breaches": _("SLA missed"), "escalations": _("Escalations")},
    ),
    "satisfaction": ChartWords(
        title=_("Satisfaction"),
        description=_("Average rating reporters gave each week, from 1 to 5."),
        axis=WEEK_AXIS,
        series={"average": _("Average rating")},
    ),
    "satisfaction_by_agent": ChartWords(
        title=_("Satisfaction by agent"),
        description=_("Average rating reporters gave each agent's cases, from 1 to 5."),
        axis=_("Agent"),
        series={"average": _("Average rating")},
    ),
    "helpfulness": ChartWords(
        title=_("Helpfulness by entry"),
        description=_("The most shown FAQ entries: times shown, and times readers marked them helpful or not."),
        axis=_("Entry"),
        series={"helpful": _("Helpful"), "not_helpful": _("Not helpful"), "shown": _("Shown")},
    ),
    "due_for_review": ChartWords(
        title=_("Due for review"),
        description=_(
            "Entries due to be checked against the consoles within a month: days left, below zero when overdue."
        ),
        axis=_("Entry"),
        series={"days_left": _("Days left")},
    ),
}

# What a value axis measures, said beside it (a count needs no words).
UNITS: dict[str, Promise] = {
    "percent": _("Percent"),
    "hours": pgettext_lazy("a chart's axis", "Business hours"),
    "score": _("Rating (1–5)"),
    "days": _("Days"),
}


def title(key: str) -> str:
    words = CHARTS.get(key)
    return str(words.title) if words else key


def description(key: str) -> str:
    words = CHARTS.get(key)
    return str(words.description) if words else ""


def series_name(key: str, series: str) -> str:
    words = CHARTS.get(key)
    return str(words.series.get(series, series)) if words else series


def axis_name(key: str, labels: list[str]) -> str:
    words = CHARTS.get(key)
    if words:
        return str(words.axis)
    return str(WEEK_AXIS) if labels and all(_WEEK.fullmatch(label) for label in labels) else ""


def point_name(key: str, label: str) -> str:
    """A label on the x axis as a reader knows it: a case state by its name, anything else as it is."""
    words = CHARTS.get(key)
    if words and words.labels_are_states and label in State.values:
        return str(State(label).label)
    return label


def unit_name(unit: str) -> str:
    return str(UNITS.get(unit, ""))
