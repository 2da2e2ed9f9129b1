"""Typed readers for environment variables.

Every reader fails at start-up with ``ImproperlyConfigured`` naming the variable,
so a typo in deployment configuration never turns into a confusing error later.
"""

from __future__ import annotations

import os
import zoneinfo
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {number}")
    return number


def env_choice(name: str, default: str, choices: list[str]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return value


def env_list(name: str, default: list[str], *, allow_empty: bool = False) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items and not allow_empty:
        raise ImproperlyConfigured(f"{name} must list at least one comma-separated value")
    return items


def env_proxy_header(name: str) -> tuple[str, str] | None:
    """``"X-Forwarded-Proto: https"`` → Django's ``("HTTP_X_FORWARDED_PROTO", "https")``; unset → None."""
    value = _raw(name)
    if not value:
        return None
    header, separator, expected = value.partition(":")
    header, expected = header.strip(), expected.strip()
    if not separator or not header or not expected or not all(ch.isalnum() or ch == "-" for ch in header):
        raise ImproperlyConfigured(f'{name} must look like "X-Forwarded-Proto: https"; got {value!r}')
    return "HTTP_" + header.upper().replace("-", "_"), expected


def env_url(name: str, default: str, *, trailing_slash: bool = False) -> str:
    value = env_str(name, default)
    if not value:
        return value
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ImproperlyConfigured(f"{name} must be an http(s) URL such as https://example.com/; got {value!r}")
    if trailing_slash and not value.endswith("/"):
        value += "/"
    return value


def env_time_zone(name: str, default: str) -> str:
    value = env_str(name, default)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(f"{name} must be an IANA time zone such as Asia/Shanghai; got {value!r}") from None
    return value


def env_database(name: str, default: str, *, conn_max_age: int = 0) -> dict:
    url = env_str(name, default) or default
    try:
        config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=conn_max_age > 0)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"{name} is not a usable database URL ({exc}); got {url!r}") from None
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(f"{name} names an unsupported database scheme; got {url!r}")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["CONN_HEALTH_CHECKS"] = False
    return config
