"""With the broker unreachable, one write finds out and the next ones do not wait for it again: the
failure is remembered for a while (config.celery_app.breaker); the rows wait for beat's sweep."""

import importlib
import socket

import pytest

from config.celery_app import BROKER_RETRY_AFTER, app, breaker
from petitions import services as s
from petitions.models import Outbox

pytestmark = pytest.mark.django_db
CLOSED = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down(monkeypatch):
    """The app pointed at a closed port, and every connection it tries to that port counted."""
    # The module, not the package attribute of the same name (config exports the app as celery_app).
    module = importlib.import_module("config.celery_app")
    old = (app.conf.broker_url, app._pool, app.amqp._producer_pool)
    app.conf.broker_url = CLOSED
    app._pool = app.amqp._producer_pool = None
    breaker.reset()
    tries = []
    real_getaddrinfo = socket.getaddrinfo

    def counting(host, port, *args, **kwargs):
        if port == 1:
            tries.append((host, port))
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", counting)
    clock = [1000.0]
    monkeypatch.setattr(module, "time", type("Clock", (), {"monotonic": staticmethod(lambda: clock[0])}))
    yield tries, clock
    app.conf.broker_url, app._pool, app.amqp._producer_pool = old
    breaker.reset()


def test_the_second_write_does_not_wait_for_a_broker_that_just_failed(
    world, submit, broker_down, django_capture_on_commit_callbacks
):
    tries, clock = broker_down
    first, second = submit(world), submit(world, description="2栋电梯坏了")
    with django_capture_on_commit_callbacks(execute=True):
        s.petition_accept(petition=first, by=world.bob)
    assert tries, "the first write tries the broker"
    tried = len(tries)
    with django_capture_on_commit_callbacks(execute=True):
        s.petition_accept(petition=second, by=world.bob)
    assert len(tries) == tried, "the second write must not try the broker again"
    # Both writes are saved; their notices wait in the outbox for the sweep.
    assert Outbox.objects.filter(petition__in=[first, second], sent_at__isnull=True).exists()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == "accepted"
    # After a while the broker is tried again.
    clock[0] += BROKER_RETRY_AFTER + 1
    third = submit(world, description="3号路灯不亮")
    with django_capture_on_commit_callbacks(execute=True):
        s.petition_accept(petition=third, by=world.bob)
    assert len(tries) > tried
