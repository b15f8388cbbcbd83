"""A unit's profile, agreements and reporting members (双报到): their service is read from volunteer hours
and claimed wishes, never a counter of its own; the yearly report page and xlsx."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from cobuilding.models import Agreement, Kind, Need, ReportedMember
from cobuilding.selectors import access_unit
from cobuilding.services import agreement_save, match_confirm, need_save, reported_member_save
from petitions import services as ps
from tests import factories as f
from tests.volunteers.test_activities import checked_out
from volunteers import services as vs

pytestmark = pytest.mark.django_db


def claimed_wish(world, submit, by):
    wish = submit(world, kind="wish", description="想要一台收音机")
    ps.petition_accept(petition=wish, by=world.bob)
    ps.petition_transition(petition=wish, action="publish_wish", by=world.alice, note="为独居老人买收音机")
    ps.petition_claim(petition=wish, by=by)
    return wish


@pytest.fixture
def reported(world, make_unit):
    """vera, an in-service party member working at the school, reports to c1."""
    unit = make_unit("桂花小学")
    member = f.PartyMemberFactory(
        resident=f.ResidentFactory(home=world.h1),
        organisation=world.committee,
        user=world.vera,
        in_service=True,
        work_unit="桂花小学",
    )
    return reported_member_save(report=ReportedMember(unit=unit, member=member), by=world.alice)


def test_service_is_counted_from_hours_and_claimed_wishes(world, vw, submit, reported, make_unit, client_for):
    record = checked_out(vw)
    vs.hours_confirm(record=record, by=world.mia)
    claimed_wish(world, submit, world.vera)
    # A claim by one of the unit's own accounts counts too; another unit's claims do not.
    reported.unit.organisation.members.add(world.pete)
    claimed_wish(world, submit, world.pete)
    claimed_wish(world, submit, world.bob)
    make_unit("社区医院")
    unit = access_unit(world.alice, reported.unit_id)
    assert (unit.hours_served, unit.wishes_claimed, unit.member_count) == (2, 2, 1)
    page = client_for(world.alice).get("/cobuilding/units/").content.decode()
    assert "桂花小学" in page


def test_only_in_service_members_of_the_community_report(world, make_unit):
    unit = make_unit()
    retired = f.PartyMemberFactory(resident=f.ResidentFactory(home=world.h1), organisation=world.committee)
    with pytest.raises(ValidationError, match="在职党员"):
        reported_member_save(report=ReportedMember(unit=unit, member=retired), by=world.alice)
    elsewhere = f.PartyMemberFactory(
        resident=f.ResidentFactory(home=world.h3),
        organisation=f.PartyOrganisationFactory(community=world.c2),
        in_service=True,
    )
    with pytest.raises(ValidationError, match="不在本社区"):
        reported_member_save(report=ReportedMember(unit=unit, member=elsewhere), by=world.alice)
    assert not ReportedMember.objects.exists()


def test_agreement_dates_are_checked(world, make_unit):
    unit = make_unit()
    today = timezone.localdate()
    agreement = Agreement(
        unit=unit, title="共建协议", signed_on=today, ends_on=today - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="不能早于签订日期"):
        agreement_save(agreement=agreement, by=world.alice)
    assert not Agreement.objects.exists()


def test_yearly_report_page_and_xlsx(world, submit, reported, client_for, make_resource):
    claimed_wish(world, submit, world.vera)
    need = need_save(need=Need(community=world.c1, title="书法课场地", kind=Kind.VENUE), by=world.alice)
    match = match_confirm(need=need, resource=make_resource(reported.unit, "教室"), by=world.alice)
    agreement_save(
        agreement=Agreement(unit=reported.unit, title="校社共建协议", signed_on=timezone.localdate()),
        projects=[match.project],
        by=world.alice,
    )
    year = timezone.localdate().year
    client = client_for(world.alice)
    page = client.get(f"/cobuilding/units/{reported.unit_id}/report/?year={year}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "校社共建协议" in html and "书法课场地" in html
    assert len(page.context["wishes"]) == 1
    xlsx = client.get(f"/cobuilding/units/{reported.unit_id}/report/?year={year}&format=xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[2:5] == [("共建协议", 1), ("项目", 1), ("认领微心愿数", 1)]
    last_year = client.get(f"/cobuilding/units/{reported.unit_id}/report/?year={year - 1}")
    assert last_year.context["wishes"] == [] and last_year.context["projects"] == []
    assert client_for(world.erin).get(f"/cobuilding/units/{reported.unit_id}/report/").status_code == 404


def test_another_communitys_staff_cannot_write_to_a_unit(world, make_unit):
    unit = make_unit()
    with pytest.raises(PermissionDenied):
        agreement_save(
            agreement=Agreement(unit=unit, title="协议", signed_on=timezone.localdate()), by=world.erin
        )
    with pytest.raises(PermissionDenied):
        need_save(need=Need(community=world.c1, title="需求", kind=Kind.MONEY), by=world.bob)
    assert not Agreement.objects.exists() and not Need.objects.exists()
