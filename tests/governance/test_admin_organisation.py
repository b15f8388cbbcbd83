"""A handling organisation's members are saved by organisation_save, not by the admin form's save_m2m."""

from django.urls import reverse

from governance import services
from governance.models import Organisation
from tests import factories as f


def _data(org, members):
    return {
        "name": org.name,
        "kind": org.kind,
        "community": str(org.community_id),
        "street": "",
        "active": "on",
        "contact_name": "",
        "contact_phone": "",
        "members": [str(m.pk) for m in members],
    }


def _spy(monkeypatch):
    calls = []
    real = services.organisation_save

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(services, "organisation_save", spy)
    return calls


def test_members_saved_through_the_service(world, client, monkeypatch):
    org = f.OrganisationFactory(community=world.c1, name="桂花社区物业办")
    org.members.add(world.dave)
    calls = _spy(monkeypatch)
    client.force_login(world.alice)
    url = reverse("admin:governance_organisation_change", args=[org.pk])
    response = client.post(url, _data(org, [world.bob]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(org.members.all()) == {world.bob}
    # The service got the members (once to check the form, once to save).
    assert calls and all(set(c["members"]) == {world.bob} for c in calls)


def test_disabled_member_refused_with_a_form_error(world, client):
    org = f.OrganisationFactory(community=world.c1, name="桂花社区物业办")
    org.members.add(world.dave)
    gone = f.UserFactory(username="gone", display_name="Gone", community=world.c1, is_active=False)
    client.force_login(world.alice)
    url = reverse("admin:governance_organisation_change", args=[org.pk])
    response = client.post(url, {**_data(org, [world.bob, gone]), "name": "改了名"})
    assert response.status_code == 200
    assert "停用的账号不能作为成员" in " ".join(response.context["adminform"].form.errors["members"])
    org.refresh_from_db()
    assert org.name == "桂花社区物业办"
    assert set(org.members.all()) == {world.dave}
    assert not Organisation.objects.filter(name="改了名").exists()


def test_the_contact_phone_is_masked_on_the_change_form(world, client):
    org = f.OrganisationFactory(community=world.c1, name="桂花社区物业办", contact_phone="057188881234")
    url = reverse("admin:governance_organisation_change", args=[org.pk])
    for who in (world.alice, world.sam, world.dana):
        client.force_login(who)
        page = client.get(url).content.decode()
        assert "057188881234" not in page and "057****1234" in page, who
    client.force_login(world.alice)
    response = client.post(url, {**_data(org, []), "contact_phone_new": ""})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.contact_phone == "057188881234"
    response = client.post(url, {**_data(org, []), "contact_phone_new": "057188885678"})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.contact_phone == "057188885678"
