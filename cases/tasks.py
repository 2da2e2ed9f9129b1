"""Celery tasks: thin; they fetch and call a service."""

from celery import shared_task
from django.conf import settings

from cases.services import delivery_send, followups_sweep
from cases.transports import TransportError

MAX_RETRIES = 8


@shared_task(name="cases.sweep_followups", ignore_result=True)
def sweep_followups() -> int:
    due = followups_sweep()
    for delivery_id in due:
        send_delivery.delay(delivery_id)
    return len(due)


@shared_task(bind=True, name="cases.send_delivery", max_retries=MAX_RETRIES, acks_late=True, ignore_result=True)
def send_delivery(self, delivery_id: int) -> str:
    try:
        return delivery_send(delivery_id=delivery_id)
    except TransportError as error:
        # Slack's Retry-After when it gave one, else exponential backoff: base, 2×, 4× … (at most 5 minutes).
        base = settings.CASE_RETRY_BACKOFF_SECONDS
        countdown = error.retry_after if error.retry_after is not None else min(base * 2**self.request.retries, 300)
        raise self.retry(countdown=countdown, exc=error) from None
