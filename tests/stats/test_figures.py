"""Each area's figures against the hand-counted world of conftest.py, at every level."""

import pytest
from django.utils import timezone

from stats import selectors
from stats.selectors import LEVELS

pytestmark = pytest.mark.django_db


def figures(level, area, **kw):
    return selectors.area_statistics(LEVELS[level], area, selectors.month_period(timezone.localdate()), **kw)


def kinds(data):
    return {
        row["kind"]: (row["received"], row["accepted"], row["resolved"], row["closed"])
        for row in data["by_kind"]
    }


def test_building_and_grid_figures(stats_world):
    w = stats_world.world
    for level, area in (("building", w.b1), ("grid", w.g1)):
        data = figures(level, area)
        p = data["petitions"]
        assert (p["received"], p["accepted"], p["resolved"], p["closed"]) == (3, 3, 1, 1)
        assert kinds(data) == {"request": (2, 2, 1, 1), "wish": (1, 1, 0, 0), "suggestion": (0, 0, 0, 0)}
        assert p["wishes"] == 1 and p["wishes_published"] == 1 and p["wishes_claimed"] == 1
        assert p["claimed_by"] == {"party_members": 1, "volunteers": 0, "units": 0, "others": 0}
        assert (
            p["on_time_rate"] == 100.0 and p["satisfaction_rate"] == 100.0 and p["resolution_rate"] == 100.0
        )
        # h1 met (twice), the vacant h1v not to visit: 1 of 1.
        assert data["visits"] == {
            "households": 1,
            "households_visited": 1,
            "visits": 2,
            "persons_met": 3,
            "coverage": 100.0,
        }
        assert data["registry"]["residents"] == 1 and data["registry"]["households"] == 1
        assert data["registry"]["dwellings_by_use"] == {"owner": 1, "rented": 0, "vacant": 1}
        # Volunteer hours are kept per community.
        assert data["volunteers"] is None


def test_community_figures(stats_world):
    w = stats_world.world
    data = figures("community", w.c1)
    p = data["petitions"]
    assert (p["received"], p["accepted"], p["resolved"], p["closed"]) == (5, 4, 1, 1)
    assert kinds(data) == {"request": (3, 3, 1, 1), "wish": (1, 1, 0, 0), "suggestion": (1, 0, 0, 0)}
    # h1 visited; h2 nobody home: 1 of 2.
    assert data["visits"]["households"] == 2 and data["visits"]["coverage"] == 50.0
    assert data["visits"]["visits"] == 3
    assert data["registry"]["residents"] == 2 and data["registry"]["dwellings"] == 3
    assert data["volunteers"] == {
        "hours": 0.0,
        "active_volunteers": 0,
        "points_issued": 0,
        "points_redeemed": 0,
    }
    assert {c["category"]: (c["received"], c["resolved"]) for c in data["categories"]} == {
        "公共设施": (3, 1),
        "环境卫生": (2, 0),
    }


@pytest.mark.parametrize("level", ["street", "district"])
def test_street_and_district_figures(stats_world, level):
    w = stats_world.world
    data = figures(level, getattr(w, level))
    p = data["petitions"]
    assert (p["received"], p["accepted"], p["resolved"], p["closed"]) == (6, 4, 1, 1)
    assert data["registry"]["residents"] == 3 and data["registry"]["dwellings"] == 4
    assert data["visits"]["households"] == 3 and data["visits"]["households_visited"] == 1


def test_league_table_rows_and_ordering(stats_world):
    w = stats_world.world
    by_on_time = figures("community", w.c1)["league"]
    assert [
        (r["name"], r["received"], r["on_time_rate"], r["coverage"], r["overdue"]) for r in by_on_time
    ] == [
        (w.g1.name, 3, 100.0, 100.0, 0),
        # Nothing resolved in g2: no on-time rate, so it comes last.
        (w.g2.name, 2, None, 0.0, 1),
    ]
    assert [r["name"] for r in figures("community", w.c1, sort="overdue")["league"]] == [w.g2.name, w.g1.name]
    assert [r["name"] for r in figures("community", w.c1, sort="coverage")["league"]] == [
        w.g1.name,
        w.g2.name,
    ]
    street = figures("street", w.street, sort="overdue")["league"]
    assert [(r["name"], r["received"], r["overdue"]) for r in street] == [
        (w.c1.name, 5, 1),
        (w.c2.name, 1, 0),
    ]


def test_heat_table_counts_categories_by_area(stats_world):
    w = stats_world.world
    heat = figures("community", w.c1)["heat"]
    assert [a["name"] for a in heat["areas"]] == sorted([w.g1.name, w.g2.name])
    names = [a["name"] for a in heat["areas"]]
    cells = {row["category"]: dict(zip(names, row["counts"], strict=True)) for row in heat["rows"]}
    assert cells == {"公共设施": {w.g1.name: 2, w.g2.name: 1}, "环境卫生": {w.g1.name: 1, w.g2.name: 1}}


def test_monthly_trend_ends_with_this_month(stats_world):
    w = stats_world.world
    trend = figures("community", w.c1)["trend"]
    assert len(trend) == 12
    assert trend[-1] == {"month": timezone.localdate().strftime("%Y-%m"), "received": 5, "resolved": 1}
    assert all(r["received"] == 0 for r in trend[:-1])
