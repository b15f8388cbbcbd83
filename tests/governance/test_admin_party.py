"""The party organisation in the admin: scoped to the community, officials read only."""

from django.urls import reverse

from governance.models import PartyOrganisation
from tests import factories as f


def test_party_organisations_scoped(world, client):
    other = f.PartyOrganisationFactory(community=world.c2, name="银杏社区党委")
    client.force_login(world.alice)
    listed = set(client.get("/admin/governance/partyorganisation/").context["cl"].result_list)
    assert listed == {world.committee}
    response = client.get(reverse("admin:governance_partyorganisation_change", args=[other.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_branch_created_under_committee(world, client):
    client.force_login(world.alice)
    data = {
        "name": "桂花苑党支部",
        "level": "2",
        "org_type": "branch",
        "parent": str(world.committee.pk),
        "community": str(world.c1.pk),
        "area": str(world.area1.pk),
    }
    response = client.post(reverse("admin:governance_partyorganisation_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    # A building group without a building is refused with a translated message.
    data.update(name="1栋党小组", level="3", org_type="group")
    response = client.post(reverse("admin:governance_partyorganisation_add"), data)
    assert response.status_code == 200
    assert "楼栋" in " ".join(response.context["adminform"].form.errors["building"])
    assert not PartyOrganisation.objects.filter(name="1栋党小组").exists()


def test_officials_cannot_change_party_organisations(world, client):
    client.force_login(world.sam)
    url = reverse("admin:governance_partyorganisation_change", args=[world.committee.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "改名"}).status_code == 403
