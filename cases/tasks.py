"""Celery tasks: thin; they fetch and call a service."""

import logging

from celery import shared_task
from django.conf import settings

from cases.services import delivery_send, followups_sweep
from cases.transports import TransportError

logger = logging.getLogger(__name__)

MAX_RETRIES = 8
BATCH = 100


@shared_task(name="cases.sweep_followups", ignore_result=True)
def sweep_followups() -> int:
    due = followups_sweep()
    enqueue_deliveries(due)
    return len(due)


def enqueue_deliveries(delivery_ids: list[int]) -> None:
    """Hand deliveries to the workers. A broker that is down loses nothing: the sweep hands them out again."""
    # One broker message per hundred deliveries: publishing costs more than claiming.
    for start in range(0, len(delivery_ids), BATCH):
        try:
            send_deliveries.apply_async((delivery_ids[start : start + BATCH],), retry=False)
        except Exception as error:  # any broker failure: the rows are pending, the sweep finds them
            logger.warning("could not hand deliveries to the workers (%s); the sweep will", error)
            return


def _backoff(retries: int) -> float:
    return min(settings.CASE_RETRY_BACKOFF_SECONDS * 2**retries, 300)


@shared_task(name="cases.send_deliveries", acks_late=True, ignore_result=True)
def send_deliveries(delivery_ids: list[int]) -> None:
    """Send a batch; a delivery that fails for a passing reason is retried on its own."""
    for delivery_id in delivery_ids:
        try:
            delivery_send(delivery_id=delivery_id)
        except TransportError as error:
            countdown = error.retry_after if error.retry_after is not None else _backoff(0)
            send_delivery.apply_async((delivery_id,), kwargs={"retried": 1}, countdown=countdown)


@shared_task(bind=True, name="cases.send_delivery", max_retries=MAX_RETRIES, acks_late=True, ignore_result=True)
def send_delivery(self, delivery_id: int, retried: int = 0) -> str:
    try:
        return delivery_send(delivery_id=delivery_id)
    except TransportError as error:
        # Slack's Retry-After when it gave one, else exponential backoff (at most 5 minutes).
        attempt = retried + self.request.retries
        if attempt >= MAX_RETRIES:
            raise
        countdown = error.retry_after if error.retry_after is not None else _backoff(attempt)
        raise self.retry(countdown=countdown, exc=error, max_retries=MAX_RETRIES + retried) from None
