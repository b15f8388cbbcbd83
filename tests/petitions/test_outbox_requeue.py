"""The sweep task requeues itself after a full batch, but not without end."""

import pytest

from petitions import tasks
from petitions.services import sweep as outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_batches(monkeypatch):
    monkeypatch.setattr(outbox, "sweep", lambda: outbox.BATCH)
    sent = []
    monkeypatch.setattr(tasks.sweep_outbox, "apply_async", lambda **kw: sent.append(kw))
    return sent


def test_a_full_batch_requeues_the_sweep_counting_the_hops(full_batches):
    assert tasks.sweep_outbox() == outbox.BATCH
    assert full_batches == [{"kwargs": {"requeued": 1}, "retry": False}]


def test_the_requeue_chain_stops_after_max_requeues(full_batches):
    tasks.sweep_outbox(requeued=tasks.MAX_REQUEUES)
    assert full_batches == []
