"""Demo requests, suggestions and micro-wishes for the first community of each demo (after `seed_demo`
and `petitions_default_categories`), so the board, the workbench, the wish wall and the grid leader's
dashboard show something on a fresh `make run`.

    python manage.py seed_petitions

Every item goes through `petitions.services` (submit, then one transition at a time), so the events,
deadlines and outbox rows are the real ones. Between two steps the loader only back-dates the item's
timestamps with a queryset update, so its history spreads over days: a working item whose deadline has
passed is simply an old one, and shows as overdue everywhere. The items are written in one transaction
per community; a community that already holds them (recognised by their descriptions) is left alone, so
a second run changes nothing.
"""

import datetime
import logging

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import RoleAssignment, User
from accounts.roles import Role
from governance.models import Organisation
from grids.models import Building, Grid, Household
from petitions.models import Category, FollowUpAttempt, Outbox, Petition, PetitionEvent
from petitions.services import petition_submit, petition_transition

LEADER_SUFFIX = "gridleader"

# Where an item is: "g0" a building of the demo grid leader's grid, "oth" a building elsewhere in the
# community (the same grid when there is no other), "none" no building (free text only).
# Each step: (hours until the next step or until now, action, actor, note, extra data). Actors are demo
# usernames without their prefix; "org:<kind or name part>" in data picks a handling organisation.
ITEMS = [
    # --- Just received ---------------------------------------------------------------------------
    dict(
        kind="request",
        category="公共设施",
        channel="public",
        where="g0",
        phone=True,
        text="三单元楼道的声控灯坏了一个多星期，晚上上下楼一片漆黑，前几天楼上的老人还差点踩空，"
        "希望尽快修好。",
        steps=[(3, "submit", None, "", {})],
    ),
    dict(
        kind="suggestion",
        category="环境卫生",
        channel="public",
        where="g0",
        text="东门垃圾分类投放点旁边经常有人乱丢旧沙发、旧床垫，建议设一个大件垃圾临时堆放点，"
        "并把清运时间贴出来。",
        # Nobody has accepted it for two days: overdue for acceptance.
        steps=[(50, "submit", None, "", {})],
    ),
    dict(
        kind="wish",
        category="为老服务",
        channel="public",
        where="oth",
        phone=True,
        text="老伴腿脚不方便，我自己也七十多了，想请志愿者每周帮忙买一次菜送上楼。",
        steps=[(1, "submit", None, "", {})],
    ),
    # --- Accepted, waiting to be handed on -------------------------------------------------------
    dict(
        kind="request",
        category="物业管理",
        channel="phone",
        where="oth",
        text="楼顶水箱好像很久没清洗了，早上放出来的自来水有时发黄，有股味道，担心水质。",
        steps=[(2, "submit", "staff", "", {}), (4, "accept", "staff", "", {})],
    ),
    dict(
        kind="suggestion",
        category="其他",
        channel="public",
        where="g0",
        submitter="resident",
        text="快递经常堆在单元门口，雨天容易淋湿也容易丢，建议在小区门口增设一组智能快递柜。",
        steps=[(20, "submit", None, "", {}), (6, "accept", "staff", "", {})],
    ),
    # --- Working, and overdue in the demo grid leader's grid ------------------------------------
    dict(
        kind="request",
        category="安全隐患",
        channel="visit",
        where="g0",
        text="入户走访时发现二号楼北侧有住户从窗户拉飞线给楼下电动车充电，电线就搭在晾衣架上，有火灾隐患。",
        steps=[
            (2, "submit", "gridleader", "", {}),
            (1, "accept", "gridleader", "", {}),
            (40, "start", "gridleader", "", {}),
        ],
    ),
    dict(
        kind="request",
        category="公共设施",
        channel="public",
        where="g0",
        phone=True,
        text="单元门的门禁坏了，刷卡开不了门，只能一直敞着，陌生人随便进出，晚上很不放心。",
        steps=[
            (3, "submit", None, "", {}),
            (2, "accept", "staff", "", {}),
            (88, "dispatch", "staff", "", {"assignee": "gridleader"}),
        ],
    ),
    dict(
        kind="request",
        category="环境卫生",
        channel="walk_in",
        where="g0",
        text="楼下绿化带里的雨水井盖松了，下雨后积水排不出去，这几天发臭，蚊子特别多。",
        steps=[
            (1, "submit", "staff", "", {}),
            (2, "accept", "staff", "", {}),
            (60, "dispatch", "staff", "", {"organisation": "property_company"}),
        ],
    ),
    # --- Dispatched, in progress, suspended ------------------------------------------------------
    dict(
        kind="request",
        category="物业管理",
        channel="hotline",
        where="oth",
        hotline=True,
        text="市民来电反映：地下车库一半的灯不亮，车位线也看不清，最近接连发生停车剐蹭。",
        steps=[
            (1, "submit", "staff", "", {}),
            (3, "accept", "staff", "", {}),
            (10, "dispatch", "staff", "", {"organisation": "property_company"}),
        ],
    ),
    dict(
        kind="request",
        category="公共设施",
        channel="meeting",
        where="oth",
        text="小板凳恳谈会上居民提出：小区健身器材年久失修，单杠生锈晃动，小孩在上面玩很危险。",
        steps=[
            (2, "submit", "staff", "", {}),
            (2, "accept", "staff", "", {}),
            (20, "dispatch", "staff", "", {"grid": "other"}),
        ],
    ),
    dict(
        kind="request",
        category="为老服务",
        channel="phone",
        where="g0",
        text="八十多岁的独居老人家里燃气灶打不着火，子女都在外地，想请社区帮忙联系师傅上门看看。",
        steps=[
            (1, "submit", "staff", "", {}),
            (1, "accept", "staff", "", {}),
            (2, "dispatch", "staff", "", {"organisation": "民政服务站"}),
            (5, "start", "staff", "已电话联系燃气公司，约好明天上午上门检修。", {}),
        ],
    ),
    dict(
        kind="suggestion",
        category="其他",
        channel="meeting",
        where="none",
        text="建议在社区活动中心开一个老年人智能手机课堂，教大家用手机挂号、缴费、和子女视频。",
        steps=[
            (3, "submit", "staff", "", {}),
            (5, "accept", "staff", "", {}),
            (4, "dispatch", "staff", "", {"organisation": "文体活动中心"}),
            (30, "suspend", "staff", "等待街道统一安排授课志愿者，下月初恢复办理。", {}),
        ],
    ),
    # --- Resolved, waiting for the follow-up visit ----------------------------------------------
    dict(
        kind="request",
        category="公共设施",
        channel="public",
        where="g0",
        phone=True,
        text="四楼到五楼的楼梯扶手松动了，一扶就晃，家里老人每天都要上下楼，很担心。",
        steps=[
            (2, "submit", None, "", {}),
            (2, "accept", "staff", "", {}),
            (3, "dispatch", "staff", "", {"assignee": "gridleader"}),
            (20, "start", "gridleader", "", {}),
            (80, "resolve", "gridleader", "已请维修师傅加固扶手，更换了两处松脱的膨胀螺栓。", {}),
        ],
    ),
    dict(
        kind="request",
        category="环境卫生",
        channel="public",
        where="oth",
        text="南门外早市散了以后菜叶、塑料袋扔得满地都是，一直到中午都没人打扫。",
        steps=[
            (2, "submit", None, "", {}),
            (3, "accept", "staff", "", {}),
            (5, "dispatch", "staff", "", {"organisation": "城建环卫"}),
            (
                30,
                "resolve",
                "staff",
                "已与环卫所商定早市散场后增加一次清扫，并安排志愿者劝导摊贩自带垃圾袋。",
                {},
            ),
        ],
    ),
    dict(
        kind="request",
        category="物业管理",
        channel="phone",
        where="oth",
        text="电梯这个月已经停了三次，有一次还把人关在里面十几分钟，希望物业彻底检修。",
        steps=[
            (1, "submit", "staff", "", {}),
            (2, "accept", "staff", "", {}),
            (4, "dispatch", "staff", "", {"organisation": "property_company"}),
            (130, "resolve", "staff", "物业已请电梯维保单位全面检修，更换了门机控制板，并加密巡检。", {}),
        ],
    ),
    # --- Closed after a follow-up, with a summary for the public board ---------------------------
    dict(
        kind="request",
        category="公共设施",
        channel="public",
        where="g0",
        phone=True,
        text="小区主路上有三盏路灯不亮，晚上遛弯的老人和放学的孩子走路看不清。",
        steps=[
            (2, "submit", None, "", {}),
            (3, "accept", "staff", "", {}),
            (30, "dispatch", "staff", "", {"organisation": "property_company"}),
            (72, "resolve", "staff", "物业更换了三盏路灯灯具，并检修了供电线路。", {}),
            (2, "follow_up", "gridleader", "", {"solved": True, "satisfaction": "satisfied"}),
            (
                200,
                "set_summary",
                "staff",
                "",
                {"summary": "小区主路三盏路灯不亮，物业已更换灯具、检修线路，回访居民满意。"},
            ),
        ],
    ),
    dict(
        kind="request",
        category="环境卫生",
        channel="visit",
        where="g0",
        text="走访时居民反映一单元楼道里堆满了旧纸箱和废弃自行车，堵住了消防通道。",
        steps=[
            (1, "submit", "gridleader", "", {}),
            (2, "accept", "gridleader", "", {}),
            (24, "dispatch", "gridleader", "", {"organisation": "property_company"}),
            (50, "resolve", "staff", "物业联合志愿者清理了楼道杂物，废弃自行车登记公示后统一清运。", {}),
            (3, "follow_up", "gridleader", "", {"solved": True, "satisfaction": "satisfied"}),
            (
                150,
                "set_summary",
                "staff",
                "",
                {"summary": "楼道杂物堵塞消防通道，物业与志愿者集中清理，废弃自行车公示后清运。"},
            ),
        ],
    ),
    dict(
        kind="request",
        category="安全隐患",
        channel="visit",
        where="g0",
        text="消防通道上常年停着两辆私家车，消防车根本开不进来。",
        steps=[
            (1, "submit", "gridleader", "", {}),
            (
                50,
                "resolve_on_the_spot",
                "gridleader",
                "当场联系车主挪车，并在通道两端补画了禁停标线。",
                {},
            ),
            (5, "follow_up", "staff", "", {"solved": True, "satisfaction": "basically"}),
            (
                100,
                "set_summary",
                "staff",
                "",
                {"summary": "消防通道被占用，网格长现场联系车主挪车并补画禁停标线。"},
            ),
        ],
    ),
    dict(
        kind="request",
        category="为老服务",
        channel="phone",
        where="oth",
        phone=True,
        text="母亲一个人住，有高血压，想问问社区能不能帮忙装一个紧急呼叫器。",
        steps=[
            (1, "submit", "staff", "", {}),
            (2, "accept", "staff", "", {}),
            (3, "dispatch", "staff", "", {"organisation": "民政服务站"}),
            (48, "resolve", "staff", "民政服务站已为老人免费安装一键呼叫器，并接入社区养老服务平台。", {}),
            (4, "rate", None, "", {"solved": True, "satisfaction": "satisfied"}),
            (
                120,
                "set_summary",
                "staff",
                "",
                {"summary": "为独居高龄老人免费安装一键紧急呼叫器，接入养老服务平台。"},
            ),
        ],
    ),
    dict(
        kind="request",
        category="物业管理",
        channel="public",
        where="g0",
        text="小区南侧围墙破了个大洞，经常有外人从这里钻进来，晚上不安全。",
        steps=[
            (2, "submit", None, "", {}),
            (3, "accept", "staff", "", {}),
            (20, "dispatch", "staff", "", {"organisation": "property_company"}),
            (70, "resolve", "staff", "物业已用砖砌封堵围墙破损处，并加装了一处监控探头。", {}),
            (6, "follow_up", "gridleader", "", {"solved": True, "satisfaction": "basically"}),
            (300, "set_summary", "staff", "", {"summary": "南侧围墙破损，物业砌墙封堵并加装监控。"}),
        ],
    ),
    dict(
        kind="request",
        category="政策咨询",
        channel="walk_in",
        where="none",
        text="我是灵活就业人员，想咨询今年的城乡居民医保和职工医保怎么选、在哪里缴费。",
        steps=[
            (1, "submit", "staff", "", {}),
            (1, "accept", "staff", "", {}),
            (2, "start", "staff", "", {}),
            (6, "resolve", "staff", "已当面讲解两类医保的缴费标准和待遇差别，并演示了手机缴费流程。", {}),
            (30, "follow_up", "secretary", "", {"solved": True, "satisfaction": "satisfied"}),
            (
                90,
                "set_summary",
                "staff",
                "",
                {"summary": "居民咨询灵活就业人员医保参保方式，社区工作人员当面讲解并协助办理。"},
            ),
        ],
    ),
    dict(
        kind="suggestion",
        category="其他",
        channel="meeting",
        where="g0",
        text="红色议事厅上居民建议：电动车到处乱停，楼道里也在充电，希望统一划设停放区、安装充电桩。",
        steps=[
            (2, "submit", "staff", "", {}),
            (24, "accept", "staff", "", {}),
            (48, "dispatch", "staff", "", {"organisation": "property_company"}),
            (100, "resolve", "staff", "经议事协商，新划电动车停车位四十个，安装充电桩两组。", {}),
            (10, "follow_up", "gridleader", "", {"solved": True, "satisfaction": "satisfied"}),
            (
                400,
                "set_summary",
                "staff",
                "",
                {"summary": "议事协商后新划电动车停车位40个，安装充电桩2组，楼道充电明显减少。"},
            ),
        ],
    ),
    dict(
        # A dispute between neighbours: handled and closed, never on the public board.
        kind="request",
        category="邻里纠纷",
        channel="walk_in",
        where="g0",
        text="楼上住户经常半夜拖动桌椅、走路很重，多次上门沟通都没用，影响家里老人休息。",
        steps=[
            (1, "submit", "staff", "", {}),
            (2, "accept", "staff", "", {}),
            (5, "dispatch", "staff", "", {"assignee": "gridleader"}),
            (30, "start", "gridleader", "", {}),
            (
                60,
                "resolve",
                "gridleader",
                "网格长上门分别沟通，双方约定晚十点后注意轻放，楼上加装了桌椅脚垫。",
                {},
            ),
            (240, "follow_up", "staff", "", {"solved": True, "satisfaction": "basically"}),
        ],
    ),
    # --- Declined, with the reason the resident sees ---------------------------------------------
    dict(
        kind="request",
        category="其他",
        channel="public",
        where="oth",
        text="朋友借了我两万块钱一直不还，希望社区出面帮我要回来。",
        steps=[
            (3, "submit", None, "", {}),
            (
                40,
                "decline",
                "staff",
                "这属于个人之间的借贷纠纷，社区无权处理。建议申请人民调解或向法院起诉，"
                "社区法律服务室每周三可提供免费咨询。",
                {},
            ),
        ],
    ),
    dict(
        kind="request",
        category="物业管理",
        channel="public",
        where="g0",
        text="要求物业把今年的物业费全部退还。",
        steps=[
            (5, "submit", None, "", {}),
            (
                60,
                "decline",
                "staff",
                "物业费标准和退费由业主大会与物业合同约定，社区不能决定。具体服务问题欢迎逐项反映，"
                "我们会督促物业整改。",
                {},
            ),
        ],
    ),
    # --- Micro-wishes: open on the wall, claimed, fulfilled --------------------------------------
    dict(
        kind="wish",
        category="为老服务",
        channel="visit",
        where="g0",
        text="五楼的独居老人卫生间灯泡坏了，自己够不着，想请人上门帮忙换一下。",
        steps=[
            (1, "submit", "gridleader", "", {}),
            (2, "accept", "gridleader", "", {}),
            (20, "publish_wish", "staff", "独居老人家中卫生间灯泡需要更换，盼热心邻居上门帮忙。", {}),
        ],
    ),
    dict(
        kind="wish",
        category="其他",
        channel="visit",
        where="oth",
        text="孩子上三年级，父母都在外地打工，奶奶辅导不了功课，希望有志愿者周末来辅导数学。",
        steps=[
            (2, "submit", "staff", "", {}),
            (3, "accept", "staff", "", {}),
            (30, "publish_wish", "staff", "留守儿童希望周末有志愿者辅导三年级数学作业。", {}),
        ],
    ),
    dict(
        kind="wish",
        category="为老服务",
        channel="public",
        where="oth",
        text="想学会用智能手机和外地的孙子视频聊天，也想学学怎么用手机付钱买菜。",
        steps=[
            (2, "submit", None, "", {}),
            (5, "accept", "staff", "", {}),
            (50, "publish_wish", "staff", "老人想学用智能手机视频通话和扫码付款，盼耐心的志愿者教一教。", {}),
        ],
    ),
    dict(
        kind="wish",
        category="其他",
        channel="visit",
        where="g0",
        text="家里是低保户，孩子马上开学了，想要一个新书包和一套文具。",
        steps=[
            (1, "submit", "gridleader", "", {}),
            (2, "accept", "gridleader", "", {}),
            (10, "publish_wish", "staff", "低保家庭孩子开学在即，希望得到一个书包和一套文具。", {}),
        ],
    ),
    dict(
        kind="wish",
        category="为老服务",
        channel="public",
        where="g0",
        text="腿脚不好，每个月要去社区卫生服务站复查血压，希望有人能陪着去一趟。",
        steps=[
            (2, "submit", None, "", {}),
            (3, "accept", "staff", "", {}),
            (
                20,
                "publish_wish",
                "staff",
                "行动不便的老人每月需要复查血压，盼志愿者陪同前往社区卫生服务站。",
                {},
            ),
            (6, "claim", "volunteer", "", {}),
        ],
    ),
    dict(
        kind="wish",
        category="为老服务",
        channel="visit",
        where="g0",
        text="独居老人家里厨房水龙头一直滴水，一晚上能接小半桶，想请人帮忙换个新的。",
        steps=[
            (1, "submit", "gridleader", "", {}),
            (2, "accept", "gridleader", "", {}),
            (8, "publish_wish", "staff", "独居老人家中厨房水龙头漏水，希望有人帮忙更换。", {}),
            (20, "claim", "partymember", "", {}),
            (30, "resolve", "partymember", "党员买来新水龙头上门更换，顺便检查了家里的水管阀门。", {}),
            (5, "follow_up", "gridleader", "", {"solved": True, "satisfaction": "satisfied"}),
            (
                150,
                "set_summary",
                "staff",
                "",
                {"summary": "党员认领微心愿，为独居老人更换漏水的厨房水龙头。"},
            ),
        ],
    ),
]

DESCRIPTIONS = [item["text"] for item in ITEMS]


class Command(BaseCommand):
    help = "Add demo requests, suggestions and micro-wishes in each demo's first community (idempotent)."

    def handle(self, *args, verbosity=1, **options):
        # One log line per transition is noise in `make seed`; -v 2 shows them.
        log = logging.getLogger("linli.petitions")
        level = log.level
        if verbosity < 2:
            log.setLevel(logging.WARNING)
        try:
            self.seed()
        finally:
            log.setLevel(level)

    def seed(self):
        needed = {item["category"] for item in ITEMS}
        if needed - set(Category.objects.filter(name__in=needed).values_list("name", flat=True)):
            call_command("petitions_default_categories", stdout=self.stdout)
        leaders = (
            RoleAssignment.objects.active()
            .filter(role=Role.GRID_LEADER, user__username__endswith=LEADER_SUFFIX)
            .select_related("user", "grid__community")
            .order_by("pk")
        )
        for assignment in leaders:
            prefix = assignment.user.username.removesuffix(LEADER_SUFFIX)
            community = assignment.grid.community
            if Petition.objects.filter(community=community, description__in=DESCRIPTIONS).exists():
                self.stdout.write(f"{community}: demo requests already there; nothing to do.")
                continue
            with transaction.atomic():
                made = Loader(prefix, assignment.grid).load()
            self.stdout.write(f"{community}: {made} demo requests and micro-wishes")


class Loader:
    def __init__(self, prefix, grid):
        self.grid = grid
        self.community = grid.community
        self.users = {
            u.username.removeprefix(prefix): u
            for u in User.objects.filter(username__startswith=prefix, community=self.community)
        }
        self.categories = {c.name: c for c in Category.objects.all()}
        buildings = list(Building.objects.filter(grid__community=self.community).order_by("code"))
        self.g0 = [b for b in buildings if b.grid_id == grid.pk]
        self.others = [b for b in buildings if b.grid_id != grid.pk] or self.g0
        self.other_grid = (
            Grid.objects.filter(community=self.community).exclude(pk=grid.pk).order_by("code").first() or grid
        )
        self.today = timezone.localdate()

    def load(self) -> int:
        for n, item in enumerate(ITEMS):
            self.item(n, item)
        return len(ITEMS)

    def organisation(self, key):
        orgs = Organisation.objects.dispatchable_for(self.community).filter(active=True).order_by("pk")
        if key in Organisation.Kind.values:
            return orgs.filter(kind=key).first()
        return orgs.filter(name__contains=key).first()

    def item(self, n, item):
        where = item["where"]
        building = None
        if where != "none":
            pool = self.g0 if where == "g0" else self.others
            building = pool[n % len(pool)]
        household = None
        if building is not None and n % 3 == 0:
            household = Household.objects.filter(building=building).order_by("code").first()
        gap, _action, actor, _note, _data = item["steps"][0]
        by = self.users.get(actor) if actor else None
        channel = item["channel"]
        p = petition_submit(
            kind=item["kind"],
            category=self.categories[item["category"]],
            description=item["text"],
            channel=channel,
            building=building,
            household=household,
            community=self.community,
            location_text="" if building else "社区党群服务中心",
            submitter=self.users.get(item.get("submitter")),
            # Demo numbers in a range no one is given: 170 is a virtual-operator prefix.
            phone=f"1700000{n:04d}" if item.get("phone") else "",
            phone_verified=bool(item.get("phone")),
            hotline_order_no=f"12345{self.today:%Y%m%d}{n:04d}" if item.get("hotline") else "",
            by=by if channel != Petition.Channel.PUBLIC else None,
        )
        self.age(p, gap)
        for gap, action, actor, note, data in item["steps"][1:]:
            data = dict(data)
            if "assignee" in data:
                data["assignee"] = self.users[data["assignee"]]
            if "organisation" in data:
                data["organisation"] = self.organisation(data["organisation"])
            if data.get("grid") == "other":
                data["grid"] = self.other_grid
            if action == "rate":
                data["as_resident"] = True
            petition_transition(
                petition=p, action=action, by=self.users.get(actor) if actor else None, note=note, **data
            )
            self.age(p, gap)

    @staticmethod
    def age(p, hours):
        """Move everything that has happened to the item so far `hours` into the past."""
        delta = datetime.timedelta(hours=hours)
        fields = [
            "created_at",
            "updated_at",
            "contact_due_at",
            "contacted_at",
            "accept_due_at",
            "accepted_at",
            "resolve_due_at",
            "resolved_at",
            "follow_up_due_at",
            "followed_up_at",
            "closed_at",
            "extension_requested_until",
        ]
        Petition.objects.filter(pk=p.pk).update(**{f: F(f) - delta for f in fields})
        PetitionEvent.objects.filter(petition=p).update(created_at=F("created_at") - delta)
        Outbox.objects.filter(petition=p).update(deadline=F("deadline") - delta, due_at=F("due_at") - delta)
        FollowUpAttempt.objects.filter(petition=p).update(created_at=F("created_at") - delta)
