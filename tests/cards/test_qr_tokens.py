"""A building's QR token: issued, shown and replaced on the building page and in the admin; a replaced
token no longer fills in the building and says so kindly. Cards are for the community's staff only."""

import pytest
from django.urls import reverse

from cards import services
from cards.models import CardPrint, RetiredQrToken
from tests import factories as f


def test_scan_opens_the_form_with_the_building(world, client):
    response = client.get("/q/b1token/")
    assert response.status_code == 302 and response["Location"] == "/petitions/new/?building=b1token"
    page = client.get(response["Location"]).content.decode()
    assert "1栋" in page and 'name="building" value="b1token"' in page


def test_replaced_token_stops_working_and_says_so_kindly(world, client_for, client):
    staff = client_for(world.alice)
    response = staff.post(reverse("cards:building-qr", args=[world.b1.pk]), {"action": "rotate"})
    assert response.status_code == 302
    world.b1.refresh_from_db()
    assert world.b1.qr_token != "b1token" and RetiredQrToken.objects.filter(token="b1token").exists()
    client.logout()
    old = client.get("/q/b1token/")
    assert old.status_code == 410
    page = old.content.decode()
    assert "这个二维码已更换" in page and "桂花苑1栋" in page
    assert 'href="/petitions/new/"' in page
    # The old token typed into the form no longer fills in the building; the new one does.
    assert (
        'name="building" value="b1token"'
        not in client.get("/petitions/new/?building=b1token").content.decode()
    )
    assert client.get(f"/q/{world.b1.qr_token}/")["Location"].endswith(f"building={world.b1.qr_token}")


def test_unknown_token_answers_kindly(world, client):
    response = client.get("/q/nosuchtoken/")
    assert response.status_code == 404 and "未能识别这个二维码" in response.content.decode()


def test_issue_then_refuse_a_second_issue(world):
    world.b2.qr_token = None
    world.b2.save()
    token = services.qr_token_issue(building=world.b2, by=world.alice)
    world.b2.refresh_from_db()
    assert world.b2.qr_token == token
    with pytest.raises(services.ValidationError):
        services.qr_token_issue(building=world.b2, by=world.alice)
    with pytest.raises(services.ValidationError):
        world.b3.qr_token = None
        world.b3.save()
        services.qr_token_rotate(building=world.b3, by=world.erin)


def test_building_page_shows_the_qr_and_staff_may_replace_it(world, client_for):
    page = client_for(world.alice).get(reverse("grids:building", args=[world.b1.pk])).content.decode()
    assert 'id="qr-token">b1token<' in page and "<svg" in page and "更换二维码" in page
    # The grid leader sees the code but neither the card page link nor the button.
    page = client_for(world.bob).get(reverse("grids:building", args=[world.b1.pk])).content.decode()
    assert 'id="qr-token">b1token<' in page and "更换二维码" not in page
    assert reverse("cards:building", args=[world.b1.pk]) not in page


@pytest.mark.parametrize(
    "name",
    ["erin", "gwen"],  # staff of another community; a grid worker of another community
)
def test_cards_outside_ones_patch_do_not_exist(world, client_for, name):
    client = client_for(getattr(world, name))
    for url in [
        reverse("cards:building", args=[world.b1.pk]),
        reverse("cards:area", args=[world.area1.pk]),
        reverse("cards:community", args=[world.c1.pk]),
    ]:
        assert client.get(url).status_code in ({"erin": 404, "gwen": 403}[name],)
    assert client.post(reverse("cards:building-print", args=[world.b1.pk])).status_code in (403, 404)
    assert client.post(
        reverse("cards:building-qr", args=[world.b1.pk]), {"action": "rotate"}
    ).status_code in (
        403,
        404,
    )
    world.b1.refresh_from_db()
    assert world.b1.qr_token == "b1token" and not CardPrint.objects.exists()


def test_officials_above_look_but_do_not_print_or_replace(world, client_for):
    client = client_for(world.sam)
    assert client.get(reverse("cards:building", args=[world.b1.pk])).status_code == 200
    assert client.post(reverse("cards:building-print", args=[world.b1.pk])).status_code == 403
    assert (
        client.post(reverse("cards:building-qr", args=[world.b1.pk]), {"action": "rotate"}).status_code == 403
    )
    world.b1.refresh_from_db()
    assert world.b1.qr_token == "b1token" and not RetiredQrToken.objects.exists()


def test_grid_leader_may_not_open_card_pages(world, client_for):
    client = client_for(world.bob)
    assert client.get(reverse("cards:building", args=[world.b1.pk])).status_code == 403
    assert client.get(reverse("cards:index")).status_code == 404


@pytest.mark.parametrize("rows", [1, 8])
def test_community_card_page_runs_constant_queries(world, client_for, django_assert_num_queries, rows):
    for i in range(rows):
        f.BuildingFactory(area=world.area1, community=world.c1, grid=world.g1, name=f"{20 + i}栋")
    client = client_for(world.alice)
    client.get("/")
    with django_assert_num_queries(12):
        response = client.get(reverse("cards:community", args=[world.c1.pk]))
    assert response.status_code == 200


def test_admin_shows_and_replaces_the_token(world, client_for):
    client = client_for(world.alice)
    change = reverse("admin:grids_building_change", args=[world.b1.pk])
    assert 'id="qr-token">b1token<' in client.get(change).content.decode()
    url = reverse("admin:grids_building_replace_qr_token", args=[world.b1.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    world.b1.refresh_from_db()
    assert world.b1.qr_token != "b1token" and RetiredQrToken.objects.get().retired_by == world.alice
    assert world.b1.qr_token in client.get(change).content.decode()
