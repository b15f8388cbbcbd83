"""The stored last 4 digits of a resident's phone: kept by every save and what a "5678" search looks in,
so no query needs the clear number (the encryption migration fills them: test_phone_encryption)."""

import pytest

from grids import services
from grids.models import Resident

pytestmark = pytest.mark.sqlite


def test_the_service_keeps_the_last_4_digits_with_the_phone(world):
    r = services.resident_create(by=world.alice, household=world.h1, name="赵美华", phone="13600001234")
    assert Resident.objects.get(pk=r.pk).phone_last4 == "1234"
    services.resident_update(resident=r, by=world.alice, phone="13900004321")
    assert Resident.objects.get(pk=r.pk).phone_last4 == "4321"
    services.resident_update(resident=r, by=world.alice, phone="")
    assert Resident.objects.get(pk=r.pk).phone_last4 == ""


def test_a_save_of_the_phone_field_alone_writes_the_last_4_too(world):
    world.r1.phone = "13811119999"
    world.r1.save(update_fields=["phone"])
    assert Resident.objects.get(pk=world.r1.pk).phone_last4 == "9999"


def test_matching_finds_a_name_or_the_last_4_digits_never_a_middle_part(world):
    assert set(Resident.objects.matching("5678")) == {world.r1}
    assert set(Resident.objects.matching(" 4321 ")) == {world.r2}
    assert set(Resident.objects.matching("1234")) == set()  # 138[1234]5678: the middle, not the end
    assert set(Resident.objects.matching("桂兰")) == {world.r1}


def test_admin_search_by_last_4_uses_the_stored_column(world, client):
    # The column, not the clear phone, is searched: a row whose column says 0000 is found by 0000.
    Resident.objects.filter(pk=world.r1.pk).update(phone_last4="0000")
    client.force_login(world.alice)
    response = client.get("/admin/grids/resident/", {"q": "0000"})
    assert response.status_code == 200
    assert [r.pk for r in response.context["cl"].result_list] == [world.r1.pk]
