"""A hand-counted world of figures on top of the shared `world` (all received this month):

c1 / g1 / b1 (h1, plus a vacant dwelling h1v): request r_done (category 公共设施, resolved on the spot,
    followed up solved and satisfied: closed), request r_accepted (环境卫生, accepted), wish w_claimed
    (公共设施, published, claimed by pete, a party member).
c1 / g2 / b2 (h2): suggestion s_new (环境卫生, submitted), request r_late (公共设施, accepted, past its
    resolution deadline: overdue now).
c2 / g3 / b3 (h3): request r_other (公共设施, submitted).
Visits this month: h1 met twice by bob (r1 and 1 other person the first time, r1 the second); h2 nobody
home. h1v is vacant, so not to visit.
"""

import datetime
import types

import pytest
from django.utils import timezone

from grids.models import Household
from petitions import services as ps
from petitions.models import Category, Petition
from tests import factories as f
from visits.services import visit_record


@pytest.fixture
def stats_world(world):
    w = world
    s = types.SimpleNamespace(world=w)
    s.facilities = Category.objects.create(name="公共设施", resolve_within=72)
    s.sanitation = Category.objects.create(name="环境卫生", resolve_within=72)
    s.h1v = f.HouseholdFactory(building=w.b1, unit=1, room="102", use=Household.Use.VACANT)

    def submit(building, kind="request", category=None):
        return ps.petition_submit(
            kind=kind,
            category=category or s.facilities,
            description="楼道灯坏了，晚上看不见",
            channel="public",
            building=building,
            phone="13811112222",
        )

    s.submit = submit
    s.r_done = submit(w.b1)
    ps.petition_resolve_on_the_spot(petition=s.r_done, by=w.bob, note="现场修好")
    ps.petition_follow_up(petition=s.r_done, by=w.alice, solved=True, satisfaction="satisfied")
    s.r_accepted = submit(w.b1, category=s.sanitation)
    ps.petition_accept(petition=s.r_accepted, by=w.bob)
    s.w_claimed = submit(w.b1, kind="wish")
    ps.petition_accept(petition=s.w_claimed, by=w.bob)
    ps.petition_transition(petition=s.w_claimed, action="publish_wish", by=w.alice, note="为独居老人买米")
    ps.petition_claim(petition=s.w_claimed, by=w.pete)
    s.s_new = submit(w.b2, kind="suggestion", category=s.sanitation)
    s.r_late = submit(w.b2)
    ps.petition_accept(petition=s.r_late, by=w.dave)
    Petition.objects.filter(pk=s.r_late.pk).update(
        resolve_due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    s.r_other = submit(w.b3)
    today = timezone.localdate()
    visit_record(household=w.h1, visited_on=today, by=w.bob, residents_met=[w.r1], others_met=1)
    visit_record(household=w.h1, visited_on=today, by=w.bob, residents_met=[w.r1])
    visit_record(household=w.h2, visited_on=today, by=w.dave, outcome="not_home")
    return s
