"""Demo volunteers and merchant alliance for the first community of each demo (after `seed_demo`): three
teams led by demo users, past activities with confirmed hours (so the demo volunteer has points) and
upcoming ones with sign-ups, the per-hour points rule, four alliance merchants (the demo `merchant` owns
one) with the front-door duties signed, love coupons and a points-shop good, one coupon taken by the demo
volunteer and one redeemed at the demo merchant's shop.

    python manage.py seed_volunteers

Every write goes through `volunteers.services`; the past activities are recorded afterwards by staff
(补录往期活动), their attendance from the sign-in sheet. One transaction per community; a community that
already has the demo teams is left alone, so a second run changes nothing.
"""

import datetime
import logging
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import RoleAssignment, User
from accounts.roles import Role
from grids.models import Resident, ResidentialArea
from volunteers.models import (
    FRONT_DOOR_DUTIES,
    HourRecord,
    Merchant,
    Offer,
    PointRule,
    Team,
    VolunteerProfile,
)
from volunteers.services import (
    activity_create,
    activity_sign_up,
    attendance_record_afterwards,
    coupon_redeem,
    coupon_take,
    duty_inspection_record,
    hours_confirm,
    merchant_create,
    merchant_sign_duties,
    offer_create,
    point_rule_create,
    points_award_action,
    points_top_up,
    team_add_member,
    team_create,
    volunteer_register,
)

LEADER_SUFFIX = "gridleader"
POINTS_PER_HOUR = 10

VOLUNTEERS = [
    # demo username, skills, availability
    ("volunteer", "陪伴老人、代购买菜、手机教学", "周末全天，工作日晚上"),
    ("partymember", "水电小修、政策宣讲", "工作日下午"),
    ("microleader", "楼栋联络、矛盾调解", "随叫随到"),
    ("resident", "夜间巡逻", "周五、周六晚上"),
]

TEAMS = [
    # key, name, kind, leader, members
    ("stewards", "邻里管家服务队", Team.Kind.STEWARDS, "microleader", ["volunteer", "partymember"]),
    ("patrol", "夜间平安巡逻队", Team.Kind.PATROL, "partymember", ["volunteer", "resident", "microleader"]),
    ("publicity", "红色小喇叭宣传队", Team.Kind.PUBLICITY, "gridleader", ["volunteer", "partymember"]),
]
TEAM_NAMES = [name for _key, name, *_rest in TEAMS]

# Past activities: team, title, days ago, start hour, hours on site, place, capacity, who attended.
PAST = [
    (
        "patrol",
        "平安夜巡：东区楼栋",
        12,
        19,
        "2",
        "小区东门集合",
        10,
        ["volunteer", "resident", "microleader"],
    ),
    (
        "stewards",
        "高龄老人上门探访",
        8,
        9,
        "3",
        "社区党群服务中心集合",
        8,
        ["volunteer", "partymember"],
    ),
    ("publicity", "防范电信诈骗宣传", 5, 15, "2.5", "小区中心广场", 12, ["volunteer", "partymember"]),
    ("patrol", "电动车楼道充电排查", 2, 19, "2", "各楼栋单元门口", 10, ["volunteer", "resident"]),
]

# Upcoming activities: team, title, days ahead, start hour, length in hours, place, capacity, sign-ups,
# description.
UPCOMING = [
    (
        "stewards",
        "楼道杂物清理日",
        2,
        9,
        3,
        "各楼栋一楼大厅",
        15,
        ["partymember", "microleader"],
        "清理楼道堆放的纸箱杂物，打通消防通道。请自带手套。",
    ),
    (
        "patrol",
        "平安夜巡：西区楼栋",
        4,
        19,
        2,
        "小区东门集合",
        10,
        ["volunteer", "resident"],
        "两人一组巡查楼道、车棚和围墙，重点留意电动车飞线充电。",
    ),
    (
        "publicity",
        "垃圾分类入户宣传",
        6,
        14,
        2,
        "社区党群服务中心",
        12,
        ["partymember"],
        "入户讲解垃圾分类投放时间和方法，发放宣传册。",
    ),
    (
        "stewards",
        "义务理发和小家电维修",
        9,
        9,
        3,
        "小区中心广场",
        20,
        ["microleader"],
        "为老年居民义务理发，免费检修电饭煲、台灯等小家电。",
    ),
]

MERCHANTS = [
    # shop name, category, owned by the demo merchant, address, phone
    ("邻里便民超市", Merchant.Category.GROCERY, True, "和平路18号", "17000001001"),
    ("老街坊面馆", Merchant.Category.FOOD, False, "和平路26号", "17000001002"),
    ("康宁大药房", Merchant.Category.HEALTH, False, "安居街3号", "17000001003"),
    ("巧手家电维修", Merchant.Category.SERVICES, False, "安居街11号", "17000001004"),
]


class Command(BaseCommand):
    help = "Add demo volunteer teams, activities, hours, merchants, offers and coupons (idempotent)."

    def handle(self, *args, verbosity=1, **options):
        # One log line per transition is noise in `make seed`; -v 2 shows them.
        log = logging.getLogger("linli.volunteers")
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
            if Team.objects.filter(community=community, name__in=TEAM_NAMES).exists():
                self.stdout.write(f"{community}: demo volunteers and merchants already there; nothing to do.")
                continue
            with transaction.atomic():
                summary = Loader(prefix, community).load()
            self.stdout.write(f"{community}: {summary}")


class Loader:
    def __init__(self, prefix, community):
        self.community = community
        self.users = {
            u.username.removeprefix(prefix): u
            for u in User.objects.filter(username__startswith=prefix, community=community)
        }
        self.staff = self.users["staff"]
        self.area = ResidentialArea.objects.filter(community=community).order_by("code").first()
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.profiles = {}
        self.teams = {}

    def at(self, days, hour):
        """A local time `days` from today (negative: in the past) at `hour` o'clock."""
        day = self.today + datetime.timedelta(days=days)
        return datetime.datetime.combine(day, datetime.time(hour), timezone.get_current_timezone())

    def load(self) -> str:
        if not PointRule.objects.filter(community=self.community, kind=PointRule.Kind.PER_HOUR, active=True):
            point_rule_create(
                community=self.community,
                kind=PointRule.Kind.PER_HOUR,
                name="志愿服务每小时积分",
                points=POINTS_PER_HOUR,
                by=self.staff,
            )
        wish_rule = point_rule_create(
            community=self.community,
            kind=PointRule.Kind.ACTION,
            name="认领并完成微心愿",
            points=20,
            by=self.staff,
        )
        for username, skills, availability in VOLUNTEERS:
            user = self.users.get(username)
            if user is None:
                continue
            profile = VolunteerProfile.objects.filter(user=user).first() or volunteer_register(
                user=user,
                community=self.community,
                skills=skills,
                availability=availability,
                resident=Resident.objects.filter(user=user).first(),
                by=self.staff,
            )
            self.profiles[username] = profile
        for key, name, kind, leader, members in TEAMS:
            team = team_create(
                name=name,
                kind=kind,
                community=self.community,
                leader=self.users[leader],
                area=self.area,
                by=self.staff,
            )
            for member in members:
                if member in self.profiles:
                    team_add_member(team=team, volunteer=self.profiles[member], by=self.staff)
            self.teams[key] = team
        hours = sum(self.past_activity(*row) for row in PAST)
        for row in UPCOMING:
            self.upcoming_activity(*row)
        # The demo volunteer also fulfilled a micro-wish last month, approved by staff, paid from funded points.
        points_top_up(community=self.community, points=500, source="社区共建单位捐赠（演示）", by=self.staff)
        points_award_action(
            rule=wish_rule, user=self.users["volunteer"], by=self.staff, memo="认领微心愿：陪同老人复查血压"
        )
        offers = self.merchants()
        return (
            f"{len(TEAMS)} teams, {len(PAST)} past and {len(UPCOMING)} upcoming activities, "
            f"{hours} confirmed hours, {len(MERCHANTS)} merchants, {offers} offers"
        )

    def past_activity(self, team_key, title, days_ago, hour, length, place, capacity, attended) -> Decimal:
        """Recorded afterwards by staff (补录往期活动), with the sign-in sheet: everyone on site for the
        whole activity, confirmed by the leader."""
        team = self.teams[team_key]
        starts = self.at(-days_ago, hour)
        ends = starts + datetime.timedelta(minutes=int(Decimal(length) * 60))
        activity = activity_create(
            team=team,
            title=title,
            starts_at=starts,
            ends_at=ends,
            place=place,
            capacity=capacity,
            recorded_afterwards=True,
            by=self.staff,
        )
        confirmed = Decimal(0)
        for username in attended:
            attendance = attendance_record_afterwards(
                activity=activity,
                volunteer=self.profiles[username],
                checked_in_at=starts,
                checked_out_at=ends,
                by=team.leader,
            )
            record = hours_confirm(record=HourRecord.objects.get(attendance=attendance), by=team.leader)
            confirmed += record.hours
        return confirmed

    def upcoming_activity(self, team_key, title, days, hour, length, place, capacity, signups, description):
        team = self.teams[team_key]
        starts = self.at(days, hour)
        activity = activity_create(
            team=team,
            title=title,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=length),
            place=place,
            capacity=capacity,
            description=description,
            by=team.leader,
        )
        for username in signups:
            profile = self.profiles[username]
            activity_sign_up(activity=activity, volunteer=profile, by=profile.user)

    def merchants(self) -> int:
        owner = self.users.get("merchant")
        shops = []
        for n, (shop_name, category, owned, address, phone) in enumerate(MERCHANTS):
            merchant = merchant_create(
                community=self.community,
                shop_name=shop_name,
                owner_name=owner.display_name if owned and owner else ["张建华", "刘淑芬", "王德明"][n - 1],
                address=f"{self.community.name}{address}",
                category=category,
                phone=phone,
                area=self.area,
                owner=owner if owned else None,
                by=self.staff,
            )
            merchant_sign_duties(
                merchant=merchant, by=self.staff, on=self.today - datetime.timedelta(days=90)
            )
            shops.append(merchant)
        # Last month's front-door duty check by the demo grid leader.
        last_month = (self.today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        checks = [
            ((1, 1, 1, 1, 1), ""),
            ((1, 0, 1, 1, 1), "门前有占道经营，已提醒整改"),
            ((1, 1, 1, 1, 0), "店招灯箱松动，已提醒加固"),
        ]
        for merchant, (duties, note) in zip(shops, checks, strict=False):
            duty_inspection_record(
                merchant=merchant,
                month=last_month,
                by=self.users["gridleader"],
                note=note,
                **{name: bool(ok) for (name, _label), ok in zip(FRONT_DOOR_DUTIES, duties, strict=True)},
            )
        valid = self.now + datetime.timedelta(days=60)
        offers = [
            (shops[0], Offer.Kind.COUPON, "爱心券：满50元减10元", "全场通用，不与其他优惠同享", "10", 30, 50),
            (shops[1], Offer.Kind.COUPON, "爱心早餐券：抵8元", "早上六点到九点使用", "8", 20, 30),
            (shops[2], Offer.Kind.COUPON, "爱心券：满100元减15元", "处方药除外", "15", 40, 20),
            (None, Offer.Kind.GOODS, "积分超市：洗衣液一瓶", "到社区党群服务中心兑换", "25", 50, 20),
        ]
        made = []
        for merchant, kind, title, description, value, cost, quantity in offers:
            made.append(
                offer_create(
                    community=self.community,
                    merchant=merchant,
                    kind=kind,
                    title=title,
                    description=description,
                    value=Decimal(value),
                    points_cost=cost,
                    quantity=quantity,
                    valid_until=valid,
                    by=self.staff,
                )
            )
        # The demo volunteer holds a coupon of the demo merchant's shop; the party member already used one
        # there (so the shop's statement shows a redemption).
        coupon_take(offer=made[0], by=self.users["volunteer"])
        if owner is not None:
            used = coupon_take(offer=made[0], by=self.users["partymember"])
            coupon_redeem(token=used.token, by=owner, bill_amount=Decimal("68.50"))
        return len(made)
