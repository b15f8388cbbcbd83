"""Categories and the holiday calendar are saved (and calendar days deleted) through petitions services."""

import datetime

from django.urls import reverse

from petitions import services
from petitions.models import Category, Holiday
from tests import factories as f

SATURDAY = datetime.date(2026, 10, 10)
MONDAY = datetime.date(2026, 10, 12)


def _spy(monkeypatch, name):
    calls = []
    real = getattr(services, name)
    monkeypatch.setattr(services, name, lambda **kw: calls.append(kw) or real(**kw))
    return calls


def _category(**overrides):
    return {
        "name": "路灯报修",
        "deadline_unit": "hours",
        "contact_within_hours": "24",
        "accept_within": "24",
        "resolve_within": "72",
        "follow_up_after_days": "3",
        "remind_before_hours": "4",
        "active": "on",
        "position": "0",
        **overrides,
    }


def test_category_saved_through_the_service(world, client, monkeypatch):
    calls = _spy(monkeypatch, "category_save")
    client.force_login(world.alice)
    response = client.post(reverse("admin:petitions_category_add"), _category(community=world.c1.pk))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Category.objects.filter(name="路灯报修", resolve_within=72, community=world.c1).exists()
    assert calls


def test_category_deadlines_refused_with_form_errors(world, client):
    client.force_login(world.alice)
    url = reverse("admin:petitions_category_add")
    response = client.post(url, _category(resolve_within="0", community=world.c1.pk))
    assert response.status_code == 200
    assert "时限至少为 1" in " ".join(response.context["adminform"].form.errors["resolve_within"])
    response = client.post(url, _category(accept_within="96", community=world.c1.pk))
    assert response.status_code == 200
    assert "办结时限不能短于受理时限" in response.content.decode()
    assert not Category.objects.filter(name="路灯报修").exists()


def test_officials_cannot_add_categories(world, client):
    client.force_login(world.sam)
    response = client.post(reverse("admin:petitions_category_add"), _category())
    assert response.status_code == 403
    assert not Category.objects.filter(name="路灯报修").exists()


def test_holiday_saved_through_the_service(world, client, monkeypatch):
    calls = _spy(monkeypatch, "holiday_save")
    client.force_login(world.dana)
    data = {"date": SATURDAY.isoformat(), "name": "调休", "is_workday": "on"}
    response = client.post(reverse("admin:petitions_holiday_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Holiday.objects.filter(date=SATURDAY, is_workday=True).exists()
    assert calls


def test_weekday_workday_refused_with_a_form_error(world, client):
    client.force_login(world.dana)
    data = {"date": MONDAY.isoformat(), "name": "调休", "is_workday": "on"}
    response = client.post(reverse("admin:petitions_holiday_add"), data)
    assert response.status_code == 200
    assert "只有周六或周日可以设为调休工作日" in " ".join(
        response.context["adminform"].form.errors["is_workday"]
    )
    assert not Holiday.objects.filter(date=MONDAY).exists()


def test_holiday_deleted_through_the_service(world, client, monkeypatch):
    calls = _spy(monkeypatch, "holiday_delete")
    day = Holiday.objects.create(date=MONDAY, name="国庆")
    client.force_login(f.UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.post(reverse("admin:petitions_holiday_delete", args=[day.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Holiday.objects.filter(pk=day.pk).exists()
    assert calls
