"""Every registry admin page opens for staff, officials and the superuser (in Chinese)."""

import pytest
from django.urls import reverse

from accounts.models import RevealLog
from grids.models import ResidentTag
from notifications.models import Notification
from tests import factories as f

MODELS = [
    "grids.district",
    "grids.street",
    "grids.community",
    "grids.residentialarea",
    "grids.grid",
    "grids.microgrid",
    "grids.building",
    "grids.household",
    "grids.resident",
    "grids.residenttag",
    "accounts.user",
    "accounts.roleassignment",
    "accounts.reveallog",
    "governance.partyorganisation",
    "governance.partymember",
    "governance.organisation",
    "notifications.notification",
]


@pytest.mark.parametrize("who", ["alice", "sam", "superuser"])
def test_changelists_and_change_pages_open(world, client, admin_user, who):
    # A row of every model, so that each change page is opened, not only the list.
    f.PartyMemberFactory(resident=world.r1, organisation=world.committee)
    f.OrganisationFactory(community=world.c1)
    ResidentTag.objects.create(code="elderly-alone", name="独居老人")
    RevealLog.objects.create(user=world.alice, resident=world.r1, field=RevealLog.Field.PHONE, reason="回访")
    Notification.objects.create(user=world.alice, title="新诉求")
    Notification.objects.create(user=world.sam, title="新诉求")
    client.force_login(admin_user if who == "superuser" else getattr(world, who))
    for label in MODELS:
        app, model = label.split(".")
        response = client.get(reverse(f"admin:{app}_{model}_changelist"))
        assert response.status_code == 200, label
        rows = response.context["cl"].result_list
        assert rows, label
        page = client.get(reverse(f"admin:{app}_{model}_change", args=[rows[0].pk]))
        assert page.status_code == 200, label


def test_add_pages_open_for_staff(world, client):
    client.force_login(world.alice)
    for label in [
        "grids.building",
        "grids.household",
        "grids.resident",
        "accounts.roleassignment",
        "accounts.user",
    ]:
        app, model = label.split(".")
        assert client.get(reverse(f"admin:{app}_{model}_add")).status_code == 200, label


def test_household_created_through_the_admin(world, client):
    client.force_login(world.alice)
    data = {
        "code": f"{world.b1.code}010102",
        "building": str(world.b1.pk),
        "unit": "1",
        "floor": "1",
        "room": "102",
        "use": "rented",
        "microgrid": "",
        "head": "",
        "residences-TOTAL_FORMS": "0",
        "residences-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:grids_household_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    # A dwelling in another community's building is refused.
    data.update(code=f"{world.b3.code}010102", building=str(world.b3.pk))
    response = client.post(reverse("admin:grids_household_add"), data)
    assert response.status_code == 200 and "building" in response.context["adminform"].form.errors


def test_head_of_household_must_live_there(world, client):
    client.force_login(world.alice)
    url = reverse("admin:grids_household_change", args=[world.h1.pk])
    data = {
        "building": str(world.b1.pk),
        "unit": "1",
        "floor": "1",
        "room": "101",
        "use": "owner",
        "microgrid": str(world.m1.pk),
        "head": str(world.r2.pk),
        "residences-TOTAL_FORMS": "1",
        "residences-INITIAL_FORMS": "1",
        "residences-0-id": str(world.r1.residences.get().pk),
        "residences-0-household": str(world.h1.pk),
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "必须住在" in " ".join(response.context["adminform"].form.errors["head"])
    response = client.post(url, {**data, "head": str(world.r1.pk)})
    assert response.status_code == 302, response.context["adminform"].form.errors
    world.h1.refresh_from_db()
    assert world.h1.head == world.r1
