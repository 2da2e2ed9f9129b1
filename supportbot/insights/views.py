"""The insights page: how support is doing, for staff, chart by chart, each with its numbers as a table and a CSV.

It only shows what ``selectors.insights`` counted: every chart is drawn from its kind, unit, labels
and series, named in the reader's language by ``labels``.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotFound
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from supportbot.insights import labels, selectors
from supportbot.insights.charts import Chart, Filters
from supportbot.insights.forms import InsightsFilterForm

# Chart.js from npm (package.json), served from node_modules like the Adaptive Cards renderer (settings).
CHART_JS = "vendor/chart.js/chart.umd.js"
# Excel reads a CSV as the system's legacy code page unless it starts with this; Chinese then comes out garbled.
BYTE_ORDER_MARK = "\ufeff"
# What makes a spreadsheet read a cell as a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@admin.site.admin_view
@require_GET
def page(request: HttpRequest) -> HttpResponse:
    form = InsightsFilterForm(request.GET)
    charts = []
    if form.is_valid():
        filters = form.filters()
        charts = [_shown(chart, query=_query(filters)) for chart in selectors.insights(filters)]
    context = {
        **admin.site.each_context(request),
        "title": _("Insights"),
        "form": form,
        "charts": charts,
        "drawn": [chart["drawing"] for chart in charts],
        # Without Chart.js the page says so once and the tables carry the numbers.
        "chart_js": static(CHART_JS) if finders.find(CHART_JS) else "",
    }
    return render(request, "insights/page.html", context)


@admin.site.admin_view
@require_GET
def chart_csv(request: HttpRequest, key: str) -> HttpResponse:
    """One chart's numbers as a spreadsheet: the labels down the first column, a column per series."""
    form = InsightsFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_form_errors(form), content_type="text/plain; charset=utf-8")
    filters = form.filters()
    chart = selectors.chart(key, filters)
    if chart is None:
        return HttpResponseNotFound(
            _("There is no chart “%(key)s”.") % {"key": key}, content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(_csv_text(chart), content_type="text/csv; charset=utf-8")
    name = f"insights-{chart.key}-{filters.start.isoformat()}-{filters.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# What the page shows ---------------------------------------------------------------------


def _shown(chart: Chart, *, query: str) -> dict:
    axis, *names = _header(chart)
    points = _points(chart)
    return {
        "key": chart.key,
        "title": labels.title(chart.key),
        "description": labels.description(chart.key),
        "unit": labels.unit_name(chart.unit),
        "header": [axis, *names],
        "rows": [[point, *map(_cell, values)] for point, values in zip(points, _rows(chart), strict=True)],
        "csv_query": query,
        # What charts.js draws: the same numbers, already named.
        "drawing": {
            "key": chart.key,
            "kind": chart.kind,
            "unit": chart.unit,
            "unitName": labels.unit_name(chart.unit),
            "axisName": axis,
            "labels": points,
            "series": [
                {"name": name, "values": values} for name, values in zip(names, chart.series.values(), strict=True)
            ],
        },
    }


def _header(chart: Chart) -> list[str]:
    """What the labels are, then each series' name: the table's and the CSV's first row."""
    return [labels.axis_name(chart.key, chart.labels), *(labels.series_name(chart.key, s) for s in chart.series)]


def _points(chart: Chart) -> list[str]:
    return [labels.point_name(chart.key, label) for label in chart.labels]


def _rows(chart: Chart) -> list[list]:
    """Per label, its value in each series (a series shorter than the labels has nothing for the rest)."""
    return [
        [values[index] if index < len(values) else None for values in chart.series.values()]
        for index in range(len(chart.labels))
    ]


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}".removesuffix(".0")
    return str(value)


def _query(filters: Filters) -> str:
    """The filters as the address carries them, so a chart's CSV has exactly the numbers on the page."""
    return urlencode(
        {
            "start": filters.start.isoformat(),
            "end": filters.end.isoformat(),
            "platform": filters.platform,
            "topic": filters.topic or "",
        }
    )


# The CSV -------------------------------------------------------------------------------------


def _csv_text(chart: Chart) -> str:
    out = io.StringIO()
    out.write(BYTE_ORDER_MARK)
    writer = csv.writer(out)
    writer.writerow(_header(chart))
    for point, values in zip(_points(chart), _rows(chart), strict=True):
        writer.writerow([_spreadsheet_text(point), *map(_csv_value, values)])
    return out.getvalue()


def _spreadsheet_text(text: str) -> str:
    """A label as text, never a formula: an agent's chat name like "=HYPERLINK(…)" must not run when opened."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _csv_value(value) -> str | int | float:
    if value is None:
        return ""
    return round(value, 2) if isinstance(value, float) else value


def _form_errors(form: InsightsFilterForm) -> str:
    lines = []
    for field, messages in form.errors.items():
        name = form.fields[field].label if field in form.fields else ""
        lines.extend(f"{name}: {message}" if name else str(message) for message in messages)
    return "\n".join(lines) + "\n"
