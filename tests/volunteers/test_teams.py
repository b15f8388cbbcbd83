"""A team's dispatch organisation (governance.Organisation, kind volunteer_team) follows the team: its name,
and its members, who are the people that see the items dispatched to the team."""

from governance.models import Organisation
from tests import factories as f
from volunteers import services


def test_a_new_leader_joins_the_dispatch_organisation_and_the_old_one_leaves(vw):
    # Catches team_save leaving the old leader in the organisation and not adding the new one: the new
    # leader would not see what is dispatched to their team, the old one still would.
    w = vw.world
    team = services.team_create(name="清扫队", kind="cleaning", community=w.c1, leader=w.mia, by=w.alice)
    newcomer = f.UserFactory(username="lin", community=w.c1)
    team.leader = newcomer
    services.team_save(team=team, by=w.alice)
    organisation = Organisation.objects.get(pk=team.organisation_id)
    assert set(organisation.members.all()) == {newcomer}
    assert organisation.contact_name == str(newcomer)


def test_an_old_leader_who_serves_in_the_team_stays_in_the_dispatch_organisation(vw):
    # vera is a member of the patrol (conftest); when she hands over the lead she remains a member.
    w = vw.world
    team = vw.team
    team.leader = w.vera
    services.team_save(team=team, by=w.alice)
    team.leader = w.mia
    services.team_save(team=team, by=w.alice)
    assert set(Organisation.objects.get(pk=team.organisation_id).members.all()) == {w.mia, w.vera}


def test_a_team_rename_in_the_admin_reaches_its_dispatch_organisation(vw, client_for):
    # Catches a rename that changes the team only: dispatch lists show the organisation's name.
    w = vw.world
    team = vw.team
    response = client_for(w.alice).post(
        f"/admin/volunteers/team/{team.pk}/change/",
        {"name": "桂花夜巡队", "kind": team.kind, "community": w.c1.pk, "area": "", "leader": w.mia.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Organisation.objects.get(pk=team.organisation_id).name == "桂花夜巡队"
