"""The workbench search: by tracking code (as people type it), text, the resident's name and the last 4
digits of a phone, within the user's patch; each row shows the first line of what was asked."""

import re

import pytest

from petitions.models import Petition

pytestmark = pytest.mark.django_db


def found(client, q, **params):
    response = client.get("/workbench/", {"tab": "all", "q": q, **params})
    assert response.status_code == 200
    return {p.pk for p in response.context["page"].object_list}


def test_search_by_code_text_name_and_last_4_digits(world, client, submit):
    lamp = submit(world, description="1栋楼道灯坏了\n晚上看不见", submitter_name="王阿姨")
    # Filed for 张桂兰's dwelling (h1, her phone ends 5678) by the grid leader, without a phone of its own.
    bin_ = submit(
        world, description="垃圾桶破损", household=world.h1, phone="", channel="visit", by=world.bob
    )
    client.force_login(world.alice)
    code = lamp.tracking_code
    assert found(client, code) == {lamp.pk}
    assert found(client, f" {code[:4].lower()}-{code[4:8]} {code[8:].lower()} ") == {lamp.pk}
    assert found(client, "楼道灯") == {lamp.pk}
    assert found(client, "王阿姨") == {lamp.pk}
    assert found(client, "张桂兰") == {bin_.pk}
    assert found(client, "2222") == {lamp.pk}  # the petitioner's phone 13811112222
    assert found(client, "5678") == {bin_.pk}  # the household member's phone 13812345678
    assert found(client, "1111") == set()  # the middle digits of 13811112222 are not its end
    assert found(client, "") == {lamp.pk, bin_.pk}
    html = client.get("/workbench/", {"tab": "all", "q": "2222"}).content.decode()
    assert "13811112222" not in html and "晚上看不见" not in html  # masked; only the first line shown


def test_search_stays_inside_the_users_patch(world, client, submit):
    other = submit(world, building=world.b3, description="银杏里路灯不亮")
    client.force_login(world.alice)
    assert found(client, "路灯") == set()
    assert found(client, other.tracking_code) == set()
    assert found(client, "2222") == set()
    client.force_login(world.erin)
    assert found(client, "路灯") == {other.pk}


def test_a_long_first_line_is_cut_in_the_row(world, client, submit):
    submit(world, description="路灯" * 40)
    client.force_login(world.alice)
    cell = re.search(r'class="first-line">([^<]*)<', client.get("/workbench/").content.decode()).group(1)
    assert cell.startswith("路灯路灯") and len(cell) <= 42 and "路灯" * 40 not in cell  # "…" or "..."


def test_period_filter_and_a_wrong_date_named_on_the_page(world, client, submit):
    p = submit(world)
    client.force_login(world.alice)
    today = p.created_at.astimezone().date()
    assert found(client, "", start=today.isoformat(), end=today.isoformat()) == {p.pk}
    assert found(client, "", start=(today.replace(year=today.year + 1)).isoformat()) == set()
    response = client.get("/workbench/", {"tab": "all", "start": "2024-02-31", "end": "x"})
    assert response.status_code == 200
    assert {q.pk for q in response.context["page"].object_list} == {p.pk}  # the bad filter is left out
    assert "有效的日期" in response.content.decode() or "valid date" in response.content.decode()
    response = client.get("/workbench/", {"tab": "all", "start": "2024-03-02", "end": "2024-03-01"})
    assert "结束日期早于开始日期" in response.content.decode()


def test_the_petitioners_last_4_digits_are_kept(world, submit):
    # Old rows are filled by the encryption migration (tests/grids/test_phone_encryption.py).
    p = submit(world)
    assert Petition.objects.get(pk=p.pk).phone_last4 == "2222"


def test_the_pages_of_a_search_keep_the_search(world, client, submit):
    for i in range(21):
        submit(world, description=f"路灯{i}")
    submit(world, description="垃圾桶破损")
    client.force_login(world.alice)
    first = client.get("/workbench/", {"q": "路灯"})
    assert first.context["page"].paginator.count == 21
    assert "?q=%E8%B7%AF%E7%81%AF&amp;page=2" in first.content.decode()
    assert len(client.get("/workbench/", {"q": "路灯", "page": 2}).context["page"].object_list) == 1
