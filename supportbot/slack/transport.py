"""Follow-ups for cases that came from Slack."""

from __future__ import annotations

import urllib.error

from django.conf import settings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from cases.models import Case, Delivery
from cases.transports import Transport, TransportError
from supportbot.slack.blocks import button, context, section
from supportbot.slack.mrkdwn import escape

# Errors that will not go away by retrying: record them and tell admins.
PERMANENT_ERRORS = {
    "channel_not_found",
    "user_not_found",
    "account_inactive",
    "invalid_auth",
    "not_authed",
    "is_archived",
    "not_in_channel",
    "cannot_dm_bot",
    "user_disabled",
    "token_revoked",
    "missing_scope",
    "invalid_blocks",
}


class SlackTransport(Transport):
    def __init__(self) -> None:
        # No hidden retries inside the client: the Celery task owns retrying, so counts stay exact.
        self.client = WebClient(
            token=settings.SLACK_BOT_TOKEN,
            base_url=settings.SLACK_API_URL,
            timeout=settings.SLACK_API_TIMEOUT,
            retry_handlers=[],
        )

    def send(self, delivery: Delivery) -> tuple[str, str]:
        channel, message = _message(delivery)
        if not channel:
            raise TransportError(f"no Slack channel for {delivery.get_kind_display()}", permanent=True)
        try:
            response = self.client.chat_postMessage(channel=channel, **message)
        except SlackApiError as error:
            raise _classify(error) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise TransportError(f"network: {error}", permanent=False) from None
        return response.get("channel", channel), response.get("ts", "")


def _classify(error: SlackApiError) -> TransportError:
    status = error.response.status_code
    code = (error.response.data or {}).get("error", "") if isinstance(error.response.data, dict) else ""
    if status == 429:
        retry_after = error.response.headers.get("Retry-After") or error.response.headers.get("retry-after")
        return TransportError("rate limited", permanent=False, retry_after=float(retry_after or 1))
    if status >= 500:
        return TransportError(f"Slack answered {status}", permanent=False)
    if code in PERMANENT_ERRORS:
        return TransportError(code, permanent=True)
    transient = {"internal_error", "fatal_error", "service_unavailable", "request_timeout", "ratelimited"}
    return TransportError(code or f"HTTP {status}", permanent=code not in transient)


def _message(delivery: Delivery) -> tuple[str, dict]:
    case: Case = delivery.case
    number = case.number
    support = case.support_channel_id or settings.SLACK_SUPPORT_CHANNEL
    kind = Delivery.Kind
    if delivery.kind == kind.UNASSIGNED:
        text = f"Case {number} is still waiting for an agent."
        return support, {
            "text": text,
            "thread_ts": case.support_message_ts or None,
            "reply_broadcast": bool(case.support_message_ts),
        }
    if delivery.kind == kind.AGENT_IDLE:
        text = f"Reminder: case {number} has had no activity for a while. Reply to the reporter or move it on."
        return case.assignee_chat_id or support, {"text": text}
    if delivery.kind == kind.REPORTER_NUDGE:
        text = f"Did the fix work for case {number}?"
        blocks = [
            section(escape(text)),
            {
                "type": "actions",
                "block_id": f"case_{number}",
                "elements": [
                    button("Resolved", "case:resolve", value=str(number), style="primary"),
                    button("Still broken", "case:reporter_replied", value=str(number)),
                ],
            },
        ]
        return case.reporter_id, {"text": text, "blocks": blocks}
    if delivery.kind == kind.AUTO_RESOLVED:
        text = f"We resolved case {number} as we did not hear back. Type /wxbind case {number} to reopen it."
        return case.reporter_id, {"text": text, "blocks": [section(escape(text)), context("wxbind")]}
    text = f"Escalation level {delivery.step}: case {number} is not resolved within the SLA."
    return settings.SLACK_ESCALATION_CHANNEL or support, {"text": text}
