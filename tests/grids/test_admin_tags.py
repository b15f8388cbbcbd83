"""Resident tags are saved in the admin through grids.services.resident_tag_save."""

from django.urls import reverse

from grids import services
from grids.models import ResidentTag
from tests import factories as f


def _root():
    return f.UserFactory(username="root", is_superuser=True, is_staff=True)


def test_tag_saved_through_the_service(world, client, monkeypatch):
    calls = []
    real = services.resident_tag_save
    monkeypatch.setattr(services, "resident_tag_save", lambda **kw: calls.append(kw) or real(**kw))
    client.force_login(_root())
    data = {"code": "alone", "name": "独居老人", "needs_attention": "on"}
    response = client.post(reverse("admin:grids_residenttag_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert ResidentTag.objects.filter(code="alone", name="独居老人").exists()
    assert calls


def test_duplicate_tag_name_refused_with_a_form_error(world, client):
    ResidentTag.objects.create(code="alone", name="独居老人")
    client.force_login(_root())
    data = {"code": "alone2", "name": "独居老人 ", "needs_attention": "on"}
    response = client.post(reverse("admin:grids_residenttag_add"), data)
    assert response.status_code == 200
    assert "已有同名标签" in " ".join(response.context["adminform"].form.errors["name"])
    assert not ResidentTag.objects.filter(code="alone2").exists()


def test_staff_cannot_add_tags(world, client):
    client.force_login(world.alice)
    response = client.post(reverse("admin:grids_residenttag_add"), {"code": "x", "name": "x"})
    assert response.status_code == 403
    assert not ResidentTag.objects.filter(code="x").exists()
