"""Each community adds its own categories beside the shared defaults; the shared configuration (default
categories, holidays) is the district's alone."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dashboard.forms import OnBehalfForm
from petitions import services
from petitions.forms import PublicPetitionForm
from petitions.models import Category, Holiday, Petition

SATURDAY = datetime.date(2026, 10, 10)


def _own(community, name="停车管理", **kw):
    return Category(name=name, community=community, accept_within=24, resolve_within=72, **kw)


def test_two_communities_each_add_their_own_parking_category(world):
    services.category_save(category=_own(world.c1), by=world.alice)
    services.category_save(category=_own(world.c2), by=world.erin)
    assert Category.objects.filter(name="停车管理").count() == 2
    with pytest.raises(ValidationError) as err:
        services.category_save(category=_own(world.c1), by=world.alice)
    assert "name" in err.value.message_dict or "__all__" in err.value.message_dict
    assert Category.objects.filter(name="停车管理", community=world.c1).count() == 1


def test_a_community_category_cannot_repeat_a_shared_name(world, category):
    with pytest.raises(ValidationError) as err:
        services.category_save(category=_own(world.c1, name=category.name), by=world.alice)
    assert "已有同名的共用类别" in " ".join(err.value.message_dict["name"])


def test_shared_categories_are_the_districts(world, category):
    shared = Category(name="路灯报修", accept_within=24, resolve_within=72)
    with pytest.raises(PermissionDenied):
        services.category_save(category=shared, by=world.alice)
    category.resolve_within = 1000
    with pytest.raises(PermissionDenied):
        services.category_save(category=category, by=world.alice)
    assert Category.objects.get(pk=category.pk).resolve_within == 72
    services.category_save(category=shared, by=world.dana)
    assert Category.objects.filter(name="路灯报修", community=None).exists()


def test_staff_cannot_touch_another_communitys_category(world):
    theirs = services.category_save(category=_own(world.c2), by=world.erin)
    theirs.resolve_within = 500
    with pytest.raises(PermissionDenied):
        services.category_save(category=theirs, by=world.alice)
    theirs.community = world.c1  # nor take it over
    with pytest.raises(PermissionDenied):
        services.category_save(category=theirs, by=world.alice)
    assert Category.objects.get(pk=theirs.pk).community == world.c2


def test_forms_offer_shared_and_own_categories_only(world, category):
    mine = services.category_save(category=_own(world.c1), by=world.alice)
    theirs = services.category_save(category=_own(world.c2, name="垃圾分类"), by=world.erin)
    public = PublicPetitionForm(initial={"building": "b1token"})
    assert set(public.fields["category"].queryset) == {category, mine}
    other = PublicPetitionForm(initial={"building": "b3token"})
    assert set(other.fields["category"].queryset) == {category, theirs}
    staff = OnBehalfForm(household=world.h1)
    assert set(staff.fields["item_category"].queryset) == {category, mine}


def test_another_communitys_category_is_refused_on_submit(world, submit):
    theirs = services.category_save(category=_own(world.c2), by=world.erin)
    with pytest.raises(ValidationError) as err:
        submit(world, category=theirs)  # about building b1, in c1
    assert "本社区没有这个类别" in " ".join(err.value.message_dict["category"])
    assert not Petition.objects.exists()


def test_public_form_refuses_another_communitys_category(world, public_post):
    theirs = services.category_save(category=_own(world.c2), by=world.erin)
    response = public_post(building="b1token", category=theirs.pk)
    assert response.status_code == 200 and "category" in response.context["form"].errors
    assert not Petition.objects.exists()


def test_holidays_only_by_the_district(world, client):
    with pytest.raises(PermissionDenied):
        services.holiday_save(holiday=Holiday(date=SATURDAY, is_workday=True), by=world.alice)
    client.force_login(world.alice)
    data = {"date": SATURDAY.isoformat(), "name": "调休", "is_workday": "on"}
    assert client.post(reverse("admin:petitions_holiday_add"), data).status_code == 403
    assert not Holiday.objects.exists()
    client.force_login(world.dana)
    assert client.post(reverse("admin:petitions_holiday_add"), data).status_code == 302
    assert Holiday.objects.filter(date=SATURDAY, is_workday=True).exists()


def test_admin_staff_add_for_their_community_and_see_only_shared_and_own(world, client, category):
    theirs = services.category_save(category=_own(world.c2, name="垃圾分类"), by=world.erin)
    client.force_login(world.alice)
    data = {
        "name": "停车管理",
        "community": world.c1.pk,
        "deadline_unit": "hours",
        "contact_within_hours": "24",
        "accept_within": "24",
        "resolve_within": "72",
        "follow_up_after_days": "3",
        "remind_before_hours": "4",
        "active": "on",
        "position": "0",
    }
    url = reverse("admin:petitions_category_add")
    response = client.post(url, {**data, "community": ""})
    assert response.status_code == 200 and "community" in response.context["adminform"].form.errors
    response = client.post(url, {**data, "community": world.c2.pk})
    assert response.status_code == 200 and "community" in response.context["adminform"].form.errors
    assert client.post(url, data).status_code == 302
    mine = Category.objects.get(name="停车管理", community=world.c1)
    listed = client.get(reverse("admin:petitions_category_changelist")).context["cl"].result_list
    assert set(listed) == {category, mine}
    assert client.get(reverse("admin:petitions_category_change", args=[theirs.pk])).status_code == 302
    assert client.get(reverse("admin:petitions_category_change", args=[category.pk])).status_code == 200
    shared_edit = client.post(
        reverse("admin:petitions_category_change", args=[category.pk]),
        {**data, "name": category.name, "community": ""},
    )
    assert shared_edit.status_code == 403
