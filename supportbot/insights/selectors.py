"""How support is doing, as numbers: every chart of the insights page (and the weekly digest) from the database.

Questions and helpfulness come from the per-day rollup (``AnswerDay``), cases
from their own indexed columns; business-hour durations were counted when they
happened (``Case.first_response_hours``, ``resolution_hours``). So the page's
queries stay small however many events and cases there are.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict

from django.db import connection
from django.db.models import Aggregate, Avg, Count, FloatField, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from cases.models import Case, Delivery
from cases.states import ACTIVE_STATES
from faq.models import Entry
from supportbot.conversation.people import display_names_of
from supportbot.insights.charts import Chart, Filters
from supportbot.insights.services import answer_days_refresh
from supportbot.models import AnswerDay

REVIEW_HORIZON = datetime.timedelta(days=30)
MAX_ENTRIES = 20
MAX_AGENTS = 20


def insights(filters: Filters) -> list[Chart]:
    """Every chart, for the filters' dates, platform and topic."""
    answer_days_refresh()
    return [count(filters) for count in CHARTS.values()]


def chart(key: str, filters: Filters) -> Chart | None:
    """One chart (a CSV asks for one), or None if there is none by that key."""
    count = CHARTS.get(key)
    if count is None:
        return None
    answer_days_refresh()
    return count(filters)


# Weeks -------------------------------------------------------------------------------------


def weeks(filters: Filters) -> list[datetime.date]:
    """The Mondays of the weeks the range touches, in the business time zone."""
    monday = filters.start - datetime.timedelta(days=filters.start.weekday())
    found = []
    while monday <= filters.end:
        found.append(monday)
        monday += datetime.timedelta(days=7)
    return found


def _bounds(filters: Filters) -> tuple[datetime.datetime, datetime.datetime]:
    """The range as moments: from the start day's first moment to the end day's last."""
    start = timezone.make_aware(datetime.datetime.combine(filters.start, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(filters.end + datetime.timedelta(days=1), datetime.time.min))
    return start, end


def _week_of(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return value - datetime.timedelta(days=value.weekday())


def _weekly(filters: Filters, rows, names: tuple[str, ...]) -> tuple[list[str], dict[str, list]]:
    """Rows with a ``week`` and a value per name, laid out on every week of the range (0 where none)."""
    by_week = {_week_of(row["week"]): row for row in rows if row["week"] is not None}
    labels = weeks(filters)
    series = {name: [(by_week.get(week) or {}).get(name) or 0 for week in labels] for name in names}
    return [week.isoformat() for week in labels], series


def _tz():
    return timezone.get_current_timezone()


# Questions ----------------------------------------------------------------------------------


def _answer_days(filters: Filters):
    days = AnswerDay.objects.filter(day__gte=filters.start, day__lte=filters.end)
    if filters.platform:
        days = days.filter(channel=filters.platform)
    if filters.topic:
        days = days.filter(entry_id=filters.topic)
    return days


def _answers_by_week(filters: Filters):
    return (
        _answer_days(filters)
        .annotate(week=TruncWeek("day"))
        .values("week")
        .annotate(
            answered=Sum("answered"),
            deflected=Sum("deflected"),
            choices=Sum("choices"),
            no_answer=Sum("no_answer"),
            helpful=Sum("helpful"),
        )
        .order_by("week")
    )


def questions(filters: Filters) -> Chart:
    labels, series = _weekly(filters, _answers_by_week(filters), ("answered", "choices", "no_answer"))
    return Chart("questions", "stacked", "count", labels, series)


def deflection(filters: Filters) -> Chart:
    """Of all questions asked: answered with no case within a day, and answers marked helpful."""
    names = ("answered", "deflected", "choices", "no_answer", "helpful")
    labels, counts = _weekly(filters, _answers_by_week(filters), names)
    asked = [a + c + n for a, c, n in zip(counts["answered"], counts["choices"], counts["no_answer"], strict=True)]
    series = {
        name: [round(100 * part / whole, 1) if whole else None for part, whole in zip(counts[name], asked, strict=True)]
        for name in ("deflected", "helpful")
    }
    return Chart("deflection", "line", "percent", labels, series)


# Cases --------------------------------------------------------------------------------------


def _cases(filters: Filters):
    found = Case.objects.all()
    if filters.platform:
        found = found.filter(channel=filters.platform)
    if filters.topic:
        found = found.filter(topic_id=filters.topic)
    return found


def cases(filters: Filters) -> Chart:
    start, end = _bounds(filters)
    opened = (
        _cases(filters)
        .filter(created_at__gte=start, created_at__lt=end)
        .annotate(week=TruncWeek("created_at", tzinfo=_tz()))
        .values("week")
        .annotate(opened=Count("pk"))
        .order_by("week")
    )
    resolved = (
        _cases(filters)
        .filter(resolved_at__gte=start, resolved_at__lt=end)
        .annotate(week=TruncWeek("resolved_at", tzinfo=_tz()))
        .values("week")
        .annotate(resolved=Count("pk"))
        .order_by("week")
    )
    labels, series = _weekly(filters, opened, ("opened",))
    series |= _weekly(filters, resolved, ("resolved",))[1]
    return Chart("cases", "bar", "count", labels, series)


def backlog(filters: Filters) -> Chart:
    """Cases not resolved yet, by state, now."""
    counts = dict(_cases(filters).filter(state__in=ACTIVE_STATES).values_list("state").annotate(n=Count("pk")))
    states = [str(state) for state in ACTIVE_STATES]
    return Chart("backlog", "bar", "count", states, {"cases": [counts.get(state, 0) for state in states]})


class _Percentile(Aggregate):
    """PostgreSQL's percentile_cont: the value below which ``fraction`` of the group lies, interpolated."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra) -> None:
        super().__init__(expression, fraction=float(fraction), **extra)


def response_times(filters: Filters) -> Chart:
    """Median and 90th percentile of business hours to first response and to resolution, by week opened."""
    start, end = _bounds(filters)
    opened = _cases(filters).filter(created_at__gte=start, created_at__lt=end)
    opened = opened.annotate(week=TruncWeek("created_at", tzinfo=_tz()))
    columns = {"first_response": "first_response_hours", "resolution": "resolution_hours"}
    if connection.vendor == "postgresql":
        aggregates = {}
        for name, column in columns.items():
            aggregates[f"{name}_median"] = _Percentile(column, 0.5)
            aggregates[f"{name}_p90"] = _Percentile(column, 0.9)
        rows = list(opened.values("week").annotate(**aggregates).order_by("week"))
    else:
        rows = _percentiles_in_python(opened, columns)
    names = tuple(f"{name}_{which}" for name in columns for which in ("median", "p90"))
    by_week = {_week_of(row["week"]): row for row in rows}
    labels = weeks(filters)
    series = {name: [_hours((by_week.get(week) or {}).get(name)) for week in labels] for name in names}
    return Chart("response_times", "line", "hours", [week.isoformat() for week in labels], series)


def _percentiles_in_python(opened, columns: dict[str, str]) -> list[dict]:
    values: dict = defaultdict(lambda: defaultdict(list))
    for row in opened.values("week", *columns.values()):
        for name, column in columns.items():
            if row[column] is not None:
                values[row["week"]][name].append(row[column])
    rows = []
    for week, found in values.items():
        row = {"week": week}
        for name in columns:
            row[f"{name}_median"] = _quantile(found[name], 0.5)
            row[f"{name}_p90"] = _quantile(found[name], 0.9)
        rows.append(row)
    return rows


def _quantile(values: list[float], fraction: float) -> float | None:
    """Interpolated as percentile_cont does: between the two nearest ranks."""
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = fraction * (len(ordered) - 1)
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def _hours(value) -> float | None:
    return None if value is None else round(float(value), 2)


def sla(filters: Filters) -> Chart:
    """Escalations sent per week; a case's first escalation is its SLA breach."""
    start, end = _bounds(filters)
    escalations = Delivery.objects.filter(kind=Delivery.Kind.ESCALATION, created_at__gte=start, created_at__lt=end)
    if filters.platform:
        escalations = escalations.filter(case__channel=filters.platform)
    if filters.topic:
        escalations = escalations.filter(case__topic_id=filters.topic)
    rows = (
        escalations.annotate(week=TruncWeek("created_at", tzinfo=_tz()))
        .values("week")
        .annotate(breaches=Count("pk", filter=Q(step=1)), escalations=Count("pk"))
        .order_by("week")
    )
    labels, series = _weekly(filters, rows, ("breaches", "escalations"))
    return Chart("sla", "bar", "count", labels, series)


def _rated(filters: Filters):
    start, end = _bounds(filters)
    return _cases(filters).filter(rated_at__gte=start, rated_at__lt=end, satisfaction__isnull=False)


def satisfaction(filters: Filters) -> Chart:
    rows = (
        _rated(filters)
        .annotate(week=TruncWeek("rated_at", tzinfo=_tz()))
        .values("week")
        .annotate(average=Avg("satisfaction"))
        .order_by("week")
    )
    by_week = {_week_of(row["week"]): round(row["average"], 2) for row in rows}
    labels = weeks(filters)
    return Chart(
        "satisfaction", "line", "score", [w.isoformat() for w in labels], {"average": [by_week.get(w) for w in labels]}
    )


def satisfaction_by_agent(filters: Filters) -> Chart:
    """Average rating of the cases each agent had when they were rated; the most rated agents first."""
    rows = list(
        _rated(filters)
        .values("assignee__username", "assignee_chat_id", "card_platform", "channel")
        .annotate(average=Avg("satisfaction"), ratings=Count("pk"))
        .order_by("-ratings")[: MAX_AGENTS * 2]
    )
    names = display_names_of(_chat_identity(row) for row in rows if row["assignee_chat_id"])
    merged: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        merged[_agent_name(row, names)] += [row["average"]] * row["ratings"]
    ranked = sorted(merged.items(), key=lambda item: -len(item[1]))[:MAX_AGENTS]
    return Chart(
        "satisfaction_by_agent",
        "bar",
        "score",
        [name for name, _ in ranked],
        {"average": [round(statistics.fmean(scores), 2) for _, scores in ranked]},
    )


def _chat_identity(row: dict) -> tuple[str, str]:
    """Where a case's agent was assigned from (the platform of its card), and their id there."""
    return row["card_platform"] or row["channel"], row["assignee_chat_id"]


def _agent_name(row: dict, names: dict[tuple[str, str], str]) -> str:
    if row["assignee_chat_id"]:
        return names.get(_chat_identity(row)) or row["assignee__username"] or row["assignee_chat_id"]
    return row["assignee__username"] or "—"


# The FAQ ------------------------------------------------------------------------------------


def helpfulness(filters: Filters) -> Chart:
    """Per entry: answers shown, and how often they were marked helpful or not; the most shown first."""
    rows = list(
        _answer_days(filters)
        .exclude(entry=None)
        .values("entry__slug")
        .annotate(shown=Sum("shown"), helpful=Sum("helpful"), not_helpful=Sum("not_helpful"))
        .order_by("-shown", "entry__slug")[:MAX_ENTRIES]
    )
    labels = [row["entry__slug"] for row in rows]
    series = {name: [row[name] or 0 for row in rows] for name in ("helpful", "not_helpful", "shown")}
    return Chart("helpfulness", "bar", "count", labels, series)  # side by side: shown includes the verdicts


def due_for_review(filters: Filters) -> Chart:
    """Entries to check against the live consoles: overdue (negative days) or due within a month."""
    today = timezone.localdate()
    due = Entry.objects.filter(review_by__isnull=False, review_by__lte=today + REVIEW_HORIZON)
    if filters.topic:
        due = due.filter(pk=filters.topic)
    rows = list(due.order_by("review_by", "slug").values_list("slug", "review_by")[:MAX_ENTRIES])
    return Chart(
        "due_for_review", "bar", "days", [slug for slug, _ in rows], {"days_left": [(d - today).days for _, d in rows]}
    )


# Each chart is counted by the function of its key's name, in the order the page shows them.
CHARTS = {
    count.__name__: count
    for count in (
        questions,
        deflection,
        cases,
        backlog,
        response_times,
        sla,
        satisfaction,
        satisfaction_by_agent,
        helpfulness,
        due_for_review,
    )
}
