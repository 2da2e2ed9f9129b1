"""Slack as a chat platform of the core: where agents work, who they are, and sending what the core says."""

from __future__ import annotations

import logging
import threading
import time
import urllib.error

from django.conf import settings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from cases.transports import TransportError
from supportbot.conversation.platforms import Address, ChatPlatform, MessageRef
from supportbot.slack import blocks
from supportbot.slack.payloads import PLATFORM

logger = logging.getLogger(__name__)

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
    "message_not_found",
    "cant_update_message",
}
TRANSIENT_ERRORS = {"internal_error", "fatal_error", "service_unavailable", "request_timeout", "ratelimited"}
AGENT_GROUP_TTL_SECONDS = 300


class SlackPlatform(ChatPlatform):
    name = PLATFORM

    def __init__(self) -> None:
        self._group: tuple[float, frozenset[str]] = (0.0, frozenset())
        self._group_lock = threading.Lock()

    def is_configured(self) -> bool:
        return bool(settings.SLACK_BOT_TOKEN)

    def client(self) -> WebClient:
        # No hidden retries inside the client: the delivery task owns retrying, so counts stay exact.
        return WebClient(
            token=settings.SLACK_BOT_TOKEN,
            base_url=settings.SLACK_API_URL,
            timeout=settings.SLACK_API_TIMEOUT,
            retry_handlers=[],
        )

    # Where --------------------------------------------------------------------

    def support_address(self) -> Address | None:
        return Address(PLATFORM, settings.SLACK_SUPPORT_CHANNEL) if settings.SLACK_SUPPORT_CHANNEL else None

    def escalation_address(self) -> Address | None:
        return Address(PLATFORM, settings.SLACK_ESCALATION_CHANNEL) if settings.SLACK_ESCALATION_CHANNEL else None

    def direct_address(self, *, workspace: str, user_id: str, route: str = "") -> Address | None:
        # Posting to a user id opens (or reuses) the bot's direct conversation with them.
        return Address(PLATFORM, user_id) if user_id else None

    def command_text(self, arguments: str) -> str:
        return f"/wxbind {arguments}"

    # Who are agents --------------------------------------------------------------

    def is_agent(self, person) -> bool:
        return person.platform == PLATFORM and person.user_id in self._agent_group()

    def _agent_group(self) -> frozenset[str]:
        """Members of SLACK_AGENT_USERGROUP, asked of Slack at most every few minutes."""
        if not settings.SLACK_AGENT_USERGROUP or not self.is_configured():
            return frozenset()
        fetched_at, members = self._group
        if time.monotonic() - fetched_at < AGENT_GROUP_TTL_SECONDS:
            return members
        try:
            users = self.client().usergroups_users_list(usergroup=settings.SLACK_AGENT_USERGROUP)["users"]
        except SlackApiError as error:
            logger.warning("usergroups.users.list failed: %s", error.response.get("error"))
            return members
        with self._group_lock:
            self._group = (time.monotonic(), frozenset(users))
        return self._group[1]

    def forget_agents(self) -> None:
        with self._group_lock:
            self._group = (0.0, frozenset())

    # Sending ----------------------------------------------------------------------

    def send(self, address: Address, reply) -> MessageRef:
        messages = blocks.render(reply)
        extra = {}
        if address.thread:
            extra["thread_ts"] = address.thread
            extra["reply_broadcast"] = bool(getattr(reply, "broadcast", False))
        first = None
        for message in messages:
            response = self._call("chat_postMessage", channel=address.conversation, **extra, **message.as_kwargs())
            first = first or MessageRef(PLATFORM, response.get("channel", address.conversation), response.get("ts", ""))
        return first

    def update(self, ref: MessageRef, reply) -> None:
        message = blocks.render(reply)[0]
        self._call("chat_update", channel=ref.conversation, ts=ref.message, **message.as_kwargs())

    def _call(self, method: str, **arguments) -> dict:
        try:
            return getattr(self.client(), method)(**arguments)
        except SlackApiError as error:
            raise _classify(error) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise TransportError(f"network: {error}", permanent=False) from None


def _classify(error: SlackApiError) -> TransportError:
    status = error.response.status_code
    data = error.response.data
    code = data.get("error", "") if isinstance(data, dict) else ""
    if status == 429:
        retry_after = error.response.headers.get("Retry-After") or error.response.headers.get("retry-after")
        return TransportError("rate limited", permanent=False, retry_after=float(retry_after or 1))
    if status >= 500:
        return TransportError(f"Slack answered {status}", permanent=False)
    if code in PERMANENT_ERRORS:
        return TransportError(code, permanent=True)
    return TransportError(code or f"HTTP {status}", permanent=code not in TRANSIENT_ERRORS)
