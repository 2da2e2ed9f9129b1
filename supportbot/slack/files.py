"""Files sent in Slack, opened by people outside the workspace (a reporter on Teams) through a signed link.

A Slack file opens only for members of the workspace, so its permalink is no
use to someone on Teams. A file relayed through a case therefore links to
wxbind, ``/slack/files/<signed file id>/<name>``: the signature (Django's
signing, with the site's secret key) opens that one file for
``WXBIND_FILE_LINK_DAYS`` days, and the site fetches it from Slack with the
bot's token (``files:read``) as it is opened. Without ``WXBIND_BASE_URL`` there
is no address to link to, and the permalink is relayed instead.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core import signing
from django.urls import reverse
from slack_sdk.errors import SlackApiError

from supportbot.slack.app import web_client

_SALT = "wxbind.slack.file"
FILE_ID = re.compile(r"^F[A-Z0-9]{4,30}$")
# Shown in the browser; anything else is downloaded, so no file can run as a page of this site.
INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain"})


class FileUnavailable(Exception):
    """Slack would not give the file (deleted, no access, Slack down): said to whoever opened the link."""


@dataclass(frozen=True)
class OpenedFile:
    name: str
    content_type: str
    size: int | None
    stream: object  # a file-like object to read the bytes from

    @property
    def inline(self) -> bool:
        return self.content_type in INLINE_TYPES


def shareable_url(file_id: str, name: str) -> str | None:
    """A link that opens the file for anyone who has it, or None when the site has no public address."""
    base = settings.WXBIND_BASE_URL
    if not base or not isinstance(file_id, str) or not FILE_ID.match(file_id):
        return None
    token = signing.TimestampSigner(salt=_SALT).sign(file_id)
    shown_name = quote((name or file_id).replace("/", "_")[:120], safe="")
    return f"{base}{reverse('slack-file', args=[token, shown_name])}"


def file_of(token: str) -> str | None:
    """The file id a link was signed for, or None for a forged, altered or expired one."""
    try:
        file_id = signing.TimestampSigner(salt=_SALT).unsign(token, max_age=settings.WXBIND_FILE_LINK_DAYS * 86400)
    except signing.BadSignature:
        return None
    return file_id if FILE_ID.match(file_id) else None


def open_file(file_id: str) -> OpenedFile:
    """Ask Slack for the file and start reading it, with the bot's token."""
    try:
        info = web_client().files_info(file=file_id)["file"]
    except SlackApiError as error:
        raise FileUnavailable(str(error.response.get("error") or "Slack refused")) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise FileUnavailable(f"Slack could not be reached: {error}") from None
    url = info.get("url_private_download") or info.get("url_private") or ""
    if not _is_slacks(url):
        raise FileUnavailable("Slack gave no address to download the file from")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {settings.SLACK_BOT_TOKEN}"})
    try:
        response = urllib.request.urlopen(request, timeout=settings.SLACK_API_TIMEOUT)
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise FileUnavailable(f"the download failed: {error}") from None
    size = info.get("size")
    return OpenedFile(
        name=str(info.get("name") or file_id)[:200],
        content_type=str(info.get("mimetype") or "application/octet-stream")[:100],
        size=size if isinstance(size, int) else None,
        stream=response,
    )


def _is_slacks(url: str) -> bool:
    """Only Slack's own file hosts (or the API host in use) get the bot's token."""
    host = urlsplit(url).hostname or ""
    api_host = urlsplit(settings.SLACK_API_URL).hostname or ""
    return url.startswith(("https://", "http://")) and (host == api_host or host.endswith(".slack.com"))
