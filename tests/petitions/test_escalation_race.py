"""An overdue escalation and a report-up at the same moment: both raise the level, neither is lost."""

import dataclasses
import datetime
import time

import pytest
from django.db import connection

from petitions import services as s
from petitions.models import Outbox, PetitionEvent
from petitions.services import sweep as outbox

from .test_reliability import run_at_once


@pytest.mark.django_db(transaction=True)
def test_escalation_waits_for_a_report_up_in_progress_and_counts_on_top(world, submit, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    p = submit(world)
    row = Outbox.objects.get(petition=p, kind=Outbox.Kind.ACCEPT_OVERDUE)
    late = row.due_at + datetime.timedelta(minutes=1)
    rule = s.RULES["report_up"]

    def slow_report_up(*args, **kwargs):
        out = rule.handler(*args, **kwargs)
        time.sleep(0.6)  # the report-up holds the row lock while the sweep reads the item
        return out

    monkeypatch.setitem(s.RULES, "report_up", dataclasses.replace(rule, handler=slow_report_up))

    def sweep_a_moment_later():
        time.sleep(0.2)
        return outbox.deliver(row.pk, now=late)

    results = run_at_once(
        lambda: s.petition_transition(petition=p, action="report_up", by=world.alice, note="需要社区协调"),
        sweep_a_moment_later,
    )
    assert not any(isinstance(r, Exception) for r in results), results
    p.refresh_from_db()
    # Report-up 0 → 1, then the escalation re-reads the locked row: 1 → 2 (not a second "1").
    assert p.escalation_level == 2
    assert PetitionEvent.objects.get(petition=p, action="escalate").data == {"level": 2}
