"""Demo data for visits, after `seed_demo`: a running 100-day visiting campaign in each demo grid
leader's community, and visits already made in their grid (through the services, so every
rule holds). Running it twice changes nothing.

    python manage.py seed_visits
"""

import datetime
import random

from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import RoleAssignment
from accounts.roles import Role
from grids.models import Household
from visits.models import Campaign, Visit
from visits.selectors import residents_of
from visits.services import campaign_start, visit_record

CAMPAIGN_NAME = "百日大走访"
TOPICS = [code for code, _label in Visit.Topic.choices]
SITUATIONS = ["家中老人身体尚好", "反映楼道照明不足", "咨询医保缴费", "希望增加电动车充电桩", "一切正常"]


class Command(BaseCommand):
    help = "Add a running visiting campaign and past visits for the demo grid leaders (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--share", type=float, default=0.4, help="Share of the grid's households visited."
        )
        parser.add_argument("--seed", type=int, default=20240701)

    def handle(self, *args, share, seed, **options):
        rnd = random.Random(seed)
        today = timezone.localdate()
        leaders = (
            RoleAssignment.objects.active()
            .filter(role=Role.GRID_LEADER, user__username__endswith="gridleader")
            .select_related("user", "grid__community")
        )
        for assignment in leaders:
            community = assignment.grid.community
            staff = (
                RoleAssignment.objects.active()
                .filter(role=Role.COMMUNITY_STAFF, community=community)
                .select_related("user")
                .first()
            )
            if staff is None or Campaign.objects.filter(community=community, name=CAMPAIGN_NAME).exists():
                continue
            start = today - datetime.timedelta(days=30)
            campaign_start(
                name=CAMPAIGN_NAME,
                community=community,
                starts_on=start,
                ends_on=start + datetime.timedelta(days=99),
                by=staff.user,
            )
            households = list(Household.objects.in_grid(assignment.grid).occupied().order_by("code"))
            visited = rnd.sample(households, int(len(households) * share))
            for household in visited:
                met = list(residents_of(household)[: rnd.randint(0, 3)])
                visit_record(
                    household=household,
                    visited_on=start + datetime.timedelta(days=rnd.randint(0, 29)),
                    outcome=Visit.Outcome.MET if met else Visit.Outcome.NOT_HOME,
                    residents_met=met,
                    topics=rnd.sample(TOPICS, rnd.randint(0, 2)) if met else [],
                    situation=rnd.choice(SITUATIONS) if met else "",
                    by=assignment.user,
                )
            self.stdout.write(
                f"{community}: campaign {CAMPAIGN_NAME}, {len(visited)} visits by {assignment.user.username}"
            )
