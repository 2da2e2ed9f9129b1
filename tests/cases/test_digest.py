"""The weekly digest: written once per week and platform when its day and hour come, whoever sweeps."""

import datetime
import threading
import zoneinfo

import pytest
from django.conf import settings
from django.db import connection, connections

from cases.models import Delivery, ReminderPolicy
from cases.services import digest_week, digests_due

ZONE = zoneinfo.ZoneInfo(settings.TIME_ZONE)
MONDAY_NINE = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=ZONE)


def digests() -> list[tuple[str, int]]:
    return sorted(Delivery.objects.filter(kind=Delivery.Kind.DIGEST).values_list("scope", "step"))


@pytest.mark.django_db
def test_nothing_before_its_hour_then_one_per_platform_once(settings):
    settings.WXBIND_PLATFORMS = {"slack": "x", "teams": "y"}
    assert digests_due(now=MONDAY_NINE - datetime.timedelta(minutes=1)) == []
    written = digests_due(now=MONDAY_NINE)
    assert len(written) == 2
    assert digests() == [("slack", 202648), ("teams", 202648)]
    assert digests_due(now=MONDAY_NINE + datetime.timedelta(hours=30)) == []  # the same week: nothing more
    assert len(digests_due(now=MONDAY_NINE + datetime.timedelta(days=7))) == 2  # the next week's


@pytest.mark.django_db
def test_the_day_and_hour_come_from_the_policy_and_no_day_means_no_digest(settings):
    settings.WXBIND_PLATFORMS = {"slack": "x"}
    ReminderPolicy.objects.update_or_create(pk=1, defaults={"digest_weekday": 4, "digest_time": datetime.time(17, 30)})
    assert digests_due(now=MONDAY_NINE + datetime.timedelta(days=4, hours=8)) == []  # Friday 17:00
    assert len(digests_due(now=MONDAY_NINE + datetime.timedelta(days=4, hours=8, minutes=30))) == 1
    ReminderPolicy.objects.filter(pk=1).update(digest_weekday=None)
    assert digests_due(now=MONDAY_NINE + datetime.timedelta(days=11)) == []


def test_a_digest_tells_about_the_week_before_it():
    assert digest_week(202648) == (datetime.date(2026, 11, 16), datetime.date(2026, 11, 22))
    assert digest_week(202701) == (datetime.date(2026, 12, 28), datetime.date(2027, 1, 3))


@pytest.mark.django_db(transaction=True)
def test_two_beats_at_once_write_each_digest_once(settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for two writers at once; the PostgreSQL tier runs it")
    settings.WXBIND_PLATFORMS = {"slack": "x", "teams": "y"}
    ReminderPolicy.current()
    barrier, found = threading.Barrier(2), []

    def beat() -> None:
        barrier.wait()
        found.append(digests_due(now=MONDAY_NINE))
        connections.close_all()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(found[0] + found[1]) == sorted(Delivery.objects.filter(kind="digest").values_list("pk", flat=True))
    assert digests() == [("slack", 202648), ("teams", 202648)]
