"""Who may talk to the bot, and the bot's own token: both as the Bot Framework defines them.

Inbound: every activity carries a JWT the Bot Framework signed. The Teams SDK's
``TokenValidator`` checks it the way the SDK's own server does (signature
against the published keys, issuer, audience = our app id, and the
``serviceurl`` claim equal to the activity's), with the SDK's clock leeway;
we add only that a token must expire at all.

Outbound: replies and proactive messages carry a client-credentials token for
the bot's app registration, fetched from ``TEAMS_TOKEN_URL`` and kept until
shortly before it expires.
"""

from __future__ import annotations

import asyncio
import functools
import threading
import time

import httpx
import jwt
from django.conf import settings

REQUIRED_SETTINGS = ("TEAMS_APP_ID",)
BOT_SCOPE = "https://api.botframework.com/.default"
TOKEN_MARGIN_SECONDS = 300


class TeamsNotConfigured(Exception):
    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(f"Teams is not configured: set {', '.join(missing)} (or TEAMS_SKIP_AUTH=1 for development)")


class Unauthenticated(Exception):
    """The request does not carry a valid Bot Framework token."""


def check_configured() -> None:
    if settings.TEAMS_SKIP_AUTH:
        return
    missing = [name for name in REQUIRED_SETTINGS if not getattr(settings, name)]
    if missing:
        raise TeamsNotConfigured(missing)


@functools.cache
def _validator(app_id: str, metadata_url: str):
    # Imported here: the SDK's app package is heavy and only the Teams endpoint needs it.
    from microsoft_teams.api.auth.cloud_environment import PUBLIC, with_overrides
    from microsoft_teams.apps.auth.token_validator import TokenValidator

    return TokenValidator.for_service(app_id, cloud=with_overrides(PUBLIC, openid_metadata_url=metadata_url))


def authenticate(authorization: str, *, service_url: str) -> dict:
    """The token's claims, or ``Unauthenticated``."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("no bearer token")
    try:
        if "exp" not in jwt.decode(token, options={"verify_signature": False}):
            raise Unauthenticated("the token never expires")
        validator = _validator(settings.TEAMS_APP_ID, settings.TEAMS_OPENID_METADATA_URL)
        # The validator is a coroutine without awaits: running it needs no shared event loop.
        return asyncio.run(validator.validate_token(token.strip(), service_url))
    except (jwt.PyJWTError, ValueError, KeyError) as error:
        raise Unauthenticated(str(error)[:200]) from None


def warm_up() -> None:
    """Load the SDK's validator (its package is heavy); the signing keys are fetched on the first activity."""
    _validator(settings.TEAMS_APP_ID, settings.TEAMS_OPENID_METADATA_URL)


def forget_keys() -> None:
    _validator.cache_clear()


# The bot's own token -------------------------------------------------------------------------


class BotToken:
    """The client-credentials token replies are sent with, fetched once and kept until near its expiry."""

    def __init__(self) -> None:
        self._token = ""
        self._expires_at = 0.0
        self._lock = threading.Lock()

    def get(self) -> str | None:
        """A valid token, or None where replies go without one (TEAMS_SKIP_AUTH)."""
        if settings.TEAMS_SKIP_AUTH:
            return None
        with self._lock:
            if not self._token or time.time() > self._expires_at - TOKEN_MARGIN_SECONDS:
                self._token, self._expires_at = self._fetch()
            return self._token

    def forget(self) -> None:
        with self._lock:
            self._token, self._expires_at = "", 0.0

    @staticmethod
    def _fetch() -> tuple[str, float]:
        from cases.transports import TransportError

        try:
            response = httpx.post(
                settings.TEAMS_TOKEN_URL,
                data={
                    "grant_type": "client_credentials",
                    "client_id": settings.TEAMS_APP_ID,
                    "client_secret": settings.TEAMS_APP_PASSWORD,
                    "scope": BOT_SCOPE,
                },
                timeout=settings.TEAMS_API_TIMEOUT,
            )
        except httpx.HTTPError as error:
            raise TransportError(f"token endpoint: {error}", permanent=False) from None
        if response.status_code >= 500 or response.status_code == 429:
            raise TransportError(f"token endpoint answered {response.status_code}", permanent=False)
        try:
            data = response.json()
            token, lifetime = data["access_token"], float(data.get("expires_in", 3600))
        except (ValueError, KeyError, TypeError):
            raise TransportError(
                f"token endpoint answered {response.status_code} without a token"
                " (check TEAMS_APP_ID and TEAMS_APP_PASSWORD)",
                permanent=True,
            ) from None
        return token, time.time() + lifetime


bot_token = BotToken()
