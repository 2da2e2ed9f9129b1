"""The insights page's filters, read from the address so a view can be bookmarked and shared."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from faq.languages import Language
from faq.selectors import published_entries
from supportbot.insights.charts import Filters

# The charts count by week: twelve whole weeks to compare, and this week so far.
DEFAULT_WEEKS = 12
# Longer ranges say little week by week and make every query read years of events.
LONGEST_RANGE_YEARS = 2
# Far outside any data; also keeps week arithmetic away from date.min and date.max.
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2099, 12, 31)

PLATFORMS = [("", _("All platforms")), ("slack", "Slack"), ("teams", "Microsoft Teams"), ("api", "API")]


def default_range(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    this_monday = today - datetime.timedelta(days=today.weekday())
    return this_monday - datetime.timedelta(weeks=DEFAULT_WEEKS), today


class DateInput(forms.DateInput):
    input_type = "date"  # the browser's own picker; it sends YYYY-MM-DD whatever the reader's locale


class InsightsFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput(format="%Y-%m-%d"))
    end = forms.DateField(label=_("To"), widget=DateInput(format="%Y-%m-%d"))
    platform = forms.ChoiceField(label=_("Platform"), choices=PLATFORMS, required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)

    def __init__(self, data=None, **kwargs) -> None:
        # A range not in the address (the first visit, a link with a platform only) is the default one.
        values = data.copy() if data is not None else {}
        start, end = default_range()
        values.setdefault("start", start.isoformat())
        values.setdefault("end", end.isoformat())
        super().__init__(values, **kwargs)
        language = Language.parse(translation.get_language(), default=Language.ZH)
        self.fields["topic"].choices = [("", _("All topics"))] + [
            (str(entry.pk), f"{entry.slug} · {entry.title(language)}") for entry in published_entries()
        ]

    def clean_start(self) -> datetime.date:
        return _within_bounds(self.cleaned_data["start"])

    def clean_end(self) -> datetime.date:
        return _within_bounds(self.cleaned_data["end"])

    def clean_topic(self) -> int | None:
        topic = self.cleaned_data["topic"]
        return int(topic) if topic else None

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end date must not be before the start date."))
            elif end > _years_after(start, LONGEST_RANGE_YEARS):
                self.add_error("end", _("Choose a range of at most %(years)s years.") % {"years": LONGEST_RANGE_YEARS})
        return cleaned

    def filters(self) -> Filters:
        """What the selectors read; call after ``is_valid()``."""
        data = self.cleaned_data
        return Filters(start=data["start"], end=data["end"], platform=data["platform"], topic=data["topic"])


def _within_bounds(day: datetime.date) -> datetime.date:
    if not EARLIEST <= day <= LATEST:
        raise forms.ValidationError(
            _("Choose a date between %(earliest)s and %(latest)s.")
            % {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()}
        )
    return day


def _years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year that has none
        return day.replace(year=day.year + years, day=28)
