"""A file sent in Slack opens for someone outside the workspace through its signed link, and only through it."""

import urllib.error
import urllib.request

import pytest
import time_machine

from supportbot.slack import files

pytestmark = pytest.mark.django_db(transaction=True)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def fetch(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def site(slack_settings, live_server, standin):
    slack_settings.WXBIND_BASE_URL = live_server.url
    standin.files["F06SCREEN01"] = ("authorization.png", "image/png", PNG)
    return live_server


def test_without_a_public_address_there_is_no_link_to_make(slack_settings):
    slack_settings.WXBIND_BASE_URL = ""
    assert files.shareable_url("F06SCREEN01", "a.png") is None


def test_the_signed_link_opens_the_file_fetched_with_the_bots_token(site, standin):
    url = files.shareable_url("F06SCREEN01", "authorization.png")
    assert url.startswith(f"{site.url}/slack/files/")
    assert url.endswith("/authorization.png")
    status, headers, body = fetch(url)
    assert (status, body) == (200, PNG)
    assert headers["Content-Type"] == "image/png"
    assert headers["Content-Disposition"].startswith("inline")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert standin.downloads[-1]["Authorization"] == f"Bearer {standin.token}"


def test_a_page_or_script_is_downloaded_never_shown_as_a_page_of_the_site(site, standin):
    standin.files["F06PAGE0001"] = ("page.html", "text/html", b"<script>alert(1)</script>")
    status, headers, _ = fetch(files.shareable_url("F06PAGE0001", "page.html"))
    assert status == 200
    assert headers["Content-Type"] == "application/octet-stream"
    assert headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "mangle",
    [
        lambda url: url.replace("F06SCREEN01", "F06OTHER001", 1),  # another file under the same signature
        lambda url: url[: url.rindex(":") + 1] + "forged/authorization.png",
        lambda url: url.replace("/slack/files/", "/slack/files/x"),
    ],
)
def test_a_forged_or_altered_link_opens_nothing_and_asks_slack_nothing(site, standin, mangle):
    standin.files["F06OTHER001"] = ("secret.png", "image/png", PNG)
    status, _, body = fetch(mangle(files.shareable_url("F06SCREEN01", "authorization.png")))
    assert status == 404
    assert b"not valid" in body
    assert standin.calls_to("files.info") == []


def test_a_link_expires(site, settings, standin):
    settings.WXBIND_FILE_LINK_DAYS = 2
    with time_machine.travel("2026-11-01 10:00:00+00:00", tick=True):
        url = files.shareable_url("F06SCREEN01", "authorization.png")
    status, _, _ = fetch(url)
    assert status == 404
    assert standin.downloads == []


def test_a_file_slack_no_longer_has_is_said_plainly(site, standin):
    url = files.shareable_url("F06GONE0001", "gone.png")
    status, _, body = fetch(url)
    assert status == 502
    assert b"file_not_found" in body
