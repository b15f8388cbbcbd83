"""The host ticks invitees from the meeting's roster: the people invited by role, each once, and a
person who scanned the code already shows as present."""

import pytest
from django.utils import timezone

from accounts.roles import Role
from deliberation import services as s
from deliberation.models import Attendance, Meeting
from deliberation.selectors import meeting_roster
from governance.models import Organisation
from grids.models import ResidentTag
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited_meeting(world):
    """A meeting of c1 inviting party members, grid leaders, the property company and representatives."""
    return s.meeting_save(
        meeting=Meeting(
            community=world.c1,
            title="车棚议事",
            starts_at=timezone.now(),
            place="院子",
            host=world.bob,
            invited=["party_members", "grid_leaders", "property_company", "resident_reps"],
        ),
        by=world.alice,
    )


def test_the_roster_lists_each_invitee_once_and_only_of_the_community(world, invited_meeting):
    f.PartyMemberFactory(resident=world.r2, organisation=world.committee)  # no account
    pete_resident = f.ResidentFactory(name="彭党员", home=world.h1)
    f.PartyMemberFactory(resident=pete_resident, user=world.pete, organisation=world.committee)
    f.PartyMemberFactory(resident=world.r3, organisation=f.PartyOrganisationFactory(community=world.c2))
    f.PartyMemberFactory(
        resident=f.ResidentFactory(name="鲍党员"), user=world.bob, organisation=world.committee
    )
    Organisation.objects.create(
        name="桂花物业",
        kind=Organisation.Kind.PROPERTY_COMPANY,
        community=world.c1,
        contact_name="钱经理",
        contact_phone="0571-88881234",
    )
    Organisation.objects.create(
        name="银杏物业", kind=Organisation.Kind.PROPERTY_COMPANY, community=world.c2, contact_name="孙经理"
    )
    tag = ResidentTag.objects.create(code="resident_rep", name="居民代表", needs_attention=False)
    world.r1.tags.add(tag)
    roster = {e.key: e for e in meeting_roster(invited_meeting)}
    names = sorted(e.name for e in roster.values())
    # bob is a party member and a grid leader: once, with both parties; erin's and gwen's community is out.
    assert names == sorted(["李建国", "Pete", "Bob", "Dave", "Mia", "钱经理（桂花物业）", "Carol"])
    assert len(roster[f"u{world.bob.pk}"].parties) == 2
    assert roster[f"o{Organisation.objects.get(name='桂花物业').pk}"].phone_last4 == "1234"
    assert roster[f"r{world.r2.pk}"].phone_last4 == "4321"


def test_ticking_is_once_and_agrees_with_the_qr_code(world, invited_meeting, client_for):
    f.PartyMemberFactory(resident=world.r2, organisation=world.committee)
    url = f"/deliberation/meetings/{invited_meeting.pk}/"
    host = client_for(world.bob)
    # dave scanned the code: he shows as present, and a tick adds nothing.
    s.attendance_scan(token=invited_meeting.attendance_token, user=world.dave)
    # 李建国 has no account: ticked twice, recorded once, as a scan by name and phone would be.
    for _ in range(2):
        host.post(f"{url}tick-invitee/", {"key": f"r{world.r2.pk}"})
    host.post(f"{url}tick-invitee/", {"key": f"u{world.dave.pk}"})
    s.attendance_scan(token=invited_meeting.attendance_token, name="李建国", phone_last4="4321")
    rows = sorted(invited_meeting.attendances.values_list("name", "method"))
    assert rows == [("Dave", "qr"), ("李建国", "host")]
    page = host.get(url).content.decode()
    roster = {e.key: e for e in host.get(url).context["roster"]}
    assert roster[f"u{world.dave.pk}"].present and roster[f"r{world.r2.pk}"].present
    assert not roster[f"u{world.mia.pk}"].present
    assert "已到" in page and "签到" in page


def test_ticking_someone_not_invited_or_by_someone_else_is_refused(world, invited_meeting, client_for):
    url = f"/deliberation/meetings/{invited_meeting.pk}/tick-invitee/"
    host = client_for(world.bob)
    response = host.post(url, {"key": f"u{world.erin.pk}"}, follow=True)
    assert "不在本次会议的邀请名单上" in response.content.decode()
    assert not Attendance.objects.exists()
    # Not the host nor staff of the community: the meeting is not theirs to run.
    assert client_for(world.erin).post(url, {"key": f"u{world.dave.pk}"}).status_code == 404
    assert client_for(world.pete).post(url, {"key": f"u{world.dave.pk}"}).status_code == 404
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("n", [1, 50])
def test_the_meeting_page_queries_are_constant_in_invitees(
    world, invited_meeting, client_for, django_assert_num_queries, n
):
    org = Organisation.objects.create(
        name="物业", kind=Organisation.Kind.PROPERTY_COMPANY, community=world.c1
    )
    tag = ResidentTag.objects.create(code="resident_rep", name="居民代表", needs_attention=False)
    for i in range(n):
        f.PartyMemberFactory(resident=f.ResidentFactory(name=f"党员{i}"), organisation=world.committee)
        leader = f.UserFactory(username=f"leader{i}", community=world.c1)
        f.assign(leader, Role.GRID_LEADER, world.g1)
        org.members.add(f.UserFactory(username=f"staff{i}", community=world.c1))
        f.ResidentFactory(name=f"代表{i}", home=world.h1).tags.add(tag)
    c = client_for(world.alice)
    # The page as before (9), and the roster: members, representatives, leaders, organisations with
    # their accounts, and who is present (5), whatever the number of invitees.
    with django_assert_num_queries(14):
        response = c.get(f"/deliberation/meetings/{invited_meeting.pk}/")
    assert len(response.context["roster"]) == 4 * n + 3  # + bob, dave, mia as grid leaders


QUERIES = 99
