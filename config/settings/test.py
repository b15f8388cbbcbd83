"""Settings for the test suite: PostgreSQL and Redis by default, as in production."""

import os

# Empty counts as unset, as in base.py.
os.environ["DATABASE_URL"] = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/linli"
os.environ["REDIS_URL"] = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/14"


def _one_per_xdist_worker(redis_url):
    """Under `pytest -n N` each worker gets the Redis database after the given one (14 → 14, 15, 0, …), so
    one worker's Celery tests never take another's tasks. pytest-django already gives each worker its own
    test database (test_linli_gw0, …)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw") or os.environ.get("LINLI_REDIS_PER_WORKER"):
        return redis_url
    # Marked so that a child process started by a test, which inherits the environment, is not moved again.
    os.environ["LINLI_REDIS_PER_WORKER"] = worker
    base, _, db = redis_url.rpartition("/")
    return f"{base}/{(int(db or 0) + int(worker[2:])) % 16}"


os.environ["REDIS_URL"] = _one_per_xdist_worker(os.environ["REDIS_URL"])

from .base import *  # noqa: E402, F403
from .base import BASE_DIR  # noqa: E402

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / f"test-media{os.environ.get('PYTEST_XDIST_WORKER', '')}"
AXES_FAILURE_LIMIT = 5
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True

# `make pytest-sqlite`: the test database is the (fresh) file DATABASE_URL names, not an in-memory one,
# so that WAL and immediate transactions are exercised as in `make run`.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": DATABASES["default"]["NAME"]}  # noqa: F405
