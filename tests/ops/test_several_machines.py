"""Running N web nodes and M workers: no state that lives in one process, one queue for short tasks and
one for slow ones, and PgBouncer's transaction mode configured as it needs."""

import json
import re
import subprocess

import pytest
import yaml

from config.celery_app import app

from .conftest import PYTHON, ROOT
from .test_production_settings import production_env  # noqa: F401  (fixture)

SHOW = """
import json
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "caches": {k: v["BACKEND"] for k, v in settings.CACHES.items()},
    "session_engine": settings.SESSION_ENGINE,
    "cursors_off": db.get("DISABLE_SERVER_SIDE_CURSORS", False),
    "conn_max_age": db["CONN_MAX_AGE"],
    "health_checks": db.get("CONN_HEALTH_CHECKS", False),
}))
"""

# Backends whose state one process or one machine keeps: a second node would not see it.
LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.filebased.FileBasedCache",
    "django.core.cache.backends.dummy.DummyCache",
}
LOCAL_SESSIONS = {
    "django.contrib.sessions.backends.file",
    "django.contrib.sessions.backends.cache",
    "django.contrib.sessions.backends.signed_cookies",  # no server state, but a revealed value would travel
}


def _production(env):
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", SHOW],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_keeps_no_state_in_one_process(production_env):  # noqa: F811
    shown = _production(production_env)
    for alias, backend in shown["caches"].items():
        assert backend not in LOCAL_CACHES, f"cache {alias} is {backend}: each web node would have its own"
    assert shown["session_engine"] not in LOCAL_SESSIONS
    assert shown["session_engine"] == "django.contrib.sessions.backends.db"
    # Persistent connections, checked before reuse (a restarted database or pooler is noticed).
    assert shown["conn_max_age"] == 60 and shown["health_checks"] is True
    assert shown["cursors_off"] is False


def test_pgbouncer_transaction_mode_turns_server_side_cursors_off(production_env):  # noqa: F811
    shown = _production({**production_env, "PGBOUNCER_TRANSACTION_MODE": "true"})
    assert shown["cursors_off"] is True
    assert shown["conn_max_age"] == 0 and shown["health_checks"] is True
    shown = _production({**production_env, "PGBOUNCER_TRANSACTION_MODE": "true", "CONN_MAX_AGE": "30"})
    assert shown["cursors_off"] is True and shown["conn_max_age"] == 30


def _queue(name):
    return app.amqp.router.route({}, name)["queue"].name


@pytest.mark.parametrize(
    "task",
    [
        "petitions.sweep_outbox",
        "petitions.deliver_outbox",
        "deliberation.sweep_outbox",
        "notifications.send_digests",
        "volunteers.notify_hours_confirmed",
        "volunteers.expire_coupons",
        "imports.resume_stale",
    ],
)
def test_reminders_and_notices_go_to_the_default_queue(task):
    assert _queue(task) == "default"


@pytest.mark.parametrize("task", ["stats.tasks.build_report", "imports.run_job"])
def test_reports_and_imports_go_to_the_exports_queue(task):
    assert _queue(task) == "exports"


def test_every_routed_task_exists_and_every_queue_has_a_worker():
    from django.conf import settings

    app.loader.import_default_modules()
    for name in settings.CELERY_TASK_ROUTES:
        assert name in app.tasks, name
    queues = {q.name for q in settings.CELERY_TASK_QUEUES}
    assert queues == {"default", "exports"}
    # docker-compose: one worker service per queue.
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    consumed = {}
    for name, service in services.items():
        command = service.get("command", "")
        command = command if isinstance(command, str) else " ".join(command)
        if "worker" in command.split():
            consumed[name] = set(re.search(r"--queues=(\S+)", command).group(1).split(","))
    assert consumed == {"worker": {"default"}, "worker-exports": {"exports"}}
    # make run: its one worker consumes every queue.
    from accounts.management.commands.run_all import Command

    worker = Command().commands("127.0.0.1:8000")["worker"]
    assert f"--queues={','.join(sorted(queues, key=['default', 'exports'].index))}" in worker
    # Exactly one beat.
    assert [n for n, s in services.items() if " beat" in str(s.get("command", ""))] == ["beat"]


def test_the_storage_origin_is_an_image_source_of_the_policy(production_env):  # noqa: F811
    env = {
        **production_env,
        "MEDIA_STORAGE_URL": "s3://AK:SK@minio:9000/linli?secure=0&public_url=https://files.example.org:9443",
    }
    show = (
        "import json; from django.conf import settings; "
        "print(json.dumps([settings.STORAGES['default']['BACKEND'], "
        "settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']]))"
    )
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", show],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    backend, img_src = json.loads(result.stdout.strip().splitlines()[-1])
    assert backend == "config.storage.PrivateS3Storage"
    assert img_src[-1] == "https://files.example.org:9443" and "'self'" in img_src
