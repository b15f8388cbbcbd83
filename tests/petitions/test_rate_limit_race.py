"""Requests arriving together cannot go over the limit: counting and inserting are one step per key."""

import pytest
from django.db import connection

from grids.pii import phone_index
from petitions import antispam
from petitions.models import RateLimitHit

from .test_reliability import run_at_once


@pytest.fixture
def slow_insert(monkeypatch):
    """Widen the gap between counting and inserting, where simultaneous requests used to slip through."""
    import time

    create = RateLimitHit.objects.create

    def slow(**kw):
        time.sleep(0.3)
        return create(**kw)

    monkeypatch.setattr(RateLimitHit.objects, "create", slow)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_stay_within_the_limit(settings, slow_insert):
    if connection.vendor != "postgresql":
        pytest.skip("the advisory lock is the PostgreSQL path")
    settings.PETITION_LIMIT_PER_PHONE = (2, 3600)
    results = run_at_once(*[lambda: antispam.rate_limited("submit_phone", "13800000000")] * 5)
    assert results.count(False) == 2, results  # two allowed, three refused
    assert results.count(True) == 3
    assert RateLimitHit.objects.filter(key="submit_phone:" + phone_index("13800000000")).count() == 2


@pytest.mark.sqlite
@pytest.mark.django_db
def test_limit_counts_per_key(settings):
    settings.PETITION_LIMIT_PER_IP = (2, 3600)
    assert [antispam.rate_limited("submit_ip", "10.0.0.1") for _i in range(3)] == [False, False, True]
    assert antispam.rate_limited("submit_ip", "10.0.0.2") is False
