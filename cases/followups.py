"""When each follow-up of a case falls due: the rules, with no sending in them."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from django.conf import settings

from cases.models import Case, Delivery, ReminderPolicy
from cases.states import State

Kind = Delivery.Kind


@dataclass(frozen=True)
class Due:
    kind: str
    step: int
    at: datetime.datetime


class BusinessClock:
    """Business hours, weekdays and holidays of the policy, in the site's time zone."""

    def __init__(self, policy: ReminderPolicy) -> None:
        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.start, self.end = policy.business_day_start, policy.business_day_end
        self.weekdays = policy.weekdays()
        self.holidays = policy.holiday_dates()

    def _is_business_day(self, day: datetime.date) -> bool:
        return day.weekday() in self.weekdays and day not in self.holidays

    def _day_window(self, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
        return (
            datetime.datetime.combine(day, self.start, self.zone),
            datetime.datetime.combine(day, self.end, self.zone),
        )

    def is_open(self, moment: datetime.datetime) -> bool:
        local = moment.astimezone(self.zone)
        opens, closes = self._day_window(local.date())
        return self._is_business_day(local.date()) and opens <= local < closes

    def next_open(self, moment: datetime.datetime) -> datetime.datetime:
        """``moment`` if it is within business hours, else the next opening."""
        local = moment.astimezone(self.zone)
        for offset in range(370):
            day = local.date() + datetime.timedelta(days=offset)
            if not self._is_business_day(day):
                continue
            opens, closes = self._day_window(day)
            if local < closes:
                return max(local, opens)
        return local  # a policy with no business days: do not wait forever

    def between(self, start: datetime.datetime, end: datetime.datetime) -> datetime.timedelta:
        """How much business time passes from ``start`` to ``end`` (nothing if ``end`` comes first)."""
        total = datetime.timedelta(0)
        moment = self.next_open(start)
        end = end.astimezone(self.zone)
        for _ in range(10_000):
            if moment >= end:
                break
            _, closes = self._day_window(moment.date())
            total += min(closes, end) - moment
            moment = self.next_open(closes)
        return total

    def add(self, start: datetime.datetime, amount: datetime.timedelta) -> datetime.datetime:
        """``start`` plus ``amount`` of business time."""
        moment, left = self.next_open(start), amount
        for _ in range(10_000):
            _, closes = self._day_window(moment.date())
            today = closes - moment
            if left <= today:
                return moment + left
            left -= today
            moment = self.next_open(closes)
        return moment


def schedule(case: Case, policy: ReminderPolicy, clock: BusinessClock, now: datetime.datetime) -> list[Due]:
    """Every follow-up the case's current state calls for, up to the first one after ``now``."""
    planned: list[Due] = []
    if case.state == State.OPEN:
        # Repeats: the latest one due by now (missed ones are not sent late), then the next.
        first = case.created_at + policy.unassigned_first
        repeat = max(policy.unassigned_repeat, datetime.timedelta(seconds=1))
        step = 1 if now < first else 1 + int((now - first) / repeat)
        planned.append(Due(Kind.UNASSIGNED, step, first + (step - 1) * repeat))
        planned.append(Due(Kind.UNASSIGNED, step + 1, first + step * repeat))
    if case.state == State.ASSIGNED:
        at = clock.add(case.last_activity_at, policy.agent_idle)
        planned.append(Due(Kind.AGENT_IDLE, _epoch(case.last_activity_at), at))
    if case.state == State.WAITING and case.waiting_since:
        # Each nudge one interval after the one before, moved into business hours,
        # so a weekend does not bunch them up on Monday morning.
        at = case.waiting_since
        for number in range(1, policy.reporter_nudges + 1):
            at = clock.next_open(at + policy.reporter_nudge_after)
            planned.append(Due(Kind.REPORTER_NUDGE, _epoch(case.waiting_since) * 10 + number, at))
        resolve_at = clock.next_open(at + policy.reporter_nudge_after)
        planned.append(Due(Kind.AUTO_RESOLVED, _epoch(case.waiting_since), resolve_at))
    if case.is_active:
        for level in range(case.escalation_level + 1, policy.escalation_levels + 1):
            planned.append(Due(Kind.ESCALATION, level, clock.add(case.created_at, level * policy.sla)))
    return sorted(planned, key=lambda due: due.at)


def _epoch(moment: datetime.datetime) -> int:
    return int(moment.timestamp())


def due_now(
    case: Case, policy: ReminderPolicy, clock: BusinessClock, now: datetime.datetime, written: set[tuple[str, int]]
) -> tuple[list[Due], datetime.datetime | None]:
    """The follow-ups due by ``now`` and not yet written, and when the next one falls due."""
    due, next_at = [], None
    for item in schedule(case, policy, clock, now):
        if (item.kind, item.step) in written:
            continue
        if item.at <= now:
            due.append(item)
        elif next_at is None or item.at < next_at:
            next_at = item.at
    return due, next_at
