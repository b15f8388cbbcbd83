"""The yearly report counts the events a unit held (activities it organised or co-organised, by the kind of
the team that ran them) on the page, in the xlsx and in the PDF, which embeds its Chinese font."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook
from pypdf import PdfReader

from cobuilding.models import UnitEvent
from cobuilding.services import unit_event_remove, unit_event_save
from volunteers import services as vs
from volunteers.models import Activity

pytestmark = pytest.mark.django_db


def activity(vw, team, title, days_ago=3, **kw):
    start = vw.now - datetime.timedelta(days=days_ago)
    return vs.activity_create(
        team=team,
        title=title,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        place="桂花广场",
        capacity=20,
        recorded_afterwards=True,
        by=vw.world.alice,
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
    assert page.context["events_by_kind"] == [("宣传队（红色小喇叭）", 2), ("安全巡逻队", 1)]
    html = page.content.decode()
    assert "反诈宣传" in html and "夜间安全巡逻" in html and "协办" in html
    assert f"year={year}&amp;format=pdf" in html

    book = load_workbook(io.BytesIO(client.get(url + "&format=xlsx").content))
    summary = dict(book.worksheets[0].iter_rows(values_only=True))
    assert summary["举办活动"] == 3 and summary["　宣传队（红色小喇叭）"] == 2
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
