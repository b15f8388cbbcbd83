"""The closed months' counts (stats.models.MonthlyCount): the trend read from them equals the trend
counted live at every level, a refresh run twice writes the same rows, and the current month stays live."""

import datetime

import pytest
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


def _year(today=None):
    today = today or timezone.localdate()
    return selectors.Period("custom", _months_back(11), today)


def test_every_stored_figure_equals_the_live_figure_at_every_level(stats_world):
    """The figures, rates, median time to resolve, wishes claimed and by whom, kinds, categories, the heat
    table and the league table over 12 months: read from the stored months, they equal those counted
    live, at all five levels."""
    _spread(stats_world)
    w = stats_world.world
    now = timezone.now()
    period = _year()

    def statistics(lv, a, stored):
        return selectors.area_statistics(selectors.LEVELS[lv], a, period, now=now, stored=stored)

    live = {(lv, a.pk): statistics(lv, a, False) for lv, a in _areas(w)}
    services.monthly_counts_refresh()
    for lv, a in _areas(w):
        assert statistics(lv, a, True) == live[(lv, a.pk)], (lv, a)
    district = live[("district", w.district.pk)]
    # Something of each kind is stored: the comparison above is not between two empty pages.
    p = district["petitions"]
    assert (p["received"], p["resolved"], p["wishes_claimed"]) == (6, 2, 1)
    assert p["claimed_by"]["party_members"] == 1 and p["median_hours_to_resolve"] is not None
    assert {c["category"]: c["received"] for c in district["categories"]} == {"公共设施": 4, "环境卫生": 2}


def test_a_range_starting_inside_a_month_counts_its_edges_live(stats_world):
    _spread(stats_world)
    w = stats_world.world
    now = timezone.now()
    # Three months ago (r_done, r_accepted) and two (r_other, another community) are whole months; the
    # range ends on the fifth day of last month, after w_claimed was received: counted live.
    period = selectors.Period("custom", _months_back(3), _months_back(1) + datetime.timedelta(days=4))
    live = selectors.area_statistics(selectors.LEVELS["community"], w.c1, period, now=now, stored=False)
    services.monthly_counts_refresh()
    split = selectors.split_period(period)
    assert split.months == (_months_back(3), _months_back(2)) and len(split.live) == 1
    assert selectors.area_statistics(selectors.LEVELS["community"], w.c1, period, now=now) == live
    assert live["petitions"]["received"] == 3 and live["petitions"]["wishes_claimed"] == 1


def test_the_median_from_the_histogram_is_the_median_of_the_durations():
    import statistics

    from petitions.selectors import median_hours_from_minutes

    for durations in ([90], [60, 120], [0, 0, 600, 61], [5, 5, 5, 7, 7, 300, 301, 302]):
        histogram = {}
        for m in durations:
            histogram[m] = histogram.get(m, 0) + 1
        assert median_hours_from_minutes(histogram) == round(statistics.median(durations) / 60, 1)
    assert median_hours_from_minutes({}) is None


def test_the_stored_counts_are_the_figures_own_counts():
    from petitions.selectors import kind_counts, petition_counts
    from stats.models import COHORT_COUNTS

    assert {"received", *COHORT_COUNTS} == {*petition_counts(timezone.now()), *kind_counts()}


@pytest.mark.parametrize("extra", [0, 40])
def test_the_statistics_take_the_same_queries_stored_or_not_whatever_the_data(
    stats_world, django_assert_num_queries, extra
):
    _spread(stats_world)
    w = stats_world.world
    for i in range(extra):
        old = stats_world.submit(w.b1 if i % 2 else w.b3, kind="wish" if i % 3 else "request")
        at = timezone.now() - datetime.timedelta(days=40 + i)
        Petition.objects.filter(pk=old.pk).update(created_at=at, resolved_at=at + datetime.timedelta(hours=i))
    services.monthly_counts_refresh()
    period = _year()
    level = selectors.LEVELS["district"]
    # 1 the counted months; figures: 2 stored sums (counts, histogram) and 4 live (counts, wishes
    # claimed, by whom, histogram); categories: 1 stored and 1 live; league: the children, 1 stored,
    # 1 live, overdue now (2: its two steps), coverage (2); visits (2); registry (2); volunteers (3); trend (4: its counted
    # months, stored, live received and resolved).
    with django_assert_num_queries(27):
        selectors.area_statistics(level, w.district, period)
