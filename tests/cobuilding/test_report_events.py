"""The yearly report counts the events a unit held (activities it organised or co-organised, by the kind of
event) on the page, in the xlsx and in the PDF, which embeds its Chinese font; the staff page that records
and lists a unit's events."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from cobuilding.models import UnitEvent
from cobuilding.services import unit_event_remove, unit_event_save
from volunteers import services as vs
from volunteers.models import Activity

pytestmark = pytest.mark.django_db


def activity(vw, team, title, days_ago=3, by_staff=None, **kw):
    start = vw.now - datetime.timedelta(days=days_ago)
    return vs.activity_create(
        team=team,
        title=title,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        place="桂花广场",
        capacity=20,
        recorded_afterwards=True,
        by=by_staff or vw.world.alice,
        **kw,
    )


@pytest.fixture
def events(world, vw, make_unit):
    unit = make_unit("桂花小学")
    publicity = vs.team_create(
        name="桂花宣传队", kind="publicity", community=world.c1, leader=world.mia, by=world.alice
    )
    for title in ("垃圾分类宣传", "反诈宣传"):
        unit_event_save(event=UnitEvent(unit=unit, activity=activity(vw, publicity, title)), by=world.alice)
    unit_event_save(
        event=UnitEvent(unit=unit, activity=vw.activity, role=UnitEvent.Role.CO_ORGANISED), by=world.alice
    )
    return unit


def test_report_page_xlsx_and_pdf_show_the_events_by_kind(world, events, client_for):
    year = datetime.date.today().year
    client = client_for(world.alice)
    url = f"/cobuilding/units/{events.pk}/report/?year={year}"
    page = client.get(url)
    assert page.status_code == 200
    # The kind left empty follows the team: publicity for the publicity team's two, other for the patrol.
    assert page.context["events_by_kind"] == [("宣传活动", 2), ("其他", 1)]
    html = page.content.decode()
    assert "反诈宣传" in html and "夜间安全巡逻" in html and "协办" in html
    assert f"year={year}&amp;format=pdf" in html

    book = load_workbook(io.BytesIO(client.get(url + "&format=xlsx").content))
    summary = dict(book.worksheets[0].iter_rows(values_only=True))
    assert summary["举办活动"] == 3 and summary["　宣传活动"] == 2
    events_sheet = list(book["举办活动"].iter_rows(values_only=True))
    assert len(events_sheet) == 4 and {row[0] for row in events_sheet[1:]} == {
        "垃圾分类宣传",
        "反诈宣传",
        "夜间安全巡逻",
    }

    response = client.get(url + "&format=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "桂花小学" in text and "反诈宣传" in text and "夜间安全巡逻" in text and "举办活动" in text
    fonts = {
        str(font["/BaseFont"])
        for p in reader.pages
        for font in p["/Resources"]["/Font"].values()
        if "/FontDescriptor" in font.get_object() or "/DescendantFonts" in font.get_object()
    }
    assert fonts  # the Chinese font travels inside the file
    # Last year had none of them; another community's staff get 404 for every format.
    assert client.get(f"/cobuilding/units/{events.pk}/report/?year={year - 1}").context["events"] == []
    erin = client_for(world.erin)
    for suffix in ("", "&format=xlsx", "&format=pdf"):
        assert erin.get(url + suffix).status_code == 404


def test_an_event_must_be_a_held_activity_of_the_units_community(world, vw, events, make_unit):
    before = UnitEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        unit_event_save(event=UnitEvent(unit=events, activity=vw.activity), by=world.alice)
    assert exc.value.message_dict["activity"] == ["该活动已记入本单位举办的活动。"]
    elsewhere = make_unit("银杏医院", community=world.c2)
    with pytest.raises(ValidationError) as exc:
        unit_event_save(event=UnitEvent(unit=elsewhere, activity=vw.activity), by=world.erin)
    assert "activity" in exc.value.message_dict
    cancelled = activity(vw, vw.team, "取消的巡逻")
    Activity.objects.filter(pk=cancelled.pk).update(cancelled=True)
    cancelled.refresh_from_db()
    with pytest.raises(ValidationError):
        unit_event_save(event=UnitEvent(unit=events, activity=cancelled), by=world.alice)
    with pytest.raises(PermissionDenied):
        unit_event_remove(event=UnitEvent.objects.first(), by=world.erin)
    assert UnitEvent.objects.count() == before


@pytest.mark.parametrize("n", [1, 8])
def test_events_page_lists_the_year_with_constant_queries(
    world, vw, make_unit, client_for, django_assert_num_queries, n
):
    unit = make_unit("桂花小学")
    for i in range(n):
        unit_event_save(
            event=UnitEvent(unit=unit, activity=activity(vw, vw.team, f"走访困难户{i}"), kind="visit"),
            by=world.alice,
        )
    client = client_for(world.alice)
    # 1 session, 2 user, 3 roles, 4 the unit with its service figures, 5 the year's events with activity
    # and team, 6 the activities offered for a new event.
    with django_assert_num_queries(6):
        response = client.get(f"/cobuilding/units/{unit.pk}/events/")
    assert response.status_code == 200
    assert response.context["events_by_kind"] == [("走访困难群众", n)]
    assert "走访困难户0" in response.content.decode()
    assert client_for(world.erin).get(f"/cobuilding/units/{unit.pk}/events/").status_code == 404


def test_api_lists_a_units_events_of_a_year(world, api, events):
    url = f"/api/v1/cobuilding/units/{events.pk}/events/"
    rows = api(world.alice).get(url).json()
    assert sorted(r["title"] for r in rows) == ["反诈宣传", "垃圾分类宣传", "夜间安全巡逻"]
    assert {r["kind"] for r in rows} == {"publicity", "other"}
    year = datetime.date.today().year
    assert api(world.alice).get(f"{url}?year={year - 1}").json() == []
    assert api(world.alice).get(f"{url}?year=abc").status_code == 400
    assert api(world.erin).get(url).status_code == 404


def test_staff_record_an_event_on_the_page_and_the_report_counts_it(world, vw, make_unit, client_for):
    unit = make_unit("桂花小学")
    clean_up = activity(vw, vw.team, "楼道大扫除")
    client = client_for(world.alice)
    url = f"/cobuilding/units/{unit.pk}/events/"
    # Bad input: no kind chosen; another community's activity is not even offered.
    elsewhere = vs.team_create(
        name="银杏巡逻队", kind="patrol", community=world.c2, leader=world.gwen, by=world.erin
    )
    other = activity(vw, elsewhere, "银杏巡逻", by_staff=world.erin)
    assert other not in client.get(url).context["form"].fields["activity"].queryset
    response = client.post(url, {"activity": other.pk, "kind": "clean_up", "role": "organised"})
    assert response.status_code == 400 and "activity" in response.context["form"].errors
    response = client.post(url, {"activity": clean_up.pk, "kind": "", "role": "organised"})
    assert response.status_code == 400 and not UnitEvent.objects.exists()
    response = client.post(
        url, {"activity": clean_up.pk, "kind": "clean_up", "role": "organised"}, follow=True
    )
    assert response.status_code == 200 and "楼道大扫除" in response.content.decode()
    event = UnitEvent.objects.get()
    assert event.kind == "clean_up"
    year = timezone.localtime(clean_up.starts_at).year
    report = client.get(f"/cobuilding/units/{unit.pk}/report/?year={year}")
    assert report.context["events_by_kind"] == [("环境清洁", 1)]
    # Only the community's staff record or take off events: others get 404.
    assert client_for(world.erin).post(url, {"activity": clean_up.pk}).status_code == 404
    assert client_for(world.erin).post(f"/cobuilding/events/{event.pk}/remove/").status_code == 404
    client_for(world.alice).post(f"/cobuilding/events/{event.pk}/remove/")
    assert not UnitEvent.objects.exists()
