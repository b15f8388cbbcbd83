"""Personal data in the admin: masked in lists, encrypted in the table, revealed only by a logged POST."""

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import RevealLog
from grids.models import ResidentTag


def test_changelist_masks_phone_and_id(world, client):
    client.force_login(world.alice)
    body = client.get("/admin/grids/resident/").content.decode()
    assert "138****5678" in body and "13812345678" not in body
    assert world.r1.id_number_masked in body and world.r1.reveal_id_number() not in body


def test_search_by_last_four_phone_digits(world, client):
    client.force_login(world.alice)
    body = client.get("/admin/grids/resident/", {"q": "5678"}).content.decode()
    assert "张桂兰" in body and "李建国" not in body
    # Erin's community does not contain this resident: the search does not leak it.
    client.force_login(world.erin)
    assert "张桂兰" not in client.get("/admin/grids/resident/", {"q": "5678"}).content.decode()


def test_raw_id_number_is_not_in_the_table(world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM grids_resident")
        rows = cursor.fetchall()
    text = repr(rows)
    for r in (world.r1, world.r2, world.r3):
        number = r.reveal_id_number()
        assert len(number) == 18 and number not in text
        assert number[6:14] not in "".join(str(v) for row in rows for v in row if isinstance(v, str))


def test_reveal_in_admin_is_post_only_and_logged(world, client):
    client.force_login(world.alice)
    url = reverse("admin:grids_resident_reveal", args=[world.r1.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "13812345678" not in page.content.decode() and not RevealLog.objects.exists()
    # A reason is required.
    response = client.post(url, {"field": "phone", "reason": ""})
    assert "13812345678" not in response.content.decode() and not RevealLog.objects.exists()
    response = client.post(url, {"field": "id_number", "reason": "核实低保申请"})
    assert world.r1.reveal_id_number() in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    log = RevealLog.objects.get()
    assert (log.user, log.resident, log.field, log.reason) == (
        world.alice,
        world.r1,
        "id_number",
        "核实低保申请",
    )


@pytest.mark.parametrize("who", ["sam", "dana"])
def test_officials_cannot_reveal(world, client, who):
    client.force_login(getattr(world, who))
    url = reverse("admin:grids_resident_reveal", args=[world.r1.pk])
    assert client.post(url, {"field": "phone", "reason": "看看"}).status_code == 403
    assert not RevealLog.objects.exists()


@pytest.mark.parametrize("who", ["vera", "pete"])
def test_volunteer_and_party_member_cannot_reveal(world, client, who):
    client.force_login(getattr(world, who))
    url = reverse("admin:grids_resident_reveal", args=[world.r1.pk])
    response = client.post(url, {"field": "phone", "reason": "看看"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not RevealLog.objects.exists()


def test_reveal_log_is_read_only_and_scoped(world, client):
    from grids.services import resident_reveal

    resident_reveal(resident=world.r1, field="phone", by=world.alice, reason="入户走访")
    resident_reveal(resident=world.r3, field="phone", by=world.gwen, reason="入户走访")
    client.force_login(world.alice)
    body = client.get("/admin/accounts/reveallog/").content.decode()
    assert "张桂兰" in body and "王秀英" not in body
    log = RevealLog.objects.get(resident=world.r1)
    change = client.post(reverse("admin:accounts_reveallog_change", args=[log.pk]), {"reason": "改"})
    assert change.status_code == 403
    assert (
        client.post(reverse("admin:accounts_reveallog_delete", args=[log.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert RevealLog.objects.count() == 2


def test_sensitive_tags_hidden_without_the_role(world, client, admin_user):
    from grids.selectors import tags_visible_to

    lonely = ResidentTag.objects.create(code="lonely", name="独居老人")
    health = ResidentTag.objects.create(code="health", name="精神障碍", sensitive=True)
    world.r1.tags.set([lonely, health])
    assert set(tags_visible_to(world.vera)) == {lonely}
    assert set(tags_visible_to(world.mia)) == {lonely}
    assert set(tags_visible_to(world.alice)) == {lonely, health}
    client.force_login(world.alice)
    assert "精神障碍" in client.get("/admin/grids/resident/").content.decode()
