"""Service points are written through services: coordinates inside China, staff of the community only,
alliance merchants only from the merchant register."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from servicemap.models import BuildingLocation, Kind, MerchantLocation, ServicePoint
from servicemap.services import building_location_save, merchant_location_save, service_point_save

pytestmark = pytest.mark.django_db


def new_point(world, **fields):
    values = {
        "community": world.c1,
        "kind": Kind.CLINIC,
        "name": "社区卫生服务站",
        "latitude": Decimal("30.274100"),
        "longitude": Decimal("120.155100"),
    }
    values.update(fields)
    return ServicePoint(**values)


def test_staff_add_a_point(world):
    point = service_point_save(point=new_point(world, phone="0571-88001234"), by=world.alice)
    assert ServicePoint.objects.get(pk=point.pk).phone == "0571-88001234"


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [
        ("48.856600", "2.352200", "longitude"),  # Paris
        ("-33.868800", "151.209300", "latitude"),  # Sydney
        ("120.155100", "30.274100", "latitude"),  # swapped
    ],
)
def test_a_coordinate_outside_china_is_refused(world, latitude, longitude, field):
    point = new_point(world, latitude=Decimal(latitude), longitude=Decimal(longitude))
    with pytest.raises(ValidationError) as refused:
        service_point_save(point=point, by=world.alice)
    assert field in refused.value.message_dict
    assert "中国" in " ".join(refused.value.message_dict[field])
    assert not ServicePoint.objects.exists()


def test_a_merchant_location_outside_china_is_refused(circle):
    location = MerchantLocation.objects.get(merchant=circle.shop)
    location.longitude = Decimal("-0.127800")
    with pytest.raises(ValidationError) as refused:
        merchant_location_save(location=location, by=circle.alice)
    assert "longitude" in refused.value.message_dict
    assert MerchantLocation.objects.get(merchant=circle.shop).longitude > 100


def test_another_communitys_staff_may_not_add_or_move_points(circle):
    with pytest.raises(PermissionDenied):
        service_point_save(point=new_point(circle), by=circle.erin)
    # Moving c1's clinic into c2 is refused too: erin never held it.
    circle.clinic.community = circle.c2
    with pytest.raises(PermissionDenied):
        service_point_save(point=circle.clinic, by=circle.erin)
    # And an official above only looks.
    with pytest.raises(PermissionDenied):
        service_point_save(point=new_point(circle), by=circle.sam)
    assert ServicePoint.objects.filter(community=circle.c1).count() == 3


def test_alliance_merchants_are_not_typed_in(world):
    with pytest.raises(ValidationError) as refused:
        service_point_save(point=new_point(world, kind=Kind.ALLIANCE_MERCHANT), by=world.alice)
    assert "kind" in refused.value.message_dict


def test_a_bad_work_phone_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        service_point_save(point=new_point(world, phone="call me"), by=world.alice)
    assert "phone" in refused.value.message_dict


def test_building_location_by_staff_of_its_community(world):
    location = BuildingLocation(building=world.b1, latitude=Decimal("30.27"), longitude=Decimal("120.15"))
    with pytest.raises(PermissionDenied):
        building_location_save(location=location, by=world.erin)
    building_location_save(location=location, by=world.alice)
    assert BuildingLocation.objects.get(building=world.b1).latitude == Decimal("30.27")
