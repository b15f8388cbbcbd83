"""The admin's move and recode pages call the services, and both keep history."""

from django.urls import reverse
from django.utils import timezone

from grids.models import CodeChange


def test_move_resident_through_the_admin(world, client):
    client.force_login(world.alice)
    url = reverse("admin:grids_resident_move", args=[world.r1.pk])
    assert client.get(url).status_code == 200
    day = timezone.localdate()
    response = client.post(
        url, {"to_household": str(world.h2.pk), "on": day.isoformat(), "kind": "", "relation": "tenant"}
    )
    assert response.status_code == 302
    world.r1.refresh_from_db()
    assert world.r1.household == world.h2
    history = list(
        world.r1.residences.order_by("moved_in").values_list("household_id", "moved_out", "relation")
    )
    assert history[0][:2] == (world.h1.pk, day) and history[1] == (world.h2.pk, None, "tenant")
    # The change page shows the history inline.
    page = client.get(reverse("admin:grids_resident_change", args=[world.r1.pk])).content.decode()
    assert "居住历史" in page


def test_move_to_another_community_is_not_offered(world, client):
    client.force_login(world.alice)
    url = reverse("admin:grids_resident_move", args=[world.r1.pk])
    response = client.post(url, {"to_household": str(world.h3.pk), "on": timezone.localdate().isoformat()})
    assert response.status_code == 200 and "to_household" in response.context["form"].errors
    world.r1.refresh_from_db()
    assert world.r1.household == world.h1


def test_move_out_of_the_community(world, client):
    client.force_login(world.alice)
    url = reverse("admin:grids_resident_move", args=[world.r2.pk])
    response = client.post(url, {"to_household": "", "on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    world.r2.refresh_from_db()
    assert world.r2.household is None and world.r2.residences.get().moved_out == timezone.localdate()


def test_code_is_read_only_and_recode_keeps_history(world, client):
    client.force_login(world.alice)
    change_url = reverse("admin:grids_building_change", args=[world.b1.pk])
    assert 'name="code"' not in client.get(change_url).content.decode()
    url = reverse("admin:grids_building_recode", args=[world.b1.pk])
    bad = client.post(url, {"new_code": "330199001002001001", "reason": "区划调整"})
    assert bad.status_code == 200 and bad.context["form"].errors
    response = client.post(url, {"new_code": "330199001001001021", "reason": "区划调整"})
    assert response.status_code == 302
    world.b1.refresh_from_db()
    assert world.b1.code == "330199001001001021"
    change = CodeChange.objects.get(content_type__model="building")
    assert (change.old_code, change.changed_by, change.reason) == (
        "330199001001001001",
        world.alice,
        "区划调整",
    )
    assert "330199001001001001" in client.get(change_url).content.decode()


def test_officials_and_outsiders_cannot_recode(world, client):
    client.force_login(world.sam)
    assert (
        client.post(
            reverse("admin:grids_building_recode", args=[world.b1.pk]), {"new_code": "1", "reason": "x"}
        ).status_code
        == 403
    )
    client.force_login(world.erin)
    response = client.post(
        reverse("admin:grids_building_recode", args=[world.b1.pk]), {"new_code": "1", "reason": "x"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    assert not CodeChange.objects.exists()
