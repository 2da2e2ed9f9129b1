import pytest


@pytest.fixture
def admin_client(client, superuser):
    """A client signed in as a superuser (overrides pytest-django's, which makes its own user)."""
    client.force_login(superuser)
    return client
