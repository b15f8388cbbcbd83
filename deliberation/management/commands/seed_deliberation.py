"""A demo deliberation for the first community of each demo (after `seed_demo` and `seed_projects`): the
residents' e-bike parking complaint taken through 一征三议两公开 to a published resolution, voted at a
red-hall meeting with attendance and public minutes, and carried out by the demo e-bike project of the
ledger (or a new project when seed_projects has not run).

    python manage.py seed_deliberation

Every write goes through `deliberation.services`. A community that already has the demo topic is left
alone, so a second run changes nothing.
"""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import RoleAssignment, User
from accounts.roles import Role
from deliberation import services
from deliberation.models import Meeting, Topic
from deliberation.selectors import meeting_roster
from governance.models import PartyOrganisation
from projects.management.commands.seed_projects import LEADER_SUFFIX, PROJECT_NAMES
from projects.models import Project

TITLE = "电动车停放难：在小区内集中建设停放充电点"
EBIKE_PROJECT = PROJECT_NAMES[0]
ANSWERS = [
    ("楼道里停车充电太危险，希望尽快建车棚。", "3栋住户"),
    ("车棚别占用绿地，东门空地就很合适。", ""),
    ("充电要按次收费，价格要公开。", "老周"),
]
OPTIONS = ["在东区、南区、北门三处空地新建集中停放充电点", "只在东门空地建一处大型车棚"]


class Command(BaseCommand):
    help = "Add a demo deliberation (e-bike parking, up to a published resolution) for the demo communities (idempotent)."

    def handle(self, *args, **options):
        leaders = (
            RoleAssignment.objects.active()
            .filter(role=Role.GRID_LEADER, user__username__endswith=LEADER_SUFFIX)
            .select_related("user", "grid__community")
            .order_by("pk")
        )
        for assignment in leaders:
            community = assignment.grid.community
            if Topic.objects.filter(community=community, title=TITLE).exists():
                self.stdout.write(f"{community}: demo deliberation already there; nothing to do.")
                continue
            prefix = assignment.user.username.removesuffix(LEADER_SUFFIX)
            staff = User.objects.filter(username=f"{prefix}staff").first()
            committee = (
                PartyOrganisation.objects.filter(
                    community=community, level=PartyOrganisation.Level.COMMUNITY_COMMITTEE
                )
                .order_by("pk")
                .first()
            )
            if staff is None or committee is None:
                self.stdout.write(f"{community}: no staff account or party committee; skipped.")
                continue
            with transaction.atomic():
                self.load(community, staff, assignment.user, committee)
            self.stdout.write(f"{community}: demo deliberation up to its published resolution.")

    def load(self, community, staff, leader, committee):
        now = timezone.now()
        topic = services.topic_save(
            topic=Topic(
                community=community,
                area=community.areas.order_by("code").first(),
                title=TITLE,
                description="居民反映楼道停放、飞线充电隐患多，小区车棚远远不够。",
            ),
            by=staff,
        )
        services.topic_open_call(
            topic=topic,
            question="电动车集中停放充电点建在哪里、怎么收费？",
            deadline=now + datetime.timedelta(days=7),
            by=staff,
        )
        for text, name in ANSWERS:
            services.answer_submit(topic=topic, text=text, name=name)
        services.topic_propose(
            topic=topic, proposal="社区党委提议在小区内集中建设电动车停放充电点。", options=OPTIONS, by=staff
        )
        services.topic_deliberate(
            topic=topic, opinion="两委会商议同意方案一，建设资金申请街道民生实事项目。", by=staff
        )
        meeting = services.meeting_save(
            meeting=Meeting(
                community=community,
                kind=Meeting.Kind.RED_HALL,
                title="电动车停放充电点居民代表会议",
                starts_at=now - datetime.timedelta(hours=1),
                place="小区中心广场",
                host=leader,
                invited=[
                    Meeting.Party.PARTY_MEMBERS,
                    Meeting.Party.RESIDENT_REPS,
                    Meeting.Party.GRID_LEADERS,
                    Meeting.Party.PROPERTY_COMPANY,
                ],
            ),
            topics=[topic],
            by=staff,
        )
        # The host ticks those who came (the first invitees of the roster) and two residents by name.
        for entry in meeting_roster(meeting)[:8]:
            services.attendance_tick_invitee(meeting=meeting, key=entry.key, by=leader)
        services.attendance_tick(meeting=meeting, name="周大伯", phone_last4="2468", by=leader)
        services.attendance_tick(meeting=meeting, name="钱阿姨", by=leader)
        services.meeting_minutes_save(
            meeting=meeting,
            minutes="到会居民代表就三处选址逐一讨论，现场举手表决，方案一获通过。",
            internal=False,
            by=leader,
        )
        first, second = topic.options.order_by("position", "pk")
        services.topic_vote(
            topic=topic,
            entitled=60,
            present=41,
            counts={first.pk: (35, 4, 2), second.pk: (6, 30, 5)},
            meeting=meeting,
            by=leader,
        )
        services.topic_publish_resolution(
            topic=topic,
            resolution="经居民代表会议表决通过：在东区、南区、北门三处空地新建电动车集中停放充电点。",
            by=staff,
        )
        project = Project.objects.filter(community=community, name=EBIKE_PROJECT).first()
        if project is not None:
            services.topic_link_project(topic=topic, project=project, by=staff)
        else:
            services.topic_open_project(
                topic=topic,
                organisation=committee,
                due_on=timezone.localdate() + datetime.timedelta(days=60),
                responsible=leader,
                by=staff,
            )
