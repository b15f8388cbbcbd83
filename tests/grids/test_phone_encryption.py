"""Residents' and account holders' phones are encrypted at rest (grids.models.EncryptedPhone): the table
holds ciphertext, a blind index, the last 4 digits and the mask; search, login and reveal still work, and
the data migration converts clear rows both ways."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.backends import UsernameOrPhoneBackend, find_login_user
from accounts.models import RevealLog
from grids import pii, services
from grids.models import Resident
from notifications.models import SmsLog
from petitions.models import PhoneCode
from tests import factories as f

pytestmark = pytest.mark.sqlite


def raw_rows(table):
    """Every column of every row as text, read with SQL past the model."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - a fixed name
        return [" ".join(str(value) for value in row) for row in cursor.fetchall()]


def test_no_clear_phone_in_the_resident_and_user_tables(world):
    f.UserFactory(username="zhao", phone="13512349876")
    services.resident_create(by=world.alice, household=world.h1, name="赵美华", phone="13600001234")
    residents, users = raw_rows("grids_resident"), raw_rows("accounts_user")
    for phone in ("13812345678", "13987654321", "13600001234"):
        assert not any(phone in row for row in residents)
    assert not any("13512349876" in row for row in users)
    # What the table does hold: the mask for lists and the last 4 digits for "ending 1234".
    stored = Resident.objects.get(name="赵美华")
    assert (stored.phone_masked, stored.phone_last4) == ("136****1234", "1234")
    assert stored.phone_encrypted and stored.phone == "13600001234"


def test_a_resident_is_found_by_the_whole_number_and_by_the_last_4(world):
    assert set(Resident.objects.matching("13812345678")) == {world.r1}
    assert set(Resident.objects.matching("138 1234 5678")) == {world.r1}
    assert set(Resident.objects.matching("5678")) == {world.r1}
    assert set(Resident.objects.matching("13812345670")) == set()


def test_admin_search_by_the_whole_number_uses_the_blind_index(world, client):
    client.force_login(world.alice)
    response = client.get("/admin/grids/resident/", {"q": "13987654321"})
    assert response.status_code == 200
    assert [r.pk for r in response.context["cl"].result_list] == [world.r2.pk]
    assert "139****4321" in response.content.decode()


def test_login_by_phone_and_the_unique_number_go_through_the_blind_index(world):
    user = f.UserFactory(username="zhao", phone="13512349876")
    assert find_login_user("13512349876") == user
    assert (
        UsernameOrPhoneBackend().authenticate(None, username="13512349876", password=world.password) == user
    )
    other = f.UserFactory(username="qian")
    other.phone = "13512349876"
    with pytest.raises(ValidationError) as error:
        other.full_clean(exclude=["password"])
    assert list(error.value.message_dict) == ["phone_index"]


def test_a_changed_phone_is_re_encrypted_and_the_old_number_no_longer_matches(world):
    services.resident_update(resident=world.r1, by=world.alice, phone="13900004321")
    r1 = Resident.objects.get(pk=world.r1.pk)
    assert (r1.phone, r1.phone_last4, r1.phone_index) == (
        "13900004321",
        "4321",
        pii.phone_index("13900004321"),
    )
    assert not Resident.objects.matching("13812345678").exists()


def test_a_bad_phone_is_refused_by_the_model_check_and_nothing_changes(world):
    with pytest.raises(ValidationError) as error:
        services.resident_update(resident=world.r1, by=world.alice, phone="12345")
    assert "phone" in error.value.message_dict
    assert Resident.objects.get(pk=world.r1.pk).phone == "13812345678"


def test_the_reveal_decrypts_and_is_logged(world):
    value = services.resident_reveal(resident=world.r1, field="phone", by=world.alice, reason="上门核实")
    assert value == "13812345678"
    assert RevealLog.objects.filter(user=world.alice, resident=world.r1, field="phone").count() == 1


BEFORE = [
    ("grids", "0002_resident_phone_last4"),
    ("accounts", "0003_user_work_phone"),
    ("petitions", "0013_petition_resolved_at_index"),
    ("notifications", "0002_wechat_channel"),
]


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_encrypts_clear_rows_and_its_reverse_decrypts_them():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        OldResident = old.get_model("grids", "Resident")
        clear = OldResident.objects.create(name="钱多多", phone="13712345678", phone_last4="5678")
        blank = OldResident.objects.create(name="孙小小", phone="")
        user = old.get_model("accounts", "User").objects.create(username="li", phone="13698765432")
        sms = old.get_model("notifications", "SmsLog").objects.create(
            phone="13511112222", template="verify_code", params={}, idempotency_key="k1"
        )
        code = old.get_model("petitions", "PhoneCode").objects.create(
            phone="13511112222", code_hash="x", expires_at=timezone.now()
        )
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        assert not any("13712345678" in row for row in raw_rows("grids_resident"))
        assert not any("13698765432" in row for row in raw_rows("accounts_user"))
        converted = Resident.objects.get(pk=clear.pk)
        assert (converted.phone, converted.phone_masked, converted.phone_last4) == (
            "13712345678",
            "137****5678",
            "5678",
        )
        assert Resident.objects.matching("13712345678").get() == converted
        assert Resident.objects.get(pk=blank.pk).phone_index is None
        assert find_login_user("13698765432").pk == user.pk
        assert not any("13511112222" in row for row in raw_rows("notifications_smslog"))
        assert not any("13511112222" in row for row in raw_rows("petitions_phonecode"))
        assert SmsLog.objects.get(pk=sms.pk).phone == "13511112222"
        assert PhoneCode.objects.get(phone_index=pii.phone_index("13511112222")).pk == code.pk
        # And back: the clear column returns with the numbers in it.
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        assert old.get_model("grids", "Resident").objects.get(pk=clear.pk).phone == "13712345678"
        assert old.get_model("grids", "Resident").objects.get(pk=blank.pk).phone == ""
        assert old.get_model("accounts", "User").objects.get(pk=user.pk).phone == "13698765432"
        assert old.get_model("notifications", "SmsLog").objects.get(pk=sms.pk).phone == "13511112222"
        assert old.get_model("petitions", "PhoneCode").objects.get(pk=code.pk).phone == "13511112222"
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
