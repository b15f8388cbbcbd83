"""A community centre for c1 and a few service points around it (metres east/north of the centre)."""

from decimal import Decimal

import pytest

from servicemap.management.commands.seed_servicemap import offset
from servicemap.models import Kind, MerchantLocation, ServicePoint
from volunteers.models import Merchant

CENTRE = (Decimal("30.274100"), Decimal("120.155100"))


@pytest.fixture
def circle(world):
    """c1 centred on CENTRE with a clinic 600 m away, a pharmacy 200 m, a toilet 1.5 km, and an alliance
    merchant 400 m away; c2 has a point of its own."""
    world.c1.latitude, world.c1.longitude = CENTRE
    world.c1.save()

    def point(community, kind, name, east, north, **extra):
        lat, lng = offset(CENTRE, east, north)
        return ServicePoint.objects.create(
            community=community, kind=kind, name=name, latitude=lat, longitude=lng, **extra
        )

    world.clinic = point(world.c1, Kind.CLINIC, "社区卫生服务站", 600, 0, phone="0571-87001002")
    world.pharmacy = point(world.c1, Kind.PHARMACY, "仁心药房", 0, 200, opening_hours="每天 8:00-22:00")
    world.toilet = point(world.c1, Kind.PUBLIC_TOILET, "公共厕所", -1500, 0)
    world.other = point(world.c2, Kind.LIBRARY, "银杏书屋", 0, 10)
    world.shop = Merchant.objects.create(
        community=world.c1,
        shop_name="邻里便民超市",
        owner_name="张建华",
        phone="17000001001",
        address="和平路18号",
        category=Merchant.Category.GROCERY,
    )
    lat, lng = offset(CENTRE, 0, -400)
    MerchantLocation.objects.create(merchant=world.shop, latitude=lat, longitude=lng, phone="0571-87009999")
    world.point = point
    return world


def many_points(world, n):
    """n more service points of c1, spread out, created in one query."""
    ServicePoint.objects.bulk_create(
        ServicePoint(
            community=world.c1,
            kind=Kind.CONVENIENCE_STORE,
            name=f"便利店{i}",
            latitude=offset(CENTRE, 30 * i, 0)[0],
            longitude=offset(CENTRE, 30 * i, 0)[1],
        )
        for i in range(n)
    )
