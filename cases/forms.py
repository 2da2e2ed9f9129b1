"""The reminder policy as staff read and write it: "30 minutes", "2 hours", weekdays as checkboxes."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_duration
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cases.models import ReminderPolicy

# Each unit: its length, and how it may be written (English and Chinese, long and short).
_UNITS: list[tuple[datetime.timedelta, tuple[str, ...]]] = [
    (datetime.timedelta(days=7), ("weeks", "week", "w", "周", "星期")),
    (datetime.timedelta(days=1), ("days", "day", "d", "天", "日")),
    (datetime.timedelta(hours=1), ("hours", "hour", "hrs", "hr", "h", "小时", "个小时", "时")),
    (datetime.timedelta(minutes=1), ("minutes", "minute", "mins", "min", "m", "分钟", "分")),
    (datetime.timedelta(seconds=1), ("seconds", "second", "secs", "sec", "s", "秒钟", "秒")),
]
_UNIT_OF = {name: length for length, names in _UNITS for name in names}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(" + "|".join(sorted(_UNIT_OF, key=len, reverse=True)) + r")(?![a-z])", re.I)


# How each unit is shown, in the reader's language; every way shown is one parse_human_duration reads back.
def _weeks(count: int) -> str:
    return ngettext("%(count)d week", "%(count)d weeks", count) % {"count": count}


def _days(count: int) -> str:
    return ngettext("%(count)d day", "%(count)d days", count) % {"count": count}


def _hours(count: int) -> str:
    return ngettext("%(count)d hour", "%(count)d hours", count) % {"count": count}


def _minutes(count: int) -> str:
    return ngettext("%(count)d minute", "%(count)d minutes", count) % {"count": count}


def _seconds(count: int) -> str:
    return ngettext("%(count)d second", "%(count)d seconds", count) % {"count": count}


_SHOWN = [(_weeks, 7 * 86400), (_days, 86400), (_hours, 3600), (_minutes, 60), (_seconds, 1)]


def parse_human_duration(text: str) -> datetime.timedelta | None:
    """ "30 minutes", "1 day 4 hours", "1.5h", "2小时30分钟", or Django's "04:00:00"; None if it is none of these."""
    text = text.strip().lower()
    if not text:
        return None
    parts = list(_PART.finditer(text))
    if parts and not _PART.sub("", text).replace(",", "").replace("and", "").strip():
        return sum((float(part[1]) * _UNIT_OF[part[2].lower()] for part in parts), datetime.timedelta())
    return parse_duration(text)


def show_duration(value: datetime.timedelta) -> str:
    """A duration as a person writes it: "30 minutes", "1 day 4 hours" (in Chinese "30 分钟", "1 天 4 小时")."""
    seconds = int(value.total_seconds())
    if seconds <= 0:
        return _seconds(0)
    words = []
    for shown, length in _SHOWN:
        count, seconds = divmod(seconds, length)
        if count:
            words.append(shown(count))
    return " ".join(words)


class HumanDurationField(forms.DurationField):
    widget = forms.TextInput(attrs={"placeholder": _("e.g. 30 minutes, 2 hours, 1 day")})
    default_error_messages = {"invalid": _("Write a duration such as “30 minutes”, “2 hours” or “1 day 4 hours”.")}

    def prepare_value(self, value):
        return show_duration(value) if isinstance(value, datetime.timedelta) else value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.timedelta):
            return value
        parsed = parse_human_duration(str(value))
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if parsed <= datetime.timedelta():
            raise ValidationError(_("A duration must be longer than nothing."), code="invalid")
        return parsed


WEEKDAYS = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]


class ReminderPolicyForm(forms.ModelForm):
    business_weekdays = forms.MultipleChoiceField(
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        label=_("Business days"),
        help_text=_("Days with business hours."),
    )

    class Meta:
        model = ReminderPolicy
        fields = [
            "unassigned_first",
            "unassigned_repeat",
            "agent_idle",
            "reporter_nudge_after",
            "reporter_nudges",
            "sla",
            "escalation_levels",
            "business_day_start",
            "business_day_end",
            "business_weekdays",
            "holidays",
        ]
        field_classes = {
            name: HumanDurationField
            for name in ("unassigned_first", "unassigned_repeat", "agent_idle", "reporter_nudge_after", "sla")
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["business_weekdays"] = sorted(str(day) for day in self.instance.weekdays())

    def clean_business_weekdays(self) -> str:
        return ",".join(sorted(self.cleaned_data["business_weekdays"]))

    def clean_holidays(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["holidays"].splitlines() if line.strip()]
        wrong = []
        for line in lines:
            try:
                datetime.date.fromisoformat(line)
            except ValueError:
                wrong.append(line)
        if wrong:
            raise ValidationError(
                _("Not a date (write YYYY-MM-DD, one per line): %(dates)s"), params={"dates": ", ".join(wrong[:5])}
            )
        return "\n".join(lines)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("business_day_start"), cleaned.get("business_day_end")
        if start and end and start >= end:
            self.add_error("business_day_end", gettext("Business hours must end after they start."))
        return cleaned
