"""The catch-up of stored months (stats.services.monthly_counts_catch_up): a late change to a request of a
closed month shows in the 12-month figures once it runs, equal to the live figures; only the community
and months changed are counted again; with nothing changed nothing is, in a constant number of queries."""

import datetime

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection
from django.db.models import F, Q
from django.utils import timezone

from config.celery_app import app
from petitions import services as ps
from petitions.models import Petition
from stats import selectors, services
from stats.models import (
    MonthlyCatchUp,
    MonthlyCategoryCount,
    MonthlyCommunityRefresh,
    MonthlyCount,
    MonthlyDuration,
    MonthlyRefresh,
)
from tests.helpers import run_at_once, wait_for
from tests.stats.test_monthly_counts import _areas, _months_back, _spread, _year

HOUR = datetime.timedelta(hours=1)


def _settle():
    """Everything so far happened long ago, the saves well before the counts: the tests cannot wait out
    `LATE_COMMIT` (a save just before a count is looked at again, on purpose)."""
    Petition.objects.update(updated_at=F("updated_at") - 2 * HOUR)
    Petition.objects.update(contact_due_at=F("contact_due_at") - HOUR)
    MonthlyRefresh.objects.update(refreshed_at=F("refreshed_at") - HOUR)
    MonthlyCommunityRefresh.objects.update(refreshed_at=F("refreshed_at") - HOUR)
    MonthlyCatchUp.objects.update(checked_at=F("checked_at") - HOUR)


def _statistics(lv, a, stored, now):
    return selectors.area_statistics(selectors.LEVELS[lv], a, _year(), now=now, stored=stored)


def _stored_rows():
    fields = ("month", "community", "grid", "building")
    return {
        model.__name__: sorted(model.objects.values_list(*fields, *extra))
        for model, extra in (
            (MonthlyCount, ("received", "resolved", "resolved_in_month", "response_counted")),
            (MonthlyCategoryCount, ("category", "received", "resolved")),
            (MonthlyDuration, ("minutes", "count")),
        )
    }


def _counted_and_settled(stats_world):
    _spread(stats_world)
    services.monthly_counts_refresh()
    _settle()


def test_a_late_resolution_shows_after_the_catch_up_and_equals_the_live_figures(stats_world):
    s, w = stats_world, stats_world.world
    _counted_and_settled(stats_world)
    # r_accepted was received three months ago (c1, b1) and is resolved only now.
    ps.petition_start(petition=s.r_accepted, by=w.alice)
    ps.petition_resolve(petition=s.r_accepted, by=w.alice, note="已清理")
    now = timezone.now()
    stale = _statistics("district", w.district, True, now)["petitions"]
    assert stale["resolved"] == 2  # the stored month does not know yet

    # Its month of receipt, and the months since (one of them may have held an earlier resolution).
    assert services.monthly_counts_catch_up() == 3
    assert set(MonthlyCommunityRefresh.objects.values_list("community", "month")) == {
        (w.c1.pk, _months_back(n)) for n in (3, 2, 1)
    }
    now = timezone.now()
    for lv, a in _areas(w):
        assert _statistics(lv, a, True, now) == _statistics(lv, a, False, now), (lv, a)
    fresh = _statistics("district", w.district, True, now)["petitions"]
    assert fresh["resolved"] == 3 and fresh["median_hours_to_resolve"] is not None


def test_a_follow_up_that_finds_it_not_solved_takes_it_out_of_the_month_it_was_resolved_in(stats_world):
    s, w = stats_world, stats_world.world
    # Received three months ago, resolved two months ago, still waiting for its follow-up.
    p = s.submit(w.b3)
    ps.petition_resolve_on_the_spot(petition=p, by=w.gwen, note="已处理")
    received = timezone.make_aware(datetime.datetime.combine(_months_back(3), datetime.time(10)))
    resolved = timezone.make_aware(datetime.datetime.combine(_months_back(2), datetime.time(10)))
    Petition.objects.filter(pk=p.pk).update(created_at=received, resolved_at=resolved)
    _counted_and_settled(stats_world)
    period = selectors.month_period(timezone.localdate())
    level = selectors.LEVELS["community"]
    before = {r["month"]: r for r in selectors.monthly_trend(level, w.c2, period)}
    assert before[_months_back(2).strftime("%Y-%m")]["resolved"] == 2

    ps.petition_follow_up(petition=p, by=w.erin, solved=False, satisfaction="dissatisfied")
    assert Petition.objects.get(pk=p.pk).resolved_at is None
    # Its month of receipt and every month since that may have held its resolution, of c2 only.
    assert services.monthly_counts_catch_up() == 3
    assert set(MonthlyCommunityRefresh.objects.values_list("community", "month")) == {
        (w.c2.pk, _months_back(n)) for n in (3, 2, 1)
    }
    after = {r["month"]: r for r in selectors.monthly_trend(level, w.c2, period)}
    assert after[_months_back(2).strftime("%Y-%m")]["resolved"] == 1
    for lv, a in _areas(w):
        lvl = selectors.LEVELS[lv]
        assert selectors.monthly_trend(lvl, a, period) == selectors.monthly_trend(
            lvl, a, period, stored=False
        )
    now = timezone.now()
    assert _statistics("street", w.street, True, now) == _statistics("street", w.street, False, now)


def test_a_contact_deadline_passing_counts_the_month_again(stats_world):
    s, w = stats_world, stats_world.world
    p = s.submit(w.b2)  # never contacted
    received = timezone.make_aware(datetime.datetime.combine(_months_back(1), datetime.time(10)))
    Petition.objects.filter(pk=p.pk).update(created_at=received, contact_due_at=timezone.now() + HOUR)
    _counted_and_settled(stats_world)
    # The deadline passes: nothing is saved, yet the response rate now counts it.
    Petition.objects.filter(pk=p.pk).update(contact_due_at=timezone.now() - datetime.timedelta(minutes=1))
    now = timezone.now()
    live = _statistics("community", w.c1, False, now)
    assert _statistics("community", w.c1, True, now) != live

    assert services.monthly_counts_catch_up() == 1
    assert _statistics("community", w.c1, True, now) == live
    _settle()
    assert services.monthly_counts_catch_up() == 0


def test_the_catch_up_rows_are_those_of_the_whole_month_refresh(stats_world):
    s, w = stats_world, stats_world.world
    _counted_and_settled(stats_world)
    ps.petition_start(petition=s.r_accepted, by=w.alice)
    ps.petition_resolve(petition=s.r_accepted, by=w.alice, note="已清理")
    services.monthly_counts_catch_up()
    caught_up = _stored_rows()
    services.monthly_counts_refresh()
    assert _stored_rows() == caught_up
    assert not MonthlyCommunityRefresh.objects.exists()  # the month's refresh covers every community


@pytest.mark.parametrize("extra", [0, 50])
def test_nothing_changed_nothing_counted_in_the_same_queries(stats_world, django_assert_num_queries, extra):
    w = stats_world.world
    for i in range(extra):
        old = stats_world.submit(w.b1 if i % 2 else w.b3)
        at = timezone.now() - datetime.timedelta(days=35 + i)
        Petition.objects.filter(pk=old.pk).update(created_at=at, resolved_at=at + HOUR)
    _counted_and_settled(stats_world)
    rows = _stored_rows()
    services.monthly_counts_catch_up()  # the first run looks back to the month's count
    _settle()
    # 1 the stored months, 2 the last catch-up, 3 the requests changed since (none), 4 the new mark.
    with django_assert_num_queries(4):
        assert services.monthly_counts_catch_up() == 0
    assert _stored_rows() == rows and not MonthlyCommunityRefresh.objects.exists()
    assert MonthlyCatchUp.objects.get().checked_at > timezone.now() - HOUR


def test_nothing_stored_nothing_to_catch_up(stats_world, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert services.monthly_counts_catch_up() == 0


def test_the_lookup_reads_two_indexes(stats_world):
    """At district scale the changed requests are found in the index of `updated_at` and the partial one
    of deadlines not met, never by reading every request: 20,000 old requests, analysed."""
    template = stats_world.r_done
    columns = [
        f.column
        for f in Petition._meta.concrete_fields
        if f.column not in ("id", "tracking_code", "created_at", "updated_at")
    ]
    table = Petition._meta.db_table
    with connection.cursor() as cursor:
        # Requests of the last 13 months, long since saved and contacted, as in bench/stats.py.
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}, tracking_code, created_at, updated_at) "  # noqa: S608
            f"SELECT {', '.join(columns)}, 'B' || lpad(i::text, 11, '0'), "
            "now() - i * interval '28 minutes', now() - i * interval '28 minutes' "
            f"FROM {table}, generate_series(1, 20000) AS i WHERE id = %s",
            [template.pk],
        )
        cursor.execute(f"ANALYZE {table}")
    checked, now = timezone.now() - HOUR, timezone.now()
    qs = Petition.objects.filter(created_at__lt=now - datetime.timedelta(days=1)).filter(
        Q(updated_at__gt=checked)
        | Q(contacted_at__isnull=True, contact_due_at__gt=checked, contact_due_at__lte=now)
    )
    plan = qs.values_list("community_id").order_by().explain()
    assert "petition_updated_at" in plan and "petition_contact_due_open" in plan, plan


def test_the_catch_up_runs_every_few_minutes_in_the_beat_schedule():
    entry = next(
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "stats.tasks.catch_up_monthly_counts"
    )
    assert entry["schedule"] <= 5 * 60
    assert "stats.tasks.catch_up_monthly_counts" in app.tasks


@pytest.mark.django_db(transaction=True)
def test_two_catch_ups_at_once_write_each_row_once(transactional_db, stats_world):
    s, w = stats_world, stats_world.world
    _counted_and_settled(stats_world)
    ps.petition_start(petition=s.r_accepted, by=w.alice)
    ps.petition_resolve(petition=s.r_accepted, by=w.alice, note="已清理")
    results = run_at_once(services.monthly_counts_catch_up, services.monthly_counts_catch_up)
    assert all(isinstance(r, int) for r in results), results
    once = _stored_rows()
    services.monthly_counts_refresh()
    assert _stored_rows() == once


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_catches_up_a_late_resolution(transactional_db, stats_world):
    s, w = stats_world, stats_world.world
    _counted_and_settled(stats_world)
    ps.petition_start(petition=s.r_accepted, by=w.alice)
    ps.petition_resolve(petition=s.r_accepted, by=w.alice, note="已清理")
    with start_worker(app, perform_ping_check=False, shutdown_timeout=10):
        # Sent twice, as beat would: the second finds the pair counted (or counts it again, the same).
        app.send_task("stats.tasks.catch_up_monthly_counts")
        app.send_task("stats.tasks.catch_up_monthly_counts")
        assert wait_for(lambda: MonthlyCommunityRefresh.objects.filter(community=w.c1).exists())
        assert wait_for(lambda: MonthlyCatchUp.objects.exists())
    now = timezone.now()
    assert _statistics("district", w.district, True, now) == _statistics("district", w.district, False, now)
    stored = MonthlyCount.objects.get(month=_months_back(3), community=w.c1)  # b1: r_done and r_accepted
    assert (stored.received, stored.resolved) == (2, 2)
