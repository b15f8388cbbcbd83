"""The service map in the scoped admin (each community sees and changes its own points, saves refused by
the service show as form errors) and the demo seed (a dozen points, a second run changes nothing)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from servicemap.models import BuildingLocation, MerchantLocation, ServicePoint

pytestmark = pytest.mark.django_db


def test_admin_lists_only_the_communitys_points(circle, client_for):
    client = client_for(circle.alice)
    response = client.get(reverse("admin:servicemap_servicepoint_changelist"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "社区卫生服务站" in body and "银杏书屋" not in body
    # Another community's point does not exist for erin: the admin redirects as for a missing object.
    client = client_for(circle.erin)
    response = client.get(reverse("admin:servicemap_servicepoint_change", args=[circle.clinic.pk]))
    assert response.status_code == 302


def test_admin_refuses_a_coordinate_outside_china_as_a_form_error(circle, client_for):
    client = client_for(circle.alice)
    url = reverse("admin:servicemap_servicepoint_change", args=[circle.clinic.pk])
    data = {
        "community": str(circle.c1.pk),
        "kind": "clinic",
        "name": "社区卫生服务站",
        "address": "",
        "latitude": "40.712800",
        "longitude": "-74.006000",
        "opening_hours": "",
        "phone": "",
        "note": "",
        "active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "不在中国境内" in response.content.decode()
    circle.clinic.refresh_from_db()
    assert circle.clinic.longitude > 100
    # The alliance-merchant kind is refused by the service, shown on the form.
    data.update(latitude="30.274100", longitude="120.155100", kind="alliance_merchant")
    response = client.post(url, data)
    assert response.status_code == 200 and "商户名录" in response.content.decode()


def test_home_pages_link_to_the_service_circle(circle, client, client_for):
    assert "/services/" in client.get("/").content.decode()
    response = client.get("/services/")
    assert response.status_code == 200
    assert f"/services/c/{circle.c1.pk}/" in response.content.decode()
    assert "/services/map/" in client_for(circle.bob).get("/dashboard/").content.decode()


def test_seed_servicemap_is_idempotent():
    out = io.StringIO()
    call_command("seed_demo", "--scale", "tiny", stdout=out)
    call_command("seed_volunteers", stdout=out)
    call_command("seed_servicemap", stdout=out)
    points = ServicePoint.objects.count()
    assert points == 12
    assert MerchantLocation.objects.count() == 4
    assert BuildingLocation.objects.exists()
    community = ServicePoint.objects.first().community
    assert community.latitude is not None
    call_command("seed_servicemap", stdout=out)
    assert ServicePoint.objects.count() == points and MerchantLocation.objects.count() == 4
    assert "0 service points" in out.getvalue()
