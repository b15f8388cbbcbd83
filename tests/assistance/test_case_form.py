"""The staff page that opens and changes an assistance case (person or dwelling by its code, plan,
milestones, companion, team, unit) through the case service: scoped, translated errors, constant queries."""

import pytest

from assistance.models import Case

from .conftest import yesterday

pytestmark = pytest.mark.django_db


def data(world, **kw):
    values = {
        "title": "独居老人陪伴帮扶",
        "household_code": world.h1.code,
        "resident_name": world.r1.name,
        "plan": "每周走访两次",
        "status": Case.Status.OPEN,
        "companion": world.pete.pk,
        "new_milestones": "重新开口说话\n走出家门\n\n实现第一个心愿",
    }
    values.update(kw)
    return values


def test_staff_open_a_case_with_its_milestones_and_change_it(world, client_for):
    client = client_for(world.alice)
    assert 'id="case-new"' in client.get("/assistance/").content.decode()
    response = client.post("/assistance/new/", data(world))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/assistance/{case.pk}/"
    assert case.resident == world.r1 and case.household == world.h1 and case.community == world.c1
    assert case.companion == world.pete and case.created_by == world.alice
    assert list(case.milestones.values_list("position", "title")) == [
        (1, "重新开口说话"),
        (2, "走出家门"),
        (3, "实现第一个心愿"),
    ]
    response = client.post(
        f"/assistance/{case.pk}/edit/", data(world, plan="每天电话问候", new_milestones="自立自强")
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.plan == "每天电话问候" and case.milestones.count() == 4
    assert 'id="case-edit"' in client.get(f"/assistance/{case.pk}/").content.decode()


def test_bad_input_is_refused_with_a_translated_error_and_nothing_changes(world, client_for):
    client = client_for(world.alice)
    response = client.post("/assistance/new/", data(world, household_code="NOPE"))
    assert response.status_code == 400 and "本社区没有这个房屋编码。" in response.content.decode()
    response = client.post("/assistance/new/", data(world, resident_name="查无此人"))
    assert response.status_code == 400 and "该房屋里没有叫这个名字的人。" in response.content.decode()
    response = client.post("/assistance/new/", data(world, published="on", public_summary=""))
    assert response.status_code == 400 and "公开前请先填写公开摘要。" in response.content.decode()
    assert not Case.objects.exists()


def test_another_communitys_staff_cannot_open_or_change_it(world, client_for, make_case):
    case = make_case()
    erin = client_for(world.erin)
    assert erin.get(f"/assistance/{case.pk}/edit/").status_code == 404
    # c1's dwelling code does not exist for c2's staff.
    response = erin.post("/assistance/new/", data(world, companion=""))
    assert response.status_code == 400 and Case.objects.count() == 1
    # The companion may follow the case but not change it.
    assert client_for(world.pete).get(f"/assistance/{case.pk}/edit/").status_code == 403


@pytest.mark.parametrize("n", [1, 6])
def test_case_form_queries_are_constant(world, client_for, make_case, django_assert_num_queries, n):
    case = make_case(milestones=[f"目标{i}" for i in range(n)])
    client = client_for(world.alice)
    # session, user, roles, the case (its dwelling joined), linked visits, linked requests, companions,
    # teams, units, the dwelling's visits offered: the same at 1 and 6
    with django_assert_num_queries(10):
        assert client.get(f"/assistance/{case.pk}/edit/").status_code == 200


def test_staff_link_visits_from_the_diary_and_requests_by_tracking_code(world, client_for, make_case):
    from petitions.models import Category
    from petitions.services import petition_submit
    from visits.services import visit_record

    case = make_case()
    visit, _ = visit_record(
        household=world.h1,
        visited_on=yesterday(),
        by=world.bob,
        residents_met=[world.r1],
        situation="老人情绪好转",
    )
    elsewhere, _ = visit_record(household=world.h3, visited_on=yesterday(), by=world.gwen, outcome="not_home")
    category = Category.objects.create(name="生活帮扶")
    wish = petition_submit(
        kind="wish",
        category=category,
        description="想学编织",
        channel="visit",
        household=world.h1,
        by=world.bob,
    )
    client = client_for(world.alice)
    url = f"/assistance/{case.pk}/edit/"
    assert elsewhere not in client.get(url).context["form"].fields["visits"].queryset
    response = client.post(url, data(world, new_milestones="", petition_codes="LL-NOPE"))
    assert response.status_code == 400 and "LL-NOPE" in response.content.decode()
    response = client.post(
        url, data(world, new_milestones="", visits=[visit.pk], petition_codes=wish.tracking_code)
    )
    assert response.status_code == 302
    assert list(case.visits.all()) == [visit] and list(case.petitions.all()) == [wish]
    page = client_for(world.pete).get(f"/dashboard/assistance/{case.pk}/").content.decode()
    assert wish.tracking_code in page and yesterday().isoformat() in page
