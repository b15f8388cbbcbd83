"""The list's "export" button exports what the list shows: its search and filters, inside the user's
scope, with phone and ID numbers masked, in a constant number of queries."""

import io
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories as f
from tests.grids.test_admin_queries import fill

RESIDENTS = reverse("admin:grids_resident_changelist")
HOUSEHOLDS = reverse("admin:grids_household_changelist")
EXPORT_RESIDENTS = reverse("admin:grids_resident_export_list")
EXPORT_HOUSEHOLDS = reverse("admin:grids_household_export_list")


def sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = [list(r) for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
    return rows[0], rows[1:]


def names(response):
    return [row[0] for row in sheet(response)[1]]


def test_search_by_name_exports_only_the_matching_residents(world, client):
    client.force_login(world.alice)
    assert sorted(names(client.get(EXPORT_RESIDENTS))) == sorted(["张桂兰", "李建国"])
    assert names(client.get(EXPORT_RESIDENTS, {"q": "张桂兰"})) == ["张桂兰"]
    # The last four digits of a phone, as the list's search understands them.
    assert names(client.get(EXPORT_RESIDENTS, {"q": "4321"})) == ["李建国"]


def test_filter_by_grid_exports_only_that_grids_rows(world, client):
    client.force_login(world.alice)
    other = f.HouseholdFactory(building=world.b2, unit=2, room="202")
    rows = sheet(client.get(EXPORT_HOUSEHOLDS, {"building__grid__id__exact": world.g2.pk}))[1]
    assert sorted(row[0] for row in rows) == sorted([world.h2.code, other.code])
    assert {row[6] for row in rows} == {world.g2.name}
    rows = sheet(client.get(EXPORT_HOUSEHOLDS, {"building__grid__id__exact": world.g1.pk}))[1]
    assert [row[0] for row in rows] == [world.h1.code]
    assert names(client.get(EXPORT_RESIDENTS, {"household__building__grid__id__exact": world.g1.pk})) == [
        "张桂兰"
    ]
    # Search and filter together narrow further; the page number of the list does not matter.
    params = {"household__building__grid__id__exact": world.g2.pk, "q": "张桂兰", "p": "3"}
    assert names(client.get(EXPORT_RESIDENTS, params)) == []


def test_out_of_scope_rows_never_appear(world, client):
    client.force_login(world.erin)  # community two: 王秀英 in h3 only
    assert names(client.get(EXPORT_RESIDENTS)) == ["王秀英"]
    # Naming another community's resident or grid finds nothing rather than leaking it.
    assert names(client.get(EXPORT_RESIDENTS, {"q": "张桂兰"})) == []
    assert names(client.get(EXPORT_RESIDENTS, {"household__building__grid__id__exact": world.g1.pk})) == []
    assert sheet(client.get(EXPORT_HOUSEHOLDS, {"building__grid__id__exact": world.g1.pk}))[1] == []
    assert [row[0] for row in sheet(client.get(EXPORT_HOUSEHOLDS, {"q": world.h1.code}))[1]] == []
    # A street official sees both communities, still through the filters.
    client.force_login(world.sam)
    assert names(client.get(EXPORT_RESIDENTS, {"household__building__grid__id__exact": world.g3.pk})) == [
        "王秀英"
    ]
    # Someone outside the admin gets no file at all.
    client.force_login(world.bob)
    response = client.get(EXPORT_RESIDENTS, {"q": "张桂兰"})
    assert response.status_code == 302 and "openxmlformats" not in response.get("Content-Type", "")


def test_raw_phone_and_id_number_never_appear(world, client):
    client.force_login(world.alice)
    header, rows = sheet(client.get(EXPORT_RESIDENTS, {"q": "张桂兰"}))
    text = repr(rows)
    raw_id = world.r1.reveal_id_number()
    assert raw_id not in text and raw_id.lower() not in text
    assert world.r1.id_number_masked in text
    assert "13812345678" not in text and "138****5678" in text
    assert rows[0][5] == world.r1.id_number_masked  # the ID number column


def test_a_filter_that_names_nothing_goes_back_to_the_list(world, client):
    client.force_login(world.alice)
    response = client.get(EXPORT_RESIDENTS, {"household__building__grid__id__exact": "x"})
    assert response.status_code == 302
    assert response["Location"] == f"{RESIDENTS}?e=1"


@pytest.mark.parametrize(
    ("changelist", "export", "params"),
    [
        (RESIDENTS, EXPORT_RESIDENTS, {"q": "张桂兰", "gender__exact": "F"}),
        (HOUSEHOLDS, EXPORT_HOUSEHOLDS, {"building__grid__id__exact": "1", "o": "1"}),
    ],
)
def test_the_button_carries_the_lists_query_string(world, client, changelist, export, params):
    client.force_login(world.alice)
    response = client.get(changelist, {**params, "p": "1"})
    assert response.status_code == 200
    path = response.context["actions_list"][0]["path"]
    # The page number is left out: the export holds every page of the filtered list.
    assert path == f"{export}?{urlencode(params)}"
    assert path.replace("&", "&amp;") in response.content.decode()
    # Without a search or filter the button stays the bare URL.
    assert client.get(changelist).context["actions_list"][0]["path"] == export


def test_following_the_button_exports_what_the_list_shows(world, client):
    client.force_login(world.alice)
    listed = client.get(RESIDENTS, {"household__building__grid__id__exact": world.g2.pk})
    shown = [r.name for r in listed.context["cl"].result_list]
    assert names(client.get(listed.context["actions_list"][0]["path"])) == shown == ["李建国"]


@pytest.mark.parametrize("rows", [1, 50])
def test_resident_export_queries(world, client, django_assert_num_queries, rows):
    fill(world, rows)
    client.force_login(world.erin)
    # 1 session, 2 user, 3 role assignments (scope), 4 visible tags (tag filter), 5 areas, 6 buildings and
    # 7 grids (related-only filters), 8 the changelist's count, 9 the residents with dwelling, building
    # and area, 10 their visible tags (one prefetch).
    with django_assert_num_queries(10):
        response = client.get(EXPORT_RESIDENTS, {"household__building__grid__id__exact": world.g3.pk})
    assert len(sheet(response)[1]) == rows
    assert all(row[7] == "高龄老人" for row in sheet(response)[1])


@pytest.mark.parametrize("rows", [1, 50])
def test_household_export_queries(world, client, django_assert_num_queries, rows):
    fill(world, rows)
    client.force_login(world.erin)
    # 1 session, 2 user, 3 role assignments (scope), 4 areas, 5 buildings and 6 grids (related-only
    # filters), 7 the changelist's count, 8 the dwellings with building, area, grid and micro-grid.
    with django_assert_num_queries(8):
        response = client.get(EXPORT_HOUSEHOLDS, {"building__grid__id__exact": world.g3.pk})
    assert len(sheet(response)[1]) == rows


def test_typed_text_in_the_admin_exports_is_never_a_formula(world, client):
    from grids.models import Building, Resident, ResidentTag
    from tests.helpers import FORMULA_LIKE, assert_typed_text_is_text

    name, tag, building = FORMULA_LIKE[0], FORMULA_LIKE[1], FORMULA_LIKE[3]
    Resident.objects.filter(pk=world.r1.pk).update(name=name)
    world.r1.tags.set([ResidentTag.objects.create(code="t_formula", name=tag)])
    Building.objects.filter(pk=world.b1.pk).update(name=building)
    client.force_login(world.alice)
    assert_typed_text_is_text(client.get(EXPORT_RESIDENTS).content, name, tag)
    assert_typed_text_is_text(client.get(EXPORT_HOUSEHOLDS).content, building)
