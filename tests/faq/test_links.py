"""Read-the-full-answer links open for whoever got them, for their entry only, until they expire."""

import datetime

import pytest
from django.utils import timezone

from faq.links import answer_link
from faq.models import Entry

pytestmark = pytest.mark.django_db


def test_a_signed_link_opens_the_published_entry_without_an_account(client, faq_content):
    page = client.get(answer_link("unbind"))
    assert page.status_code == 200
    assert "解绑" in page.content.decode()
    switched = page.content.decode().split('href="?lang=', 1)[1].split('"', 1)[0]  # the language switch
    assert client.get(f"/faq/unbind/?lang={switched.replace('&amp;', '&')}").status_code == 200  # keeps it open


def test_without_a_signature_or_with_another_entrys_the_page_asks_to_sign_in(client, faq_content):
    assert client.get("/faq/unbind/")["Location"].startswith("/admin/login/?next=/faq/unbind/")
    for_bind = answer_link("bind").split("?t=", 1)[1]
    assert client.get(f"/faq/unbind/?t={for_bind}").status_code == 302
    assert client.get("/faq/unbind/?t=forged.value").status_code == 302


def test_a_link_expires(client, faq_content, settings, time_machine):
    settings.WXBIND_ANSWER_LINK_DAYS = 30
    time_machine.move_to(timezone.now() - datetime.timedelta(days=31))
    old = answer_link("unbind")
    time_machine.move_to(timezone.now() + datetime.timedelta(days=31))
    assert client.get(old).status_code == 302


def test_a_link_never_opens_an_unpublished_entry(client, faq_content):
    Entry.objects.filter(slug="unbind").update(is_published=False)
    assert client.get(answer_link("unbind")).status_code == 404
