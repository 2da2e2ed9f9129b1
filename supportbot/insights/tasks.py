"""Celery tasks: thin; they call a service."""

from celery import shared_task

from supportbot.insights.services import answer_days_refresh


@shared_task(name="insights.refresh_answer_days", ignore_result=True)
def refresh_answer_days() -> int:
    return answer_days_refresh()
