import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from faq.models import Entry, SynonymGroup

pytestmark = pytest.mark.django_db


def bootstrap() -> str:
    out = io.StringIO()
    call_command("bootstrap", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_a_fresh_database_gets_the_faq_its_synonyms_and_an_admin():
    printed = bootstrap()
    assert Entry.objects.count() == 5
    assert SynonymGroup.objects.count() > 30
    assert get_user_model().objects.filter(is_superuser=True).count() == 1
    assert "Created admin user" in printed
    assert "Created admin user" not in bootstrap()  # run again: nothing new


def test_an_older_database_without_synonyms_gets_the_shipped_ones(faq_content):
    SynonymGroup.objects.all().delete()
    assert "synonym groups" in bootstrap()
    assert SynonymGroup.objects.exists()


def test_the_printed_password_is_the_admins():
    printed = bootstrap()
    password = printed.split("with password ", 1)[1].split()[0]
    assert get_user_model().objects.get(username="admin").check_password(password)


def test_djangos_superuser_variables_name_the_first_admin(monkeypatch):
    monkeypatch.delenv("WXBIND_ADMIN_USERNAME", raising=False)
    monkeypatch.delenv("WXBIND_ADMIN_PASSWORD", raising=False)
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "ops")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "pw-ops-12345")
    printed = bootstrap()
    assert "pw-ops-12345" not in printed  # a password someone chose is never echoed
    assert get_user_model().objects.get(username="ops").check_password("pw-ops-12345")
