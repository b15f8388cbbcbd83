import logging
import os
import threading
import time

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("linli")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger("linli.broker")

# Seconds a failed broker is left alone before the next send tries it again.
BROKER_RETRY_AFTER = 30


class BrokerBreaker:
    """Remembers, in this process, that the broker failed: while Redis is unreachable each send would wait
    for the connection timeout, so for BROKER_RETRY_AFTER seconds after a failure sends are skipped at
    once. Kept per broker URL."""

    def __init__(self):
        self._lock = threading.Lock()
        self._open_until: dict[str, float] = {}

    def is_open(self, url) -> bool:
        with self._lock:
            return time.monotonic() < self._open_until.get(url, 0.0)

    def trip(self, url) -> None:
        with self._lock:
            self._open_until[url] = time.monotonic() + BROKER_RETRY_AFTER

    def reset(self) -> None:
        with self._lock:
            self._open_until.clear()


breaker = BrokerBreaker()


def send_task_or_skip(name, **options):
    """Send a task by name, unless the broker failed a moment ago. Only for work whose record is in the
    database (the outbox), which beat's sweep sends later: a skipped send loses nothing."""
    url = app.conf.broker_url
    if breaker.is_open(url):
        logger.warning("broker unavailable, not sending task=%s (the sweep sends it later)", name)
        return None
    try:
        return app.send_task(name, retry=False, **options)
    except Exception:
        breaker.trip(url)
        raise
