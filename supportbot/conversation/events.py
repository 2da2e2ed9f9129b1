"""Events a platform delivers at least once: each is handled once."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from supportbot.models import ChatEventReceipt

_TABLE = ChatEventReceipt._meta.db_table


def claim_event(*, platform: str, event_id: str) -> bool:
    """True the first time an event is seen; False for a platform's retry of it.

    One statement that cannot fail on a repeat, with no transaction of its own: this
    runs on every message, and the unique constraint alone decides who was first.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_TABLE} (platform, event_id, received_at) VALUES (%s, %s, %s) "
            "ON CONFLICT (platform, event_id) DO NOTHING",
            [platform, event_id[:128], timezone.now()],
        )
        return cursor.rowcount == 1
