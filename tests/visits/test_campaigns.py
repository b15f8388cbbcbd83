"""Campaign coverage: distinct households visited ÷ households in the patch during the
period; vacant dwellings leave the denominator; persons met (人次) are people, not visits."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.roles import Role
from grids.models import Household, Residence
from tests import factories as f
from visits import selectors
from visits.models import Campaign, Visit
from visits.services import campaign_start, visit_record

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def visit(world, household, by, ago, outcome=Visit.Outcome.MET, residents=(), others=0):
    return visit_record(
        household=household,
        visited_on=days_ago(ago),
        outcome=outcome,
        residents_met=list(residents),
        others_met=others,
        by=by,
    )[0]


@pytest.fixture
def patch(world):
    """Grid g1 with six dwellings besides h1: one vacant, one added mid-campaign, one added after it."""
    w = world
    start = days_ago(30)
    end = days_ago(-10)  # still running: the leaders' assignments (dated today) fall inside it
    w.campaign = campaign_start(name="百日大走访", grid=w.g1, starts_on=start, ends_on=end, by=w.alice)
    w.h4 = f.HouseholdFactory(building=w.b1, unit=1, room="102")
    w.h5 = f.HouseholdFactory(building=w.b1, unit=1, room="103")
    w.h6 = f.HouseholdFactory(building=w.b1, unit=1, room="104", use=Household.Use.VACANT)
    w.h7 = f.HouseholdFactory(building=w.b1, unit=2, room="201")  # found vacant on a visit
    w.h8 = f.HouseholdFactory(building=w.b1, unit=2, room="202")  # added mid-campaign
    w.h9 = f.HouseholdFactory(building=w.b1, unit=2, room="203")  # added after the campaign ended
    old = timezone.now() - datetime.timedelta(days=60)
    Household.objects.filter(pk__in=[w.h1.pk, w.h4.pk, w.h5.pk, w.h6.pk, w.h7.pk]).update(created_at=old)
    Household.objects.filter(pk=w.h8.pk).update(created_at=timezone.now() - datetime.timedelta(days=10))
    Household.objects.filter(pk=w.h9.pk).update(created_at=timezone.now() + datetime.timedelta(days=12))
    w.r4 = f.ResidentFactory(name="赵大勇", home=w.h4)
    w.r4b = f.ResidentFactory(name="赵小勇", home=w.h4)
    return w


def test_coverage_counts_distinct_households_and_persons(patch):
    w = patch
    # h1 visited three times: counts once; the not-at-home try counts as a visit, not as coverage.
    visit(w, w.h1, w.bob, 20, outcome=Visit.Outcome.NOT_HOME)
    visit(w, w.h1, w.bob, 15, residents=[w.r1])
    visit(w, w.h1, w.mia, 5, residents=[w.r1], others=1)
    # h4: the family met, then they moved out; the visit still counts and the dwelling stays in.
    visit(w, w.h4, w.bob, 12, residents=[w.r4, w.r4b])
    for r in (w.r4, w.r4b):
        Residence.objects.filter(resident=r).update(moved_out=days_ago(8))
        r.household = None
        r.save(update_fields=["household"])
    # h7 found vacant: leaves the denominator.
    visit(w, w.h7, w.bob, 10, outcome=Visit.Outcome.VACANT)
    # h8 added mid-campaign and visited.
    visit(w, w.h8, w.bob, 3, others=1)
    # A visit outside the period counts for nothing.
    visit(w, w.h5, w.bob, 31, others=1)

    totals = selectors.campaign_totals(w.campaign)
    # Denominator: h1, h4, h5, h8 (h6 vacant, h7 found vacant, h9 added after the end).
    assert totals.households == 4
    assert totals.visited == 3
    assert totals.visits == 6
    assert totals.persons_met == 1 + 2 + 2 + 1
    assert totals.percent == 75

    [grid_row] = selectors.coverage_by_grid(w.campaign)
    assert (grid_row.label, grid_row.households, grid_row.visited, grid_row.visits) == (
        str(w.g1),
        4,
        3,
        6,
    )
    never = set(selectors.never_visited(w.campaign).values_list("pk", flat=True))
    assert never == {w.h5.pk}


def test_a_vacant_finding_then_a_meeting_keeps_the_dwelling(patch):
    w = patch
    visit(w, w.h7, w.bob, 10, outcome=Visit.Outcome.VACANT)
    visit(w, w.h7, w.bob, 4, others=1)
    totals = selectors.campaign_totals(w.campaign)
    assert (totals.households, totals.visited) == (5, 1)


def test_coverage_per_leader(patch):
    w = patch
    visit(w, w.h1, w.bob, 15, residents=[w.r1])
    visit(w, w.h4, w.bob, 12, others=1)
    visit(w, w.h1, w.mia, 5, others=1)
    rows = {row.label: row for row in selectors.coverage_by_leader(w.campaign)}
    assert rows["Bob"].households == 5  # h1, h4, h5, h7, h8 of g1
    assert (rows["Bob"].visited, rows["Bob"].visits, rows["Bob"].persons_met) == (2, 2, 2)
    assert rows["Mia"].households == 1  # h1 is the only dwelling of micro-grid m1
    assert (rows["Mia"].visited, rows["Mia"].visits) == (1, 1)
    assert "Dave" not in rows  # g2 is not in this campaign
    # Bob also leads micro-grid m1 inside g1: h1 still counts once.
    f.assign(w.bob, Role.MICROGRID_LEADER, w.m1)
    rows = {row.label: row for row in selectors.coverage_by_leader(w.campaign)}
    assert (rows["Bob"].households, rows["Bob"].visited) == (5, 2)


def test_leader_list_of_households_still_to_visit(patch, client_for):
    w = patch
    visit(w, w.h1, w.bob, 15, others=1)
    todo = set(selectors.to_visit_for(w.bob, w.campaign).values_list("pk", flat=True))
    assert todo == {w.h4.pk, w.h5.pk, w.h7.pk, w.h8.pk}
    assert set(selectors.to_visit_for(w.mia, w.campaign).values_list("pk", flat=True)) == set()
    page = client_for(w.bob).get(f"/dashboard/campaigns/{w.campaign.pk}/").content.decode()
    assert "102" in page and "103" in page


def test_district_wide_campaign_ranks_communities(world):
    w = world
    extra = [f.HouseholdFactory(building=w.b3, unit=1, room=f"30{i}") for i in range(2, 5)]
    old = timezone.now() - datetime.timedelta(days=60)
    Household.objects.update(created_at=old)
    campaign = campaign_start(
        name="全区大走访", district=w.district, starts_on=days_ago(20), ends_on=days_ago(0), by=w.dana
    )
    visit(w, w.h1, w.bob, 5, others=1)  # c1: h1 of (h1, h2) → 50%
    visit(w, w.h3, w.gwen, 5, others=1)  # c2: h3 of (h3 + 3) → 25%
    visit(w, w.h2, w.dave, 4, others=1)  # c1 → 100%
    ranking = selectors.coverage_by_community(campaign)
    assert [(r.extra["rank"], r.label, r.visited, r.households) for r in ranking] == [
        (1, "桂花社区", 2, 2),
        (2, "银杏社区", 1, 4),
    ]
    assert len(extra) == 3


def test_who_may_start_a_campaign(world):
    w = world
    start, end = days_ago(1), days_ago(0) + datetime.timedelta(days=90)
    with pytest.raises(ValidationError):
        campaign_start(name="x", grid=w.g3, starts_on=start, ends_on=end, by=w.alice)  # other community
    with pytest.raises(ValidationError):
        campaign_start(name="x", grid=w.g1, starts_on=start, ends_on=end, by=w.bob)  # a leader
    with pytest.raises(ValidationError):
        campaign_start(name="x", district=w.district, starts_on=start, ends_on=end, by=w.alice)
    with pytest.raises(ValidationError):
        campaign_start(name="x", grid=w.g1, starts_on=end, ends_on=start, by=w.alice)
    with pytest.raises(ValidationError):
        campaign_start(name="x", grid=w.g1, community=w.c1, starts_on=start, ends_on=end, by=w.alice)
    assert not Campaign.objects.exists()
    campaign_start(name="社区走访", community=w.c1, starts_on=start, ends_on=end, by=w.alice)


def test_staff_start_a_campaign_from_the_page_and_see_coverage(world, client_for):
    w = world
    client = client_for(w.alice)
    response = client.post(
        "/dashboard/campaigns/new/",
        {
            "name": "第一网格百日走访",
            "patch": f"grid:{w.g1.pk}",
            "starts_on": days_ago(5).isoformat(),
            "ends_on": (days_ago(0) + datetime.timedelta(days=95)).isoformat(),
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert campaign.grid == w.g1 and campaign.created_by == w.alice
    page = client.get(f"/dashboard/campaigns/{campaign.pk}/").content.decode()
    assert "0 / 1" in page
    api = client.get(f"/api/v1/visits/campaigns/{campaign.pk}/coverage/").json()
    assert api["totals"]["households"] == 1
    # The leader sees the campaign and their list, not the staff figures.
    assert client_for(w.bob).get(f"/api/v1/visits/campaigns/{campaign.pk}/coverage/").status_code == 404


def test_seed_visits_after_seed_demo_is_idempotent(db):
    from django.core.management import call_command

    call_command("seed_demo", "--scale", "tiny", stdout=io.StringIO())
    call_command("seed_visits", stdout=io.StringIO())
    campaigns, visits = Campaign.objects.count(), Visit.objects.count()
    assert campaigns >= 1 and visits >= 1
    call_command("seed_visits", stdout=io.StringIO())
    assert (Campaign.objects.count(), Visit.objects.count()) == (campaigns, visits)
