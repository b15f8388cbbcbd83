"""The closed months' counts (stats.models.MonthlyCount): the trend read from them equals the trend
counted live at every level, a refresh run twice writes the same rows, and the current month stays live."""

import datetime

from django.utils import timezone

from petitions.models import Petition
from stats import selectors, services
from stats.models import MonthlyCount, MonthlyRefresh


def _months_back(n):
    first = timezone.localdate().replace(day=1)
    for _i in range(n):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return first


def _spread(stats_world):
    """Move the hand-counted items into past months: received and resolved in different ones."""
    s = stats_world
    moments = {
        s.r_done: (3, 2),  # received three months ago, resolved two months ago
        s.r_accepted: (3, None),
        s.w_claimed: (1, None),
        s.s_new: (11, None),  # the oldest month of the trend
        s.r_other: (2, 2),
    }
    for petition, (received, resolved) in moments.items():
        at = timezone.make_aware(datetime.datetime.combine(_months_back(received), datetime.time(23, 30)))
        change = {"created_at": at}
        if resolved is not None:
            change["resolved_at"] = timezone.make_aware(
                datetime.datetime.combine(
                    _months_back(resolved) + datetime.timedelta(days=3), datetime.time(9)
                )
            )
        Petition.objects.filter(pk=petition.pk).update(**change)


def _areas(w):
    return [
        ("district", w.district),
        ("street", w.street),
        ("community", w.c1),
        ("community", w.c2),
        ("grid", w.g1),
        ("grid", w.g2),
        ("building", w.b1),
        ("building", w.b3),
    ]


def test_stored_months_give_the_live_figures_at_every_level(stats_world):
    _spread(stats_world)
    w = stats_world.world
    period = selectors.month_period(timezone.localdate())
    live = {
        (lv, a.pk): selectors.monthly_trend(selectors.LEVELS[lv], a, period, stored=False)
        for lv, a in _areas(w)
    }
    assert services.monthly_counts_refresh() > 0
    assert MonthlyRefresh.objects.count() == services.MONTHS_KEPT
    for lv, a in _areas(w):
        assert selectors.monthly_trend(selectors.LEVELS[lv], a, period) == live[(lv, a.pk)], (lv, a)
    district = {row["month"]: row for row in live[("district", w.district.pk)]}
    assert district[_months_back(3).strftime("%Y-%m")]["received"] == 2
    assert district[_months_back(2).strftime("%Y-%m")]["resolved"] == 2
    assert district[_months_back(11).strftime("%Y-%m")]["received"] == 1
    this_month = district[timezone.localdate().strftime("%Y-%m")]
    assert this_month["received"] == 1  # r_late, counted live


def test_a_refresh_twice_writes_the_same_rows(stats_world):
    _spread(stats_world)
    services.monthly_counts_refresh()
    fields = ("month", "community", "grid", "building", "received", "resolved")
    first = sorted(MonthlyCount.objects.values_list(*fields))
    services.monthly_counts_refresh()
    assert sorted(MonthlyCount.objects.values_list(*fields)) == first
    assert MonthlyRefresh.objects.count() == services.MONTHS_KEPT


def test_the_current_month_stays_live_and_a_late_change_shows_after_the_refresh(stats_world):
    _spread(stats_world)
    s, w = stats_world, stats_world.world
    services.monthly_counts_refresh()
    period = selectors.month_period(timezone.localdate())
    level = selectors.LEVELS["community"]
    s.submit(w.b1)  # this month: seen at once
    now = selectors.monthly_trend(level, w.c1, period)[-1]
    assert now["received"] == 2
    # A late change in a closed month (an old item merged away) shows once the month is counted again.
    Petition.objects.filter(pk=s.r_accepted.pk).update(status=Petition.Status.MERGED)
    month = _months_back(3).strftime("%Y-%m")
    before = next(r for r in selectors.monthly_trend(level, w.c1, period) if r["month"] == month)
    assert before["received"] == 2
    services.monthly_counts_refresh(months=[_months_back(3)])
    after = next(r for r in selectors.monthly_trend(level, w.c1, period) if r["month"] == month)
    assert after["received"] == 1
    assert after == next(
        r for r in selectors.monthly_trend(level, w.c1, period, stored=False) if r["month"] == month
    )


def test_the_trend_takes_the_same_queries_stored_or_not_for_any_area(
    stats_world, django_assert_max_num_queries
):
    _spread(stats_world)
    services.monthly_counts_refresh()
    period = selectors.month_period(timezone.localdate())
    with django_assert_max_num_queries(4):
        selectors.monthly_trend(selectors.LEVELS["district"], stats_world.world.district, period)
