"""What we know about chat users (their locale), looked up once per person and kept."""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.db import IntegrityError, transaction
from django.utils import timezone

from supportbot.models import ChatUser

_MEMO_SIZE = 10_000
_memo: OrderedDict[tuple[str, str, str], str] = OrderedDict()
_memo_lock = threading.Lock()


def known_locale(*, platform: str, workspace_id: str, user_id: str) -> str | None:
    """The user's locale if we already know it. Never calls the chat platform."""
    key = (platform, workspace_id, user_id)
    with _memo_lock:
        if key in _memo:
            _memo.move_to_end(key)
            return _memo[key]
    locale = (
        ChatUser.objects.filter(platform=platform, workspace_id=workspace_id, user_id=user_id)
        .exclude(locale="")
        .values_list("locale", flat=True)
        .first()
    )
    if locale:
        _remember_in_memo(key, locale)
    return locale


def remember_locale(*, platform: str, workspace_id: str, user_id: str, locale: str, display_name: str = "") -> None:
    values = {"locale": locale[:16], "display_name": display_name[:200], "fetched_at": timezone.now()}
    try:
        with transaction.atomic():
            ChatUser.objects.update_or_create(
                platform=platform, workspace_id=workspace_id, user_id=user_id, defaults=values
            )
    except IntegrityError:  # created by a concurrent request in between; ours is as good
        pass
    _remember_in_memo((platform, workspace_id, user_id), locale)


def _remember_in_memo(key: tuple[str, str, str], locale: str) -> None:
    with _memo_lock:
        _memo[key] = locale
        _memo.move_to_end(key)
        while len(_memo) > _MEMO_SIZE:
            _memo.popitem(last=False)


def forget_all() -> None:
    with _memo_lock:
        _memo.clear()
