"""Events a platform delivers at least once: each is handled once."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from supportbot.models import ChatEventReceipt


def claim_event(*, platform: str, event_id: str) -> bool:
    """True the first time an event is seen; False for a platform's retry of it."""
    try:
        with transaction.atomic():
            ChatEventReceipt.objects.create(platform=platform, event_id=event_id[:128])
    except IntegrityError:
        return False
    return True
