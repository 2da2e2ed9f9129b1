"""Celery tasks: thin; they fetch and call a service."""

import logging

from celery import shared_task

from cases.services import RetryScheduled, delivery_send, digests_due, followups_sweep

logger = logging.getLogger(__name__)

BATCH = 100


@shared_task(name="cases.sweep_followups", ignore_result=True)
def sweep_followups() -> int:
    due = followups_sweep() + digests_due()
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


@shared_task(name="cases.send_deliveries", acks_late=True, ignore_result=True)
def send_deliveries(delivery_ids: list[int]) -> None:
    """Send a batch; a delivery that fails for a passing reason comes back on its own when its retry is due."""
    for delivery_id in delivery_ids:
        try:
            delivery_send(delivery_id=delivery_id)
        except RetryScheduled as retry:
            send_delivery.apply_async((delivery_id,), countdown=retry.seconds)


# The row's retry_at and attempts bound the retries; Celery only brings the task back on time.
@shared_task(bind=True, name="cases.send_delivery", max_retries=None, acks_late=True, ignore_result=True)
def send_delivery(self, delivery_id: int) -> str:
    try:
        return delivery_send(delivery_id=delivery_id)
    except RetryScheduled as retry:
        raise self.retry(countdown=retry.seconds) from None
