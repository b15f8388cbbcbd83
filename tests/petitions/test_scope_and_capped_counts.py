"""The request scope without its slow OR, and the counts that stop counting (config.paging)."""

import pytest
from django.template import Context, Template

from config import paging
from governance.models import Organisation
from petitions.models import Petition
from petitions.querysets import PetitionQuerySet


@pytest.fixture
def three_in_c2(world, submit):
    """Three requests in community c2 (building b3): outside alice's and bob's areas."""
    return [submit(world, building=world.b3, description=f"银杏{i}") for i in range(3)]


def test_own_items_outside_the_area_stay_visible(world, three_in_c2):
    outside, other, org_item = three_in_c2
    Petition.objects.filter(pk=outside.pk).update(assignee=world.bob)
    org = Organisation.objects.create(
        name="物业公司", kind=Organisation.Kind.PROPERTY_COMPANY, community=world.c2
    )
    org.members.add(world.alice)
    Petition.objects.filter(pk=org_item.pk).update(assignee_org=org)
    assert set(Petition.objects.visible_to(world.bob).values_list("pk", flat=True)) == {outside.pk}
    assert org_item in Petition.objects.visible_to(world.alice)
    assert other not in Petition.objects.visible_to(world.alice)
    assert outside in Petition.objects.editable_by(world.bob)


def test_a_user_with_no_items_outside_keeps_the_area_filter_alone(world, submit, three_in_c2):
    inside = submit(world)
    where = str(Petition.objects.visible_to(world.alice).query).split(" WHERE ")[1]
    assert "assignee_id" not in where and "submitter_id" not in where
    assert list(Petition.objects.visible_to(world.alice)) == [inside]


def test_many_own_items_outside_fall_back_to_the_whole_or(world, three_in_c2, monkeypatch):
    monkeypatch.setattr(PetitionQuerySet, "OWN_BEYOND_AREA_LIMIT", 1)
    Petition.objects.filter(pk__in=[p.pk for p in three_in_c2]).update(assignee=world.bob)
    visible = Petition.objects.visible_to(world.bob)
    assert "assignee_id" in str(visible.query).split(" WHERE ")[1]
    assert set(visible) == set(three_in_c2)


def test_a_user_without_an_area_sees_only_their_own(world, submit):
    mine = submit(world, submitter=world.carol)
    submit(world)
    assert list(Petition.objects.visible_to(world.carol)) == [mine]


def test_capped_count_says_when_it_stopped(world, three_in_c2):
    qs = Petition.objects.all()
    exact = paging.capped_count(qs, cap=3)
    assert (int(exact), exact.capped, str(exact)) == (3, False, "3")
    capped = paging.capped_count(qs, cap=2)
    assert (int(capped), capped.capped, str(capped)) == (2, True, "2+")
    html = Template("{{ n }}{% if n %} yes{% endif %}").render(Context({"n": capped}))
    assert html == "2+ yes"


def test_capped_paginator_reaches_every_page(world, submit, monkeypatch):
    monkeypatch.setattr(paging.CappedPaginator, "cap", 2)
    for i in range(9):
        submit(world, description=f"第{i}件")
    qs = Petition.objects.order_by("pk")
    first = paging.CappedPaginator(qs, 2).get_page(1)
    # Counted to page 1 + the cap (4 rows, more exist): a floor, with a next page.
    assert first.paginator.count.capped and first.has_next()
    last = paging.CappedPaginator(qs, 2).get_page(5)
    assert not last.paginator.count.capped and last.paginator.count == 9
    assert [p.description for p in last] == ["第8件"] and not last.has_next()
    assert paging.CappedPaginator(qs, 2).get_page(99).number == 5


def test_the_pager_and_the_api_say_the_count_is_a_floor(world, submit, client, monkeypatch):
    monkeypatch.setattr(paging.CappedPaginator, "cap", 1)
    for i in range(30):
        submit(world, description=f"第{i}件")
    client.force_login(world.alice)
    page = client.get("/workbench/?tab=all")
    assert page.context["page"].paginator.count.capped
    assert "共 2 多页" in page.content.decode()  # 20 + 1 rows counted: "more than 2 pages"
    body = client.get("/api/v1/petitions/").json()
    assert body["count_capped"] is True and body["count"] <= 30 and body["next"]
    last = client.get("/api/v1/petitions/?page=2").json()
    assert last["count_capped"] is False and last["count"] == 30 and last["next"] is None
