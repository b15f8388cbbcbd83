"""Merging duplicates: never into a closed or declined item, and both rows locked."""

import dataclasses
import time

import pytest
from django.db import connection

from petitions import services as s
from petitions.models import Petition
from petitions.services import PetitionError

from .test_reliability import run_at_once
from .test_state_machine import walk


@pytest.mark.sqlite
@pytest.mark.django_db
@pytest.mark.parametrize("state", ["closed", "declined"])
def test_merge_into_a_closed_or_declined_item_is_refused(world, submit, state):
    target = submit(world)
    stale = Petition.objects.get(pk=target.pk)  # loaded while still open
    walk(world, target, state)
    dup = submit(world, description="楼道灯又坏了")
    with pytest.raises(PetitionError) as err:
        s.petition_merge(petition=dup, into=stale, by=world.alice, note="同一问题")
    assert "closed, declined" in str(err.value.messages[0]) or "已关闭" in str(err.value.messages[0])
    dup.refresh_from_db()
    assert dup.status == "submitted" and dup.merged_into is None


@pytest.mark.django_db(transaction=True)
def test_crossing_merges_at_once_leave_one_winner(world, submit, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    a = submit(world)
    b = submit(world, description="楼道灯又坏了")
    rule = s.RULES["merge"]

    def slow_merge(*args, **kwargs):
        time.sleep(0.3)  # both actors are inside their transaction at once
        return rule.handler(*args, **kwargs)

    monkeypatch.setitem(s.RULES, "merge", dataclasses.replace(rule, handler=slow_merge))
    results = run_at_once(
        lambda: s.petition_merge(petition=a, into=b, by=world.alice, note="x"),
        lambda: s.petition_merge(petition=b, into=a, by=world.alice, note="x"),
    )
    assert sum(isinstance(r, PetitionError) for r in results) == 1, results
    a.refresh_from_db()
    b.refresh_from_db()
    # Exactly one merged into the other, which stays open: never a cycle.
    assert sorted([a.status, b.status]) == ["merged", "submitted"]
