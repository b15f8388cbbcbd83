"""Demo 15-minute service circle for the first community of each demo (after `seed_demo` and
`seed_volunteers`): the community's centre when it has none, a dozen service points around it, positions
for the alliance merchants' shops and for the buildings.

    python manage.py seed_servicemap

Every write goes through the services (`grids.services.place_save` for the centre) as the demo staff
member; a point already there (same name in the same community) and a position already recorded are left
alone, so a second run changes nothing.
"""

import math
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import RoleAssignment, User
from accounts.roles import Role
from grids.models import Building
from grids.services import place_save
from servicemap.models import BuildingLocation, Kind, MerchantLocation, ServicePoint
from servicemap.services import building_location_save, merchant_location_save, service_point_save
from volunteers.models import Merchant

LEADER_SUFFIX = "gridleader"
# A made-up centre in a Chinese city; the demo places are metres east and north of it.
DEMO_CENTRE = (Decimal("30.274100"), Decimal("120.155100"))

POINTS = [
    # kind, name, metres east, metres north, address, opening hours, work phone, note
    (
        Kind.SERVICE_CENTRE,
        "社区党群服务中心",
        40,
        30,
        "和平路1号",
        "周一至周日 8:30-17:30",
        "0571-87001001",
        "办事、咨询、议事",
    ),
    (
        Kind.CLINIC,
        "社区卫生服务站",
        260,
        -120,
        "和平路40号",
        "周一至周六 8:00-17:00",
        "0571-87001002",
        "慢病随访、家庭医生签约",
    ),
    (Kind.PHARMACY, "仁心平价药房", -310, 150, "安居街22号", "每天 8:00-22:00", "0571-87001003", ""),
    (
        Kind.ELDERLY_CANTEEN,
        "幸福长者食堂",
        120,
        220,
        "和平路12号一楼",
        "午餐 11:00-12:30，晚餐 17:00-18:00",
        "0571-87001004",
        "80岁以上老人用餐有补贴",
    ),
    (
        Kind.DAY_CARE,
        "居家养老日间照料中心",
        180,
        260,
        "和平路12号二楼",
        "周一至周五 8:00-17:00",
        "0571-87001005",
        "午休、康复、助浴",
    ),
    (
        Kind.CULTURE_ROOM,
        "邻里文化活动室",
        -90,
        -60,
        "社区服务中心三楼",
        "每天 9:00-21:00",
        "",
        "书画、合唱、棋牌",
    ),
    (
        Kind.LIBRARY,
        "社区书屋",
        -60,
        -40,
        "社区服务中心二楼",
        "周二至周日 9:00-20:00",
        "",
        "可办理市图书馆借书证",
    ),
    (Kind.CONVENIENCE_STORE, "邻家便利店", 520, 330, "长乐路5号", "24小时", "0571-87001008", ""),
    (
        Kind.PUBLIC_TOILET,
        "公共厕所（安居街）",
        -420,
        -260,
        "安居街与清河路口",
        "全天开放",
        "",
        "设无障碍厕位",
    ),
    (
        Kind.CHARGING_POINT,
        "电动自行车充电点",
        330,
        -380,
        "小区北门车棚",
        "全天",
        "12345",
        "扫码充电，按小时计费",
    ),
    (
        Kind.CLINIC,
        "口腔诊所",
        850,
        640,
        "望江路88号",
        "周一至周日 9:00-18:00",
        "0571-87001011",
        "超出15分钟步行范围",
    ),
    (
        Kind.LIBRARY,
        "街道图书馆",
        -1150,
        700,
        "街道文化中心一楼",
        "周二至周日 9:00-17:00",
        "0571-87001012",
        "",
    ),
]
SHOP_HOURS = "每天 8:00-21:00"


def offset(centre, east_m, north_m):
    lat, lng = float(centre[0]), float(centre[1])
    d_lat = north_m / 110540
    d_lng = east_m / (111320 * math.cos(math.radians(lat)))
    return Decimal(f"{lat + d_lat:.6f}"), Decimal(f"{lng + d_lng:.6f}")


class Command(BaseCommand):
    help = "Add demo service points around the first demo community of each scale (idempotent)."

    def handle(self, *args, **options):
        leaders = (
            RoleAssignment.objects.active()
            .filter(role=Role.GRID_LEADER, user__username__endswith=LEADER_SUFFIX)
            .select_related("user", "grid__community")
            .order_by("pk")
        )
        for assignment in leaders:
            prefix = assignment.user.username.removesuffix(LEADER_SUFFIX)
            community = assignment.grid.community
            staff = User.objects.filter(username=f"{prefix}staff").first()
            if staff is None:
                continue
            with transaction.atomic():
                summary = self.load(community, staff)
            self.stdout.write(f"{community}: {summary}")

    def load(self, community, staff) -> str:
        if community.latitude is None or community.longitude is None:
            community.latitude, community.longitude = DEMO_CENTRE
            place_save(place=community, by=staff)
        centre = (community.latitude, community.longitude)
        names = set(ServicePoint.objects.filter(community=community).values_list("name", flat=True))
        added = 0
        for kind, name, east, north, address, hours, phone, note in POINTS:
            if name in names:
                continue
            lat, lng = offset(centre, east, north)
            point = ServicePoint(
                community=community,
                kind=kind,
                name=name,
                address=f"{community.name}{address}",
                latitude=lat,
                longitude=lng,
                opening_hours=hours,
                phone=phone,
                note=note,
            )
            service_point_save(point=point, by=staff)
            added += 1
        merchants = list(
            Merchant.objects.in_alliance()
            .filter(community=community, map_location__isnull=True)
            .order_by("pk")
        )
        for n, merchant in enumerate(merchants):
            angle = math.radians(40 + n * 75)
            lat, lng = offset(centre, 380 * math.cos(angle), 380 * math.sin(angle))
            location = MerchantLocation(
                merchant=merchant, latitude=lat, longitude=lng, opening_hours=SHOP_HOURS
            )
            merchant_location_save(location=location, by=staff)
        buildings = list(
            Building.objects.filter(community=community, map_location__isnull=True).order_by("code")
        )
        for n, building in enumerate(buildings):
            lat, lng = offset(centre, -250 + (n % 4) * 140, -200 + (n // 4) * 110)
            building_location_save(
                location=BuildingLocation(building=building, latitude=lat, longitude=lng), by=staff
            )
        return (
            f"{added} service points, {len(merchants)} merchant positions, "
            f"{len(buildings)} building positions added"
        )
