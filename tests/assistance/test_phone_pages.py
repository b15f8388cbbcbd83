"""The phone pages of a case for the people on it (/dashboard/assistance/): their cases, a case with masked
personal data, milestones marked reached with a note, and the ledger under the two-person rule; constant
query counts; everyone else gets 404."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assistance.models import LedgerEntry

from .conftest import yesterday
from .test_pages import bulk


@pytest.mark.parametrize("n", [1, 50])
def test_my_cases_queries_are_constant(world, client_for, django_assert_num_queries, n):
    bulk(world, n)
    client = client_for(world.pete)
    # 1 session, 2 user, 3 role assignments, 4 paginator count, 5 the bell's unread count, 6 the page with
    # its joins and milestone counts.
    with django_assert_num_queries(6):
        response = client.get("/dashboard/assistance/")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(n, 20)
    assert f"帮扶{n - 1}" in response.content.decode()
    assert client_for(world.vera).get("/dashboard/assistance/").context["page"].paginator.count == 0


@pytest.mark.parametrize("n", [1, 30])
def test_case_page_queries_are_constant_and_personal_data_masked(
    world, client_for, django_assert_num_queries, make_case, record, n
):
    case = make_case(milestones=["重新开口说话", "走出家门"])
    for _ in range(n):
        record(case, "10", confirm_by=world.alice)
    record(case, "5")  # waits for its confirmation
    client = client_for(world.pete)
    # 1 session, 2 user, 3 role assignments, 4 the case with its places and people joined, 5 the entries,
    # 6 milestones, 7 visits, 8 requests, 9 helpers, 10 the bell's unread count.
    with django_assert_num_queries(10):
        response = client.get(f"/dashboard/assistance/{case.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["balance"] == Decimal(10 * n) and response.context["pending_count"] == 1
    assert world.r1.name in body and "138****5678" in body and "13812345678" not in body


def test_only_staff_of_the_community_and_the_people_assigned_see_it(world, client_for, make_case, record):
    case = make_case(helpers=[world.bob])
    entry = record(case, "10")
    milestone = make_case(milestones=["走出家门"]).milestones.get()
    for user in (world.erin, world.sam, world.dana, world.vera, world.dave, world.carol):
        client = client_for(user)
        assert client.get(f"/dashboard/assistance/{case.pk}/").status_code == 404, user
        assert client.post(reverse("dashboard:assistance_confirm", args=[entry.pk])).status_code == 404
        assert client.post(reverse("dashboard:assistance_milestone", args=[milestone.pk])).status_code == 404
    for user in (world.alice, world.pete, world.bob):
        assert client_for(user).get(f"/dashboard/assistance/{case.pk}/").status_code == 200, user


def test_companion_marks_a_milestone_reached_with_a_note(world, client_for, make_case):
    milestone = make_case(milestones=["走出家门"]).milestones.get()
    client = client_for(world.pete)
    url = reverse("dashboard:assistance_milestone", args=[milestone.pk])
    response = client.post(url, {"note": "x" * 201}, follow=True)
    assert "200" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.done_on is None
    response = client.post(url, {"note": "第一次下楼晒太阳"}, follow=True)
    milestone.refresh_from_db()
    assert (milestone.done_note, milestone.done_by) == ("第一次下楼晒太阳", world.pete)
    assert "第一次下楼晒太阳" in response.content.decode()
    client.post(url, {"undo": "1"})
    milestone.refresh_from_db()
    assert (milestone.done_on, milestone.done_note) == (None, "")


def test_record_on_the_phone_and_a_different_person_confirms(world, client_for, make_case):
    case = make_case()
    url = f"/dashboard/assistance/{case.pk}/"
    entry_data = {"entry-direction": "in", "entry-occurred_on": yesterday().isoformat(), "entry-note": "义卖"}
    response = client_for(world.pete).post(url, {**entry_data, "entry-amount": "0"})
    assert response.status_code == 400 and not LedgerEntry.objects.exists()
    assert client_for(world.pete).post(url, {**entry_data, "entry-amount": "2590"}).status_code == 302
    entry = LedgerEntry.objects.get()
    confirm = reverse("dashboard:assistance_confirm", args=[entry.pk])
    response = client_for(world.pete).post(confirm, follow=True)
    assert "不同的人" in response.content.decode() and response.context["balance"] == 0
    response = client_for(world.alice).post(confirm, follow=True)
    assert response.context["balance"] == Decimal("2590")
    entry.refresh_from_db()
    assert entry.confirmed_by == world.alice
