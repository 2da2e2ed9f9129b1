"""Links to a full answer that open for the person who got them: signed for one entry, valid for some days.

The FAQ is not secret, but it is not published to the world either: a link in a
chat reply carries a signature (Django's signing, with the site's secret key)
that opens that entry's page, published version only, for
``WXBIND_ANSWER_LINK_DAYS`` days. Without one, the page needs a signed-in user.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

_SALT = "wxbind.faq.answer-link"


def answer_link(slug: str) -> str:
    """The path of the entry's page with a signature for it."""
    token = signing.TimestampSigner(salt=_SALT).sign(slug).rsplit(":", 2)
    return f"{reverse('faq:entry', args=[slug])}?t={token[1]}.{token[2]}"


def link_opens(slug: str, token: str) -> bool:
    """Whether ``token`` was made for ``slug`` and has not expired."""
    stamp, _, signature = (token or "").partition(".")
    if not stamp or not signature:
        return False
    try:
        signing.TimestampSigner(salt=_SALT).unsign(
            f"{slug}:{stamp}:{signature}", max_age=settings.WXBIND_ANSWER_LINK_DAYS * 86400
        )
    except signing.BadSignature:  # forged, for another entry, or expired (SignatureExpired is one)
        return False
    return True
