"""Sending follow-ups: one Transport per chat platform, behind one small interface."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from cases.models import Delivery


class TransportError(Exception):
    """A send that failed. ``permanent`` ones are recorded and never retried."""

    def __init__(self, reason: str, *, permanent: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after


class Transport:
    def send(self, delivery: Delivery) -> tuple[str, str]:
        """Send the follow-up; return (destination, message id). Raise TransportError on failure."""
        raise NotImplementedError


def transport_for(channel: str) -> Transport:
    path = settings.WXBIND_TRANSPORTS.get(channel)
    if path is None:
        raise TransportError(f"no transport for {channel} cases", permanent=True)
    return import_string(path)()
