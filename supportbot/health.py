"""``/healthz`` (the process is alive) and ``/readyz`` (it can do its work) for orchestrators and load balancers."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def alive(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    """200 when the database answers and is fully migrated and the broker takes connections; else 503 saying which."""
    checks = {"database": _database(), "migrations": _migrations(), "broker": _broker()}
    failing = {name: problem for name, problem in checks.items() if problem}
    body = {"status": "ok" if not failing else "unavailable", "checks": {k: v or "ok" for k, v in checks.items()}}
    return JsonResponse(body, status=503 if failing else 200)


def _database() -> str:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any driver's failure means the same: not ready
        return f"does not answer ({type(error).__name__})"
    return ""


def _migrations() -> str:
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as error:
        return f"cannot be read ({type(error).__name__})"
    return f"{len(pending)} not applied" if pending else ""


def _broker() -> str:
    from supportbot.celery import app

    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:
        return f"does not answer ({type(error).__name__})"
    return ""
