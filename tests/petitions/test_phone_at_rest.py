"""A requester's phone, its SMS code, the SMS log and the per-phone limits keep no clear number in their
tables (grids.models.EncryptedPhone); the workbench still finds the request by the number."""

import pytest
from django.db import connection

from accounts.models import User
from notifications.models import SmsLog
from petitions import antispam, selectors
from petitions.models import Petition, PhoneCode, RateLimitHit

pytestmark = pytest.mark.sqlite

PHONE = "13811112222"


def raw_text(model):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
        return " ".join(str(value) for row in cursor.fetchall() for value in row)


def test_no_clear_phone_in_the_request_code_sms_and_limit_tables(world, submit):
    p = submit(world, phone=PHONE)
    antispam.send_phone_code(PHONE)
    assert not antispam.rate_limited("submit_phone", PHONE)
    for model in (Petition, PhoneCode, SmsLog, RateLimitHit):
        assert model.objects.exists()
        assert PHONE not in raw_text(model), model
    assert Petition.objects.get(pk=p.pk).phone_masked == "138****2222"


def test_the_sms_code_is_checked_by_the_blind_index(world):
    antispam.send_phone_code(PHONE)
    code = SmsLog.objects.get(template="verify_code").params["code"]
    assert not antispam.verify_phone_code("13811112223", code)
    assert antispam.verify_phone_code(PHONE, code)


def test_the_workbench_search_finds_the_whole_number_and_the_last_4(world, submit):
    p = submit(world, phone=PHONE)
    submit(world, phone="13900003333")
    staff = User.objects.get(pk=world.alice.pk)
    found = Petition.objects.filter(selectors.search_q(staff, PHONE))
    assert list(found) == [p]
    assert list(Petition.objects.filter(selectors.search_q(staff, "2222"))) == [p]
