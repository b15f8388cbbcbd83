"""The registry admin seen by every role: lists, change pages, saves and exports stay inside one's scope."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grids.models import Household, Resident

RESIDENTS = "/admin/grids/resident/"
HOUSEHOLDS = "/admin/grids/household/"


def names_in(response, world):
    body = response.content.decode()
    return {r.name for r in (world.r1, world.r2, world.r3) if r.name in body}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("alice", {"张桂兰", "李建国"}),
        ("erin", {"王秀英"}),
        ("sam", {"张桂兰", "李建国", "王秀英"}),
        ("dana", {"张桂兰", "李建国", "王秀英"}),
    ],
)
def test_changelist_lists_only_in_scope(world, client, who, expected):
    client.force_login(getattr(world, who))
    response = client.get(RESIDENTS)
    assert response.status_code == 200
    assert names_in(response, world) == expected


@pytest.mark.parametrize("who", ["bob", "gwen", "mia", "pete", "vera", "max", "carol"])
def test_roles_outside_the_admin_are_sent_to_login(world, client, who):
    client.force_login(getattr(world, who))
    response = client.get(RESIDENTS)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    ("who", "obj"),
    [("alice", "r3"), ("erin", "r1"), ("alice", "h3"), ("erin", "b1"), ("alice", "g3")],
)
def test_change_page_outside_scope_is_nonexistent(world, client, who, obj):
    target = getattr(world, obj)
    opts = target._meta
    client.force_login(getattr(world, who))
    response = client.get(reverse(f"admin:grids_{opts.model_name}_change", args=[target.pk]))
    # Django's own answer for a missing object: back to the admin index with a "does not exist" message.
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    for action in ("reveal", "move") if obj.startswith("r") else ():
        response = client.get(reverse(f"admin:grids_resident_{action}", args=[target.pk]))
        assert response.status_code == 302


@pytest.mark.parametrize("who", ["sam", "dana"])
def test_officials_read_but_cannot_save(world, client, who):
    client.force_login(getattr(world, who))
    url = reverse("admin:grids_resident_change", args=[world.r1.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    response = client.post(url, {"name": "改名", "gender": "F", "id_type": "resident_id"})
    assert response.status_code == 403
    world.r1.refresh_from_db()
    assert world.r1.name == "张桂兰"
    assert client.get(reverse("admin:grids_resident_add")).status_code == 403
    household_url = reverse("admin:grids_household_change", args=[world.h1.pk])
    assert client.post(household_url, {"room": "999"}).status_code == 403
    assert client.get(reverse("admin:grids_resident_move", args=[world.r1.pk])).status_code == 403


def test_staff_saves_in_own_community(world, client):
    client.force_login(world.alice)
    url = reverse("admin:grids_household_change", args=[world.h1.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' in page.content.decode()


def test_foreign_key_choices_and_autocomplete_are_scoped(world, client):
    client.force_login(world.alice)
    form = client.get(reverse("admin:grids_building_add")).context["adminform"].form
    assert set(form.fields["area"].queryset) == {world.area1}
    assert set(form.fields["community"].queryset) == {world.c1}
    assert set(form.fields["grid"].queryset) == {world.g1, world.g2}
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "grids", "model_name": "resident", "field_name": "household", "term": ""},
    )
    assert response.status_code == 200
    ids = {int(row["id"]) for row in response.json()["results"]}
    assert ids == {world.h1.pk, world.h2.pk}


def _export(client, url, pks):
    response = client.post(url, {"action": "export_xlsx", "_selected_action": [str(pk) for pk in pks]})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_resident_export_is_scoped_and_masked(world, client):
    client.force_login(world.alice)
    rows = _export(client, RESIDENTS, Resident.objects.values_list("pk", flat=True))
    names = {row[0] for row in rows[1:]}
    assert names == {"张桂兰", "李建国"}
    text = repr(rows)
    assert "13812345678" not in text and "138****5678" in text
    assert world.r1.reveal_id_number() not in text and world.r1.id_number_masked in text


def test_household_export_is_scoped(world, client):
    client.force_login(world.erin)
    rows = _export(client, HOUSEHOLDS, Household.objects.values_list("pk", flat=True))
    assert [row[0] for row in rows[1:]] == [world.h3.code]


def test_street_official_exports_the_whole_street(world, client):
    client.force_login(world.sam)
    rows = _export(client, RESIDENTS, Resident.objects.values_list("pk", flat=True))
    assert len(rows) == 4


def test_uncovered_households_filter(world, client):
    from tests import factories as f

    loose = f.BuildingFactory(area=world.area1, code="330199001001001009", name="9栋", grid=None)
    orphan = f.HouseholdFactory(building=loose, unit=1, room="901")
    client.force_login(world.alice)
    body = client.get(HOUSEHOLDS, {"coverage": "uncovered"}).content.decode()
    assert orphan.code in body and world.h1.code not in body


def test_staff_cannot_change_district_or_street(world, client):
    client.force_login(world.alice)
    for name, obj in (("district", world.district), ("street", world.street)):
        url = reverse(f"admin:grids_{name}_change", args=[obj.pk])
        assert client.get(url).status_code == 200
        assert client.post(url, {"name": "改名"}).status_code == 403
    assert client.get(reverse("admin:grids_community_add")).status_code == 403
    world.street.refresh_from_db()
    assert world.street.name == "和平街道"


def _sheet_rows(response):
    assert response.status_code == 200
    return [
        list(row) for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    ]


def test_export_list_button_is_scoped_and_follows_filters(world, client):
    client.force_login(world.alice)
    rows = _sheet_rows(client.get(reverse("admin:grids_resident_export_list")))
    assert {row[0] for row in rows[1:]} == {"张桂兰", "李建国"}
    rows = _sheet_rows(client.get(reverse("admin:grids_resident_export_list"), {"q": "5678"}))
    assert [row[0] for row in rows[1:]] == ["张桂兰"]
    rows = _sheet_rows(client.get(reverse("admin:grids_household_export_list")))
    assert {row[0] for row in rows[1:]} == {world.h1.code, world.h2.code}
    client.force_login(world.vera)
    assert client.get(reverse("admin:grids_resident_export_list")).status_code == 302


def test_malformed_ids_in_admin_urls(world, client):
    client.force_login(world.alice)
    for url in (
        "/admin/grids/resident/abc/change/",
        "/admin/grids/resident/abc/reveal/",
        "/admin/grids/building/x/recode/",
    ):
        assert client.get(url).status_code == 302


def test_population_type_filter(world, client):
    world.r2.residences.update(kind="floating")
    client.force_login(world.alice)
    response = client.get(RESIDENTS, {"population": "floating"})
    assert [r.name for r in response.context["cl"].result_list] == ["李建国"]
