"""The Bot Connector REST API, through the Teams SDK's ``ApiClient``, from synchronous code.

The SDK is asynchronous and its HTTP client belongs to the event loop that
opened its connections. So each process keeps one event loop on a thread of
its own for outbound calls, made on first use (after any fork: a worker
process never inherits its parent's loop), and the request threads and Celery
tasks hand their calls to it and wait. Connections to the service stay open
between sends.
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import threading
from dataclasses import dataclass

import httpx
from django.conf import settings

from cases.transports import TransportError
from supportbot.teams.auth import bot_token

# The bot token of the call being made: each call runs as its own task on the loop, with its own context.
_call_token: contextvars.ContextVar[str | None] = contextvars.ContextVar("teams_bot_token", default=None)


@dataclass(frozen=True)
class Posted:
    conversation: str
    activity_id: str


class Connector:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._http = None
        self._clients: dict[str, object] = {}

    def _start(self) -> asyncio.AbstractEventLoop:
        if self._pid == os.getpid() and self._loop is not None:
            return self._loop  # started in this process: no lock on the way of every send
        with self._lock:
            if self._pid != os.getpid() or self._loop is None:
                from microsoft_teams.common import Client, ClientOptions

                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name="teams-connector", daemon=True).start()

                async def make_client():
                    # The token is fetched by the calling thread (see _call); the loop only reads it.
                    return Client(ClientOptions(timeout=settings.TEAMS_API_TIMEOUT, token=_call_token.get))

                self._http = asyncio.run_coroutine_threadsafe(make_client(), loop).result()
                self._clients, self._loop, self._pid = {}, loop, os.getpid()
            return self._loop

    def _api(self, service_url: str):
        from microsoft_teams.api import ApiClient

        key = service_url.rstrip("/")
        client = self._clients.get(key)
        if client is None:
            client = self._clients[key] = ApiClient(key, self._http)
        return client

    def _call(self, service_url: str, make_coroutine):
        """Run ``make_coroutine(api)`` for the service at ``service_url`` on this process's loop, and wait."""
        loop = self._start()
        api = self._api(service_url)
        token = bot_token.get()

        async def with_token():
            _call_token.set(token)
            return await make_coroutine(api)

        future = asyncio.run_coroutine_threadsafe(with_token(), loop)
        try:
            return future.result(timeout=settings.TEAMS_API_TIMEOUT + 5)
        except httpx.HTTPStatusError as error:
            raise classify(error.response) from None
        except (httpx.TransportError, TimeoutError) as error:
            future.cancel()
            raise TransportError(f"network: {error!r}"[:200], permanent=False) from None

    # Calls ------------------------------------------------------------------------------------

    def post(self, *, service_url: str, conversation: str, activity) -> Posted:
        sent = self._call(service_url, lambda api: api.conversations.create_activity(conversation, activity))
        return Posted(conversation, sent.id or "")

    def update(self, *, service_url: str, conversation: str, activity_id: str, activity) -> None:
        self._call(service_url, lambda api: api.conversations.update_activity(conversation, activity_id, activity))

    def open_direct(self, *, service_url: str, user_id: str, tenant_id: str) -> str:
        """The bot's one-to-one conversation with a person (Teams gives back the existing one)."""
        from microsoft_teams.api import Account, CreateConversationParams

        params = CreateConversationParams(
            members=[Account(id=user_id)],
            tenant_id=tenant_id or None,
            channel_data={"tenant": {"id": tenant_id}} if tenant_id else None,
            **{"isGroup": False},
        )
        if settings.TEAMS_APP_ID:
            params.bot = Account(id=f"28:{settings.TEAMS_APP_ID}")
        created = self._call(service_url, lambda api: api.conversations.create(params))
        if not created.id:
            raise TransportError("Teams created no conversation", permanent=True)
        return created.id


def classify(response: httpx.Response) -> TransportError:
    """What a connector answer means for retrying: rate limits and outages pass; a removed bot does not."""
    status = response.status_code
    if status == 429:
        retry_after = response.headers.get("Retry-After")
        try:
            wait = max(float(retry_after), 0.0) if retry_after else 1.0
        except ValueError:
            wait = 1.0
        return TransportError("rate limited", permanent=False, retry_after=wait)
    if status >= 500:
        return TransportError(f"Teams answered {status}", permanent=False)
    if status == 401:
        bot_token.forget()  # perhaps expired early or rotated: the retry fetches a new one
        return TransportError("Teams refused the bot's token (401)", permanent=False)
    try:
        code = (response.json().get("error") or {}).get("code", "")
    except (ValueError, AttributeError):
        code = ""
    reason = {403: "the bot was removed or may not post here", 404: "the conversation or message is gone"}
    return TransportError(f"{status} {code}: {reason.get(status, 'refused')}".strip(), permanent=True)


connector = Connector()
