"""Bad input through the admin: each refused with a translated message, nothing saved."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import RoleAssignment
from accounts.roles import Role
from grids.models import Building, Residence, Resident
from grids.validators import id_check_digit
from tests.factories import UserFactory, make_id_number

GOOD_ID = make_id_number(40, birth=datetime.date(1972, 8, 9), male=True)
WRONG_CHECK = GOOD_ID[:17] + ("1" if GOOD_ID[17] != "1" else "2")


def resident_post(world, **overrides):
    data = {
        "name": "陈志强",
        "gender": "M",
        "birth_date": "1972-08-09",
        "id_type": "resident_id",
        "id_number_new": GOOD_ID,
        "phone_new": "13511112222",
        "notes": "",
        "household": str(world.h1.pk),
        "kind": "permanent",
        "relation": "head",
        "moved_in": "2024-01-05",
        "residences-TOTAL_FORMS": "0",
        "residences-INITIAL_FORMS": "0",
        "_save": "1",
    }
    data.update(overrides)
    return data


def test_good_resident_is_saved_through_the_service(world, client):
    client.force_login(world.alice)
    response = client.post(reverse("admin:grids_resident_add"), resident_post(world))
    assert response.status_code == 302, response.context["adminform"].form.errors
    resident = Resident.objects.get(name="陈志强")
    assert (
        resident.household == world.h1 and resident.id_number_masked == GOOD_ID[:4] + "*" * 10 + GOOD_ID[-4:]
    )
    residence = resident.residences.get()
    assert (residence.kind, residence.relation, residence.moved_in) == (
        "permanent",
        "head",
        datetime.date(2024, 1, 5),
    )
    # The change page never shows the clear numbers back.
    page = client.get(reverse("admin:grids_resident_change", args=[resident.pk])).content.decode()
    assert GOOD_ID not in page and "13511112222" not in page
    assert resident.id_number_masked in page and "135****2222" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"id_number_new": "33019919720809"}, "id_number_new", "应为18位"),
        ({"id_number_new": WRONG_CHECK}, "id_number_new", "校验位不正确"),
        ({"birth_date": "1973-08-09"}, "birth_date", "出生日期与证件号码不符"),
        ({"gender": "F"}, "gender", "性别与证件号码不符"),
        ({"phone_new": "1381234567"}, "phone_new", "11位手机号"),
        ({"phone_new": "23812345678"}, "phone_new", "11位手机号"),
        ({"id_type": "permanent_residence"}, "id_number_new", "以 9 开头"),
        (
            {"id_number_new": make_id_number(1, male=False), "birth_date": "", "gender": ""},
            "id_number_new",
            "已登记",
        ),
        ({"household": str(0)}, "household", ""),
    ],
)
def test_bad_resident_refused(world, client, overrides, field, message):
    client.force_login(world.alice)
    before = (Resident.objects.count(), Residence.objects.count())
    response = client.post(reverse("admin:grids_resident_add"), resident_post(world, **overrides))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert (Resident.objects.count(), Residence.objects.count()) == before


def test_resident_in_other_community_refused(world, client):
    client.force_login(world.alice)
    response = client.post(
        reverse("admin:grids_resident_add"), resident_post(world, household=str(world.h3.pk))
    )
    assert response.status_code == 200
    assert "household" in response.context["adminform"].form.errors
    assert not Resident.objects.filter(name="陈志强").exists()


def test_permanent_residence_id_accepted(world, client):
    first17 = "9" + GOOD_ID[1:17]
    client.force_login(world.alice)
    response = client.post(
        reverse("admin:grids_resident_add"),
        resident_post(world, id_type="permanent_residence", id_number_new=first17 + id_check_digit(first17)),
    )
    assert response.status_code == 302


def test_edit_birth_date_checked_against_stored_id(world, client):
    client.force_login(world.alice)
    url = reverse("admin:grids_resident_change", args=[world.r1.pk])
    data = resident_post(
        world, name="张桂兰", gender="F", birth_date="1961-05-17", id_number_new="", phone_new=""
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "出生日期与证件号码不符" in " ".join(response.context["adminform"].form.errors["birth_date"])
    world.r1.refresh_from_db()
    assert world.r1.birth_date == datetime.date(1960, 5, 17)
    # A valid edit keeps the stored numbers when the write-only fields stay empty.
    data["birth_date"], data["name"] = "1960-05-17", "张桂芝"
    assert client.post(url, data).status_code == 302
    world.r1.refresh_from_db()
    assert (world.r1.name, world.r1.phone) == ("张桂芝", "13812345678")
    assert world.r1.reveal_id_number() == make_id_number(1, male=False)


def building_post(world, **overrides):
    data = {
        "name": "8栋",
        "code": "330199001001001008",
        "community": str(world.c1.pk),
        "area": str(world.area1.pk),
        "grid": str(world.g1.pk),
        "unit_count": "2",
        "floor_count": "6",
        "leader": "",
    }
    data.update(overrides)
    return data


def test_building_in_other_community_than_its_area(world, client, admin_user):
    client.force_login(admin_user)
    # The code fits the area (area2, community two) but the building is said to be in community one.
    data = building_post(world, area=str(world.area2.pk), code="330199001002001008", grid="")
    response = client.post(reverse("admin:grids_building_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "不属于该楼栋所在的社区" in " ".join(errors["area"]), errors
    assert not Building.objects.filter(code="330199001002001008").exists()


def test_building_with_area_outside_scope(world, client):
    client.force_login(world.alice)
    response = client.post(
        reverse("admin:grids_building_add"), building_post(world, area=str(world.area2.pk))
    )
    assert response.status_code == 200
    assert "area" in response.context["adminform"].form.errors
    assert not Building.objects.filter(name="8栋").exists()
    # The same building inside the community is accepted.
    response = client.post(reverse("admin:grids_building_add"), building_post(world))
    assert response.status_code == 302
    assert Building.objects.filter(name="8栋", community=world.c1).exists()


def test_grid_leader_outside_their_community(world, client, admin_user):
    newcomer = UserFactory(username="nick", community=world.c1, is_staff=False)
    data = {
        "user": str(newcomer.pk),
        "role": Role.GRID_LEADER,
        "grid": str(world.g3.pk),
        "valid_from": "2024-01-01",
    }
    client.force_login(admin_user)
    response = client.post(reverse("admin:accounts_roleassignment_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert any("不能" in e and "社区" in e for e in errors), errors
    # Community staff cannot even pick another community's grid.
    client.force_login(world.alice)
    response = client.post(reverse("admin:accounts_roleassignment_add"), data)
    assert response.status_code == 200
    assert "grid" in response.context["adminform"].form.errors
    assert not RoleAssignment.objects.filter(user=newcomer).exists()
    data["grid"] = str(world.g1.pk)
    assert client.post(reverse("admin:accounts_roleassignment_add"), data).status_code == 302
    assert RoleAssignment.objects.filter(user=newcomer, grid=world.g1).exists()
