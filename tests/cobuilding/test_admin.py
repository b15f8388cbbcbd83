"""The co-building lists in the admin: scoped, written through the services, refusals on the form."""

import pytest
from django.urls import reverse

from cobuilding.models import Kind, Need, Resource
from cobuilding.services import need_save

pytestmark = pytest.mark.django_db


def test_resource_admin_refuses_a_negative_quantity(world, client_for, make_unit):
    unit = make_unit()
    client = client_for(world.alice)
    data = {"unit": str(unit.pk), "title": "爱心捐款", "kind": "money", "quantity": "-10", "available": "on"}
    response = client.post(reverse("admin:cobuilding_resource_add"), data)
    assert response.status_code == 200
    assert "数量不能小于零。" in str(response.context["adminform"].form.errors)
    assert not Resource.objects.exists()
    response = client.post(reverse("admin:cobuilding_resource_add"), {**data, "quantity": "5000"})
    assert response.status_code == 302
    assert Resource.objects.get().community == world.c1


def test_need_admin_is_scoped(world, client_for):
    mine = need_save(need=Need(community=world.c1, title="桂花需求", kind=Kind.SKILL), by=world.alice)
    other = need_save(need=Need(community=world.c2, title="银杏需求", kind=Kind.SKILL), by=world.erin)
    client = client_for(world.alice)
    listing = client.get(reverse("admin:cobuilding_need_changelist")).content.decode()
    assert "桂花需求" in listing and "银杏需求" not in listing
    assert client.get(reverse("admin:cobuilding_need_change", args=[mine.pk])).status_code == 200
    # Outside the patch the object "does not exist": the admin sends one back to its index.
    response = client.get(reverse("admin:cobuilding_need_change", args=[other.pk]))
    assert response.status_code == 302 and response.url == reverse("admin:index")
