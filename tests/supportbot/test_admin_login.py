"""The admin login against password guessing (django-axes, settings in supportbot/settings.py)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")


def attempt(client, password: str, *, username: str = "boss", address: str = "203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address)


def test_a_right_password_signs_in(client, superuser):
    assert attempt(client, "pw-boss-123").status_code == 302
    assert client.get("/admin/").status_code == 200


def test_after_five_wrong_passwords_even_the_right_one_is_refused(client, superuser, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert attempt(client, "guess").status_code == 200  # the form again, with its error
    locked = attempt(client, "guess")
    assert locked.status_code == 429
    assert attempt(client, "pw-boss-123").status_code == 429
    assert client.get("/admin/").status_code == 302  # not signed in: sent to the login


def test_a_lockout_is_for_that_username_from_that_address_only(client, superuser):
    for _ in range(5):
        attempt(client, "guess")
    assert attempt(client, "pw-boss-123").status_code == 429
    assert attempt(client, "pw-boss-123", address="198.51.100.20").status_code == 302


def test_staff_lift_a_lockout_with_axes_reset(client, superuser):
    from django.core.management import call_command

    for _ in range(5):
        attempt(client, "guess")
    assert attempt(client, "pw-boss-123").status_code == 429
    call_command("axes_reset_username", "boss")
    assert attempt(client, "pw-boss-123").status_code == 302
