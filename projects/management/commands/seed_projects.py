"""Demo party-building projects for the first community of each demo (after `seed_demo`): the e-bike
parking and charging project a residents' deliberation decided, its milestones up to 3,000 spaces (the
last one still running), a position-building project just planned, an alliance project with an overdue
milestone and a finished system project. The demo grid leader is responsible for the e-bike project, so
their phone shows it; it is published on the community's public project page.

    python manage.py seed_projects

Every write goes through `projects.services`. A community that already has the demo projects is left
alone, so a second run changes nothing.
"""

import datetime
import io
import logging
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import RoleAssignment, User
from accounts.roles import Role
from governance.models import PartyOrganisation
from projects.models import Milestone, Project
from projects.services import milestone_complete, milestone_save, project_save, project_set_status

LEADER_SUFFIX = "gridleader"

# name, kind, responsible (demo username or None), start (days ago), length in days, budget, funding,
# published, public summary, milestones: (title, due in days after the start, done after days or None,
# evidence note), and the status it ends in.
PROJECTS = [
    (
        "电动车集中停放充电设施建设",
        Project.Kind.SERVICE,
        "gridleader",
        50,
        75,
        "860000",
        "街道民生实事项目资金、共建单位支持",
        True,
        "经居民会议表决，在小区内新建电动车集中停放充电点，共新增3000个车位，解决楼道充电、飞线充电隐患。",
        [
            ("居民会议表决通过选址方案", 7, 6, "居民代表会议表决通过，三处选址公示七天无异议。"),
            ("完成招标，确定建设单位", 20, 18, "公开招标完成，中标单位进场。"),
            ("首批1200个车位建成投用", 40, 38, "东区、南区停放点投用，充电桩全部通电。"),
            ("车位累计达到3000个并验收", 70, None, ""),
        ],
        Project.Status.IN_PROGRESS,
    ),
    (
        "党群服务站阵地提升",
        Project.Kind.POSITION,
        None,
        -5,
        60,
        "120000",
        "社区党组织服务群众经费",
        False,
        "",
        [("完成设计方案", 15, None, ""), ("改造完工并开放", 55, None, "")],
        Project.Status.PLANNED,
    ),
    (
        "区域化党建联建：共建单位结对服务",
        Project.Kind.ALLIANCE,
        None,
        40,
        120,
        None,
        "",
        False,
        "",
        [
            ("与驻区单位签订共建协议", 10, 9, "签订共建协议7份。"),
            ("首次联合志愿服务活动", 30, None, ""),
            ("年度联建成果总结", 110, None, ""),
        ],
        Project.Status.IN_PROGRESS,
    ),
    (
        "“三会一课”制度落实规范化",
        Project.Kind.SYSTEM,
        None,
        90,
        60,
        None,
        "",
        True,
        "各支部“三会一课”按时召开，会议记录规范归档。",
        [
            ("各支部制定年度学习计划", 10, 8, "计划已报社区党委备案。"),
            ("完成季度检查", 55, 50, "抽查记录齐全。"),
        ],
        Project.Status.DONE,
    ),
]
PROJECT_NAMES = [row[0] for row in PROJECTS]


def _site_photo(label_colour):
    """A plain picture of parking bays, so the demo's public page has a photo to show."""
    image = Image.new("RGB", (640, 420), (214, 222, 230))
    draw = ImageDraw.Draw(image)
    for x in range(40, 620, 60):
        draw.rectangle([x, 120, x + 40, 300], outline=(255, 255, 255), width=4)
    draw.rectangle([0, 330, 640, 420], fill=label_colour)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile("site.jpg", buffer.getvalue(), content_type="image/jpeg")


class Command(BaseCommand):
    help = "Add demo party-building projects with milestones for the demo communities (idempotent)."

    def handle(self, *args, verbosity=1, **options):
        log = logging.getLogger("linli.projects")
        level = log.level
        if verbosity < 2:
            log.setLevel(logging.WARNING)
        try:
            self.seed()
        finally:
            log.setLevel(level)

    def seed(self):
        leaders = (
            RoleAssignment.objects.active()
            .filter(role=Role.GRID_LEADER, user__username__endswith=LEADER_SUFFIX)
            .select_related("user", "grid__community")
            .order_by("pk")
        )
        for assignment in leaders:
            prefix = assignment.user.username.removesuffix(LEADER_SUFFIX)
            community = assignment.grid.community
            if Project.objects.filter(community=community, name__in=PROJECT_NAMES).exists():
                self.stdout.write(f"{community}: demo projects already there; nothing to do.")
                continue
            committee = (
                PartyOrganisation.objects.filter(
                    community=community, level=PartyOrganisation.Level.COMMUNITY_COMMITTEE
                )
                .order_by("pk")
                .first()
            )
            staff = User.objects.filter(username=f"{prefix}staff").first()
            if committee is None or staff is None:
                self.stdout.write(f"{community}: no party committee or staff account; skipped.")
                continue
            with transaction.atomic():
                count = self.load(community, committee, staff, {"gridleader": assignment.user})
            self.stdout.write(f"{community}: {count} demo projects.")

    def load(self, community, committee, staff, users):
        today = timezone.localdate()
        area = community.areas.order_by("code").first()
        for row in PROJECTS:
            name, kind, responsible, ago, length, budget, funding, published, summary, milestones, status = (
                row
            )
            start = today - datetime.timedelta(days=ago)
            project = project_save(
                project=Project(
                    name=name,
                    kind=kind,
                    organisation=committee,
                    area=area if kind == Project.Kind.SERVICE else None,
                    responsible=users.get(responsible),
                    starts_on=start,
                    due_on=start + datetime.timedelta(days=length),
                    budget=Decimal(budget) if budget else None,
                    funding_source=funding,
                    published=published,
                    public_summary=summary,
                ),
                by=staff,
            )
            for title, due, done_after, note in milestones:
                milestone = milestone_save(
                    milestone=Milestone(
                        project=project, title=title, due_on=start + datetime.timedelta(days=due)
                    ),
                    by=staff,
                )
                if done_after is not None:
                    photos = [_site_photo((200, 16, 46))] if kind == Project.Kind.SERVICE else []
                    milestone_complete(
                        milestone=milestone,
                        done_on=start + datetime.timedelta(days=done_after),
                        note=note,
                        photos=photos,
                        by=users.get(responsible) or staff,
                    )
            project.refresh_from_db()
            if status == Project.Status.IN_PROGRESS and project.status == Project.Status.PLANNED:
                project_set_status(project=project, status=status, by=staff)
            elif status == Project.Status.DONE:
                if project.status == Project.Status.PLANNED:
                    project_set_status(project=project, status=Project.Status.IN_PROGRESS, by=staff)
                project_set_status(project=project, status=status, by=staff)
        return len(PROJECTS)
