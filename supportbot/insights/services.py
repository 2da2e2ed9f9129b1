"""Keeping the insights rollups: answer statistics counted per day, so the page reads days, not events."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, DateTimeField, Exists, ExpressionWrapper, OuterRef, Q, Value
from django.db.models.functions import TruncDate
from django.utils import timezone

from cases.models import Case
from faq.models import AnswerEvent
from supportbot.models import AnswerDay, RollupMark

ANSWER_DAYS = "answer_days"
# Whether an answered question led to a case is known this long after it was asked.
CASE_WINDOW = datetime.timedelta(days=1)
Kind = AnswerEvent.Kind


def answer_days_refresh(*, now: datetime.datetime | None = None) -> int:
    """Count the days not final yet (all of them, the first time) again; how many rows were written.

    Runs on the workers (beat) and before the insights page reads, so the page
    is current; either way it costs the last two days' events once the rollup exists.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        mark, _ = RollupMark.objects.select_for_update().get_or_create(name=ANSWER_DAYS)
        first = mark.final_before or _first_event_day()
        if first is None:
            return 0
        AnswerDay.objects.filter(day__gte=first).delete()
        start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
        rows = [AnswerDay(**row) for row in _counted_days(since=start)]
        AnswerDay.objects.bulk_create(rows, batch_size=2000)
        # Yesterday's answers may still lead to a case today: only the days before it are final.
        mark.final_before = max(first, today - datetime.timedelta(days=1))
        mark.save(update_fields=["final_before"])
    return len(rows)


def _first_event_day() -> datetime.date | None:
    first = AnswerEvent.objects.order_by("created_at").values_list("created_at", flat=True).first()
    return timezone.localdate(first) if first else None


def _counted_days(*, since: datetime.datetime) -> list[dict]:
    typed_and_answered = Q(kind=Kind.SHOWN) & ~Q(question="")
    case_soon_after = Case.objects.filter(
        channel=OuterRef("channel"),
        workspace_id=OuterRef("workspace_id"),
        reporter_id=OuterRef("user_id"),
        created_at__gte=OuterRef("created_at"),
        created_at__lte=ExpressionWrapper(OuterRef("created_at") + Value(CASE_WINDOW), output_field=DateTimeField()),
    )
    return list(
        AnswerEvent.objects.filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day", "channel", "entry_id")
        .annotate(
            answered=Count("pk", filter=typed_and_answered),
            deflected=Count("pk", filter=typed_and_answered & ~Q(Exists(case_soon_after))),
            choices=Count("pk", filter=Q(kind=Kind.CHOICES)),
            no_answer=Count("pk", filter=Q(kind=Kind.NO_MATCH)),
            shown=Count("pk", filter=Q(kind=Kind.SHOWN)),
            helpful=Count("pk", filter=Q(kind=Kind.HELPFUL)),
            not_helpful=Count("pk", filter=Q(kind=Kind.NOT_HELPFUL)),
        )
        .order_by()
    )
