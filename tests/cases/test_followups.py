"""When follow-ups fall due: business time and the schedule of each state."""

import datetime
import zoneinfo

import pytest

from cases.followups import BusinessClock, schedule
from cases.models import Case, Delivery, ReminderPolicy
from cases.states import State

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)  # 2026-11-27 is a Friday


@pytest.fixture
def clock():
    return BusinessClock(ReminderPolicy(holidays="2026-11-30"))


def test_business_time_skips_nights_weekends_and_holidays(clock):
    assert clock.add(at(26, 16), datetime.timedelta(hours=4)) == at(27, 11)  # Thu 16:00 + 4h → Fri 11:00
    # Fri 16:00 + 4h: 2h on Friday, then Sat, Sun and the Monday holiday pass, 2h on Tuesday.
    assert clock.add(at(27, 16), datetime.timedelta(hours=4)) == datetime.datetime(2026, 12, 1, 11, tzinfo=SHANGHAI)


def test_holidays_are_not_business_days(clock):
    assert clock.next_open(at(28, 10)) == datetime.datetime(2026, 12, 1, 9, tzinfo=SHANGHAI)  # Sat → Tue (Mon holiday)
    assert not clock.is_open(at(30, 10))
    assert clock.is_open(at(27, 10))


def test_outside_hours_waits_for_the_next_opening(clock):
    assert clock.next_open(at(26, 20)) == at(27, 9)
    assert clock.next_open(at(27, 8, 30)) == at(27, 9)
    assert clock.next_open(at(27, 12)) == at(27, 12)


def case(**fields) -> Case:
    base = {
        "number": 1,
        "state": State.OPEN,
        "created_at": at(26, 10),
        "last_activity_at": at(26, 10),
        "escalation_level": 0,
    }
    return Case(**{**base, **fields})


def kinds(items):
    return [(d.kind, d.at) for d in items]


def test_an_unassigned_case_is_posted_after_30_minutes_then_every_2_hours(clock):
    policy = ReminderPolicy()
    planned = schedule(case(), policy, clock, now=at(26, 13))
    unassigned = [d for d in planned if d.kind == Delivery.Kind.UNASSIGNED]
    assert [(d.step, d.at) for d in unassigned] == [(2, at(26, 12, 30)), (3, at(26, 14, 30))]


def test_a_waiting_case_nudges_twice_in_business_hours_then_resolves(clock):
    policy = ReminderPolicy()  # 24 hours apart, twice, then resolve
    planned = schedule(case(state=State.WAITING, waiting_since=at(26, 17)), policy, clock, now=at(26, 17))
    nudges = [d.at for d in planned if d.kind == Delivery.Kind.REPORTER_NUDGE]
    # Fri 17:00; then Sat 17:00 is outside business days (and Mon a holiday): Tue 09:00.
    assert nudges == [at(27, 17), datetime.datetime(2026, 12, 1, 9, tzinfo=SHANGHAI)]
    resolved = [d.at for d in planned if d.kind == Delivery.Kind.AUTO_RESOLVED]
    assert resolved == [datetime.datetime(2026, 12, 2, 9, tzinfo=SHANGHAI)]  # a day after the last nudge


def test_escalation_once_per_level_after_the_sla(clock):
    policy = ReminderPolicy()  # 8 business hours per level, 3 levels
    planned = schedule(case(state=State.ASSIGNED, escalation_level=1), policy, clock, now=at(26, 10))
    levels = [(d.step, d.at) for d in planned if d.kind == Delivery.Kind.ESCALATION]
    # Level 1 is done; level 2 after 16 business hours from Thu 10:00, level 3 after 24.
    assert levels == [(2, at(27, 17)), (3, datetime.datetime(2026, 12, 1, 16, tzinfo=SHANGHAI))]


def test_resolved_cases_have_no_follow_ups(clock):
    assert schedule(case(state=State.RESOLVED), ReminderPolicy(), clock, now=at(26, 10)) == []
