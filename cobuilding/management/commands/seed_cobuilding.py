"""Demo co-building units and the three lists for the first community of each demo (after `seed_demo`
and `seed_projects`): a school, a hospital and a company in the alliance, the resources they offer, an
agreement naming the alliance project, two needs and one confirmed match (which makes a project).

    python manage.py seed_cobuilding

Every write goes through the services. A community that already has units is left alone, so a second run
changes nothing.
"""

import datetime
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import RoleAssignment
from accounts.roles import Role
from cobuilding.models import Agreement, CoBuildingUnit, Kind, Need, Resource, UnitContact, UnitEvent
from cobuilding.services import (
    agreement_save,
    contact_save,
    match_confirm,
    need_save,
    resource_save,
    unit_event_save,
    unit_save,
)
from governance.models import Organisation
from governance.services import organisation_save
from projects.models import Project
from volunteers.models import Activity

ALLIANCE_PROJECT = "区域化党建联建：共建单位结对服务"

# name, type, contact (name, title, work phone), resources: (title, kind, quantity, measure, when)
UNITS = [
    (
        "实验小学",
        CoBuildingUnit.UnitType.SCHOOL,
        ("周老师", "德育主任", "0571-87000001"),
        [
            ("周末开放的多功能教室", Kind.VENUE, 1, "间", "周六、周日"),
            ("书法教师志愿者", Kind.SKILL, 2, "人", ""),
        ],
    ),
    (
        "区人民医院",
        CoBuildingUnit.UnitType.HOSPITAL,
        ("陈医生", "党办主任", "0571-87000002"),
        [("义诊医生", Kind.PEOPLE, 4, "人", "每月第一个周六"), ("健康讲座", Kind.SKILL, 6, "场", "")],
    ),
    (
        "城建集团第三分公司",
        CoBuildingUnit.UnitType.COMPANY,
        ("吴经理", "工会主席", "0571-87000003"),
        [("困难家庭慰问金", Kind.MONEY, 20000, "元", ""), ("楼道照明灯具", Kind.GOODS, 120, "套", "")],
    ),
]
NEEDS = [
    ("老年书法课场地", Kind.VENUE, 1, "老年居民希望每周有固定场地练习书法。"),
    ("老旧楼道照明更换", Kind.GOODS, 80, "多个楼道灯具老化，晚上出行不便。"),
]


class Command(BaseCommand):
    help = "Add demo co-building units, resources, needs and a match for the demo communities (idempotent)."

    def handle(self, *args, **options):
        staff_roles = (
            RoleAssignment.objects.active()
            .filter(role=Role.COMMUNITY_STAFF, user__username__endswith="staff", community__isnull=False)
            .select_related("user", "community")
            .order_by("pk")
        )
        for assignment in staff_roles:
            community, staff = assignment.community, assignment.user
            if CoBuildingUnit.objects.filter(community=community).exists():
                with transaction.atomic():
                    held = self.events(community, staff)
                if held:
                    self.stdout.write(f"{community}: {held} events held by the units.")
                else:
                    self.stdout.write(f"{community}: co-building units already there; nothing to do.")
                continue
            with transaction.atomic():
                self.load(community, staff)
                held = self.events(community, staff)
            self.stdout.write(f"{community}: {len(UNITS)} co-building units, {held} events held.")

    def events(self, community, staff):
        """The first unit co-organised the community's volunteer activities (seed_volunteers), once."""
        unit = CoBuildingUnit.objects.filter(community=community).order_by("pk").first()
        if unit is None or UnitEvent.objects.filter(unit__community=community).exists():
            return 0
        activities = Activity.objects.filter(
            team__community=community, cancelled=False, starts_at__lte=timezone.now()
        ).order_by("pk")[:3]
        for activity in activities:
            unit_event_save(
                event=UnitEvent(unit=unit, activity=activity, role=UnitEvent.Role.CO_ORGANISED), by=staff
            )
        return len(activities)

    def load(self, community, staff):
        today = timezone.localdate()
        units = []
        for name, unit_type, (contact, title, phone), resources in UNITS:
            org = organisation_save(
                organisation=Organisation(
                    name=name, kind=Organisation.Kind.CO_BUILDING_UNIT, community=community
                ),
                by=staff,
            )
            unit = unit_save(unit=CoBuildingUnit(organisation=org, unit_type=unit_type), by=staff)
            contact_save(contact=UnitContact(unit=unit, name=contact, title=title, phone=phone), by=staff)
            for r_title, kind, quantity, measure, when in resources:
                resource_save(
                    resource=Resource(
                        unit=unit,
                        title=r_title,
                        kind=kind,
                        quantity=Decimal(quantity),
                        measure=measure,
                        availability_note=when,
                    ),
                    by=staff,
                )
            units.append(unit)
        alliance = Project.objects.filter(community=community, name=ALLIANCE_PROJECT).first()
        for unit in units:
            agreement_save(
                agreement=Agreement(
                    unit=unit, title=f"{unit}共建协议", signed_on=today - datetime.timedelta(days=30)
                ),
                projects=[alliance] if alliance else [],
                by=staff,
            )
        needs = [
            need_save(
                need=Need(
                    community=community, title=title, kind=kind, quantity=Decimal(qty), description=text
                ),
                by=staff,
            )
            for title, kind, qty, text in NEEDS
        ]
        venue = Resource.objects.get(unit=units[0], kind=Kind.VENUE)
        match_confirm(need=needs[0], resource=venue, by=staff)
