"""Who sees a case (staff of its community and the people assigned; everyone else 404), the staff pages
with their forms and constant query counts, the public summaries, the admin and the API."""

import pytest
from django.urls import reverse

from assistance.models import Case, CaseMilestone, LedgerEntry
from tests import factories as f

from .conftest import yesterday


def bulk(world, n):
    cases = Case.objects.bulk_create(
        Case(title=f"帮扶{i}", community=world.c1, resident=world.r1, companion=world.pete) for i in range(n)
    )
    CaseMilestone.objects.bulk_create(
        CaseMilestone(case=c, position=p, title=t)
        for c in cases
        for p, t in enumerate(["重新开口说话", "走出家门"], start=1)
    )
    return cases


@pytest.mark.parametrize("n", [1, 50])
def test_case_list_queries_are_constant(world, client_for, django_assert_num_queries, n):
    bulk(world, n)
    client = client_for(world.alice)
    # 1 session, 2 user, 3 role assignments, 4 the counts per community, 5 paginator count, 6 the page
    # with community, resident, dwelling and companion joined and the milestone counts.
    with django_assert_num_queries(6):
        response = client.get("/assistance/")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(n, 20)
    assert "0/2" in response.content.decode()


@pytest.mark.parametrize("n", [1, 50])
def test_case_page_queries_are_constant(world, client_for, django_assert_num_queries, make_case, record, n):
    case = make_case(milestones=["重新开口说话", "走出家门", "实现第一个心愿", "自立自强"])
    for _ in range(n):
        record(case, "10", confirm_by=world.alice)
    client = client_for(world.alice)
    # 1 session, 2 user, 3 role assignments, 4 the case with its places and people joined, 5 the entries
    # with recorder, confirmer and reversal joined, 6 milestones, 7 visits, 8 requests, 9 helpers.
    with django_assert_num_queries(9):
        response = client.get(f"/assistance/{case.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "自立自强" in body and f"{10 * n}.00" in body


def test_other_communities_officials_and_unassigned_users_get_404(world, client_for, make_case):
    case = make_case(helpers=[world.bob])
    url = f"/assistance/{case.pk}/"
    for user in (world.erin, world.sam, world.dana, world.vera, world.dave, world.carol):
        assert client_for(user).get(url).status_code == 404, user
        assert client_for(user).get(url + "statement.xlsx").status_code == 404, user
    for user in (world.alice, world.pete, world.bob):
        assert client_for(user).get(url).status_code == 200, user


def test_officials_see_counts_but_no_names(world, client_for, make_case):
    make_case()
    response = client_for(world.sam).get("/assistance/")
    assert response.status_code == 200
    body = response.content.decode()
    assert world.c1.name in body and "独居老人陪伴帮扶" not in body and world.r1.name not in body
    assert response.context["counts"][0]["open_cases"] == 1


def test_record_and_confirm_through_the_page(world, client_for, make_case):
    case = make_case()
    url = f"/assistance/{case.pk}/"
    response = client_for(world.pete).post(
        url,
        {
            "entry-direction": "in",
            "entry-amount": "2590",
            "entry-occurred_on": yesterday().isoformat(),
            "entry-note": "手工艺品义卖",
        },
    )
    assert response.status_code == 302
    entry = LedgerEntry.objects.get()
    confirm = reverse("assistance:entry_confirm", args=[entry.pk])
    response = client_for(world.pete).post(confirm, follow=True)
    assert "不同的人" in response.content.decode()
    entry.refresh_from_db()
    assert entry.confirmed_at is None
    client_for(world.alice).post(confirm)
    entry.refresh_from_db()
    assert entry.confirmed_by == world.alice
    # Bad input: a clear error, nothing written.
    response = client_for(world.alice).post(
        url, {"entry-direction": "in", "entry-amount": "-1", "entry-occurred_on": "", "entry-note": ""}
    )
    assert response.status_code == 400 and LedgerEntry.objects.count() == 1
    # Someone outside the case cannot confirm by guessing the id.
    other = LedgerEntry.objects.create(
        case=case, direction="in", amount=5, note="x", occurred_on=yesterday(), recorded_by=world.alice
    )
    assert (
        client_for(world.erin).post(reverse("assistance:entry_confirm", args=[other.pk])).status_code == 404
    )


def test_milestones_added_in_order_and_marked_done(world, client_for, make_case):
    case = make_case()
    client = client_for(world.alice)
    for title in ("重新开口说话", "走出家门"):
        client.post(f"/assistance/{case.pk}/", {"milestone-title": title, "milestone-due_on": ""})
    assert list(case.milestones.values_list("position", "title")) == [(1, "重新开口说话"), (2, "走出家门")]
    first = case.milestones.first()
    client_for(world.pete).post(reverse("assistance:milestone_toggle", args=[first.pk]))
    first.refresh_from_db()
    assert first.done_on is not None
    # The companion keeps the ledger and milestones, but planning is for staff.
    response = client_for(world.pete).post(f"/assistance/{case.pk}/", {"milestone-title": "x"})
    assert response.status_code == 403


def test_public_page_lists_published_summaries_without_names(
    world, client, make_case, django_assert_num_queries
):
    make_case(published=True, public_summary="一位独居老人在党员陪伴下走出家门，义卖手工艺品。")
    make_case(title="未公开")
    with django_assert_num_queries(3):
        response = client.get(f"/communities/{world.c1.pk}/assistance/")
    body = response.content.decode()
    assert "走出家门" in body and world.r1.name not in body and "未公开" not in body
    assert len(response.context["page"].object_list) == 1


def test_publishing_needs_a_summary(world, make_case):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        make_case(published=True, public_summary="")


def test_api_lists_only_visible_cases(world, api, make_case):
    case = make_case()
    assert [r["id"] for r in api(world.alice).get("/api/v1/assistance/cases/").json()["results"]] == [case.pk]
    assert api(world.erin).get("/api/v1/assistance/cases/").json()["results"] == []
    assert api(world.sam).get(f"/api/v1/assistance/cases/{case.pk}/").status_code == 404
    detail = api(world.pete).get(f"/api/v1/assistance/cases/{case.pk}/").json()
    assert detail["balance"] == "0.00"


def test_api_ledger_records_and_a_different_person_confirms(world, api, make_case):
    case = make_case()
    url = f"/api/v1/assistance/cases/{case.pk}/entries/"
    body = {"direction": "in", "amount": "2590", "occurred_on": yesterday().isoformat(), "note": "义卖"}
    refused = api(world.pete).post(url, {**body, "amount": "0"}, format="json")
    assert refused.status_code == 400 and refused.json()["detail"] == "金额必须大于零。"
    assert api(world.erin).post(url, body, format="json").status_code == 404
    recorded = api(world.pete).post(url, body, format="json")
    assert recorded.status_code == 201
    confirm = f"/api/v1/assistance/entries/{recorded.json()['id']}/confirm/"
    own = api(world.pete).post(confirm)
    assert own.status_code == 400 and "不同的人" in own.json()["detail"]
    assert api(world.erin).post(confirm).status_code == 404
    assert api(world.alice).post(confirm).json()["confirmed_by"] == world.alice.pk
    assert api(world.alice).post(confirm).status_code == 400  # already confirmed
    assert [e["balance_after"] for e in api(world.pete).get(url).json()] == ["2590.00"]
    assert api(world.pete).get(f"/api/v1/assistance/cases/{case.pk}/").json()["balance"] == "2590.00"


def test_api_is_in_the_schema(world, api):
    schema = api(f.UserFactory(is_superuser=True, is_staff=True)).get("/api/schema/?format=json").json()
    assert "/api/v1/assistance/cases/" in schema["paths"]
    assert "/api/v1/assistance/entries/{id}/confirm/" in schema["paths"]


def test_admin_is_scoped(world, client_for, make_case):
    case = make_case()
    assert client_for(world.alice).get(f"/admin/assistance/case/{case.pk}/change/").status_code == 200
    response = client_for(world.erin).get(f"/admin/assistance/case/{case.pk}/change/")
    assert response.status_code in (302, 404)
    assert "独居老人" not in client_for(world.erin).get("/admin/assistance/case/").content.decode()
