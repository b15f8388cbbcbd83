"""/healthz: the state of the database, the broker and migrations, for load balancers and compose.

Public: ok or fail only. The checks' details (error texts name hosts and versions) go to staff and to the
machine itself (the container's health check)."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .celery_app import app
from .client_ip import is_local


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _check_broker():
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def _check_migrations():
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        raise RuntimeError(f"{len(pending)} pending")
    return "ok"


@never_cache
def healthz(request):
    checks = {}
    healthy = True
    for name, check in (
        ("database", _check_database),
        ("broker", _check_broker),
        ("migrations", _check_migrations),
    ):
        try:
            checks[name] = check()
        except Exception as exc:  # noqa: BLE001 - any failure is a failed check, reported by name
            healthy = False
            checks[name] = f"error: {exc.__class__.__name__}: {exc}"[:200]
    body = {"status": "ok" if healthy else "fail"}
    if _may_see_details(request):
        body["checks"] = checks
    return JsonResponse(body, status=200 if healthy else 503)


def _may_see_details(request) -> bool:
    if is_local(request):
        return True
    try:
        return request.user.is_authenticated and request.user.is_staff
    except Exception:  # noqa: BLE001 - the session lives in the database, which may be the thing down
        return False
