import pytest

pytestmark = pytest.mark.django_db


def test_healthz_says_the_process_is_alive_without_touching_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readyz_checks_the_database_its_migrations_and_the_broker(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "broker": "ok"},
    }


def test_readyz_is_503_naming_what_is_not_ready(client):
    from supportbot.celery import app

    working = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        response = client.get("/readyz")
    finally:
        app.conf.broker_url = working
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["broker"].startswith("does not answer")
    assert response.json()["checks"]["database"] == "ok"
