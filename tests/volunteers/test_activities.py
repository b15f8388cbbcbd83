"""Activities, sign-ups, check-in by rotating QR or by the leader, hours and their corrections."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from volunteers import services
from volunteers.models import Account, Activity, Attendance, HourRecord, SignUp, Transaction, star_level

from .conftest import make_volunteer, run_in_threads


def checked_out(vw, hours=2):
    """vera on site from the activity's start for `hours` (the activity lasts three and a half)."""
    services.activity_sign_up(activity=vw.activity, volunteer=vw.vera, by=vw.world.vera)
    attendance = services.attendance_check_in(
        activity=vw.activity, volunteer=vw.vera, by=vw.world.mia, at=vw.activity.starts_at
    )
    services.attendance_check_out(
        attendance=attendance, by=vw.world.mia, at=attendance.checked_in_at + datetime.timedelta(hours=hours)
    )
    return HourRecord.objects.get(volunteer=vw.vera, kind="service")


@pytest.mark.parametrize(
    "check_in,check_out,hours,span",
    [
        # minutes from the activity's start (it runs 0 to 210)
        (15, 135, "2.00", (15, 135)),  # within the activity: check-in to check-out
        (-45, 60, "1.00", (0, 60)),  # arrived early: counted from the start
        (30, 300, "3.00", (30, 210)),  # left (or was checked out) late: counted to the end
        (-50, 400, "3.50", (0, 210)),  # both: the activity's length
    ],
)
def test_check_out_proposes_the_time_on_site_within_the_activity(vw, check_in, check_out, hours, span):
    start = vw.activity.starts_at
    services.activity_sign_up(activity=vw.activity, volunteer=vw.vera, by=vw.world.vera)
    attendance = services.attendance_check_in(
        activity=vw.activity,
        volunteer=vw.vera,
        by=vw.world.mia,
        at=start + datetime.timedelta(minutes=check_in),
    )
    services.attendance_check_out(
        attendance=attendance, by=vw.world.mia, at=start + datetime.timedelta(minutes=check_out)
    )
    record = HourRecord.objects.get(attendance=attendance)
    assert record.status == "proposed" and record.hours == Decimal(hours)
    assert (record.started_at, record.ended_at) == tuple(start + datetime.timedelta(minutes=m) for m in span)


@pytest.mark.parametrize(
    "hours,stars",
    [
        (0, 0),
        ("99.99", 0),
        (100, 1),
        ("299.99", 1),
        (300, 2),
        (599, 2),
        (600, 3),
        ("999.99", 3),
        (1000, 4),
        ("1499.99", 4),
        (1500, 5),
        (4000, 5),
    ],
)
def test_reference_star_levels_at_the_boundaries(hours, stars):
    assert star_level(Decimal(str(hours))) == stars


def test_team_is_a_dispatch_target(vw):
    organisation = vw.team.organisation
    assert organisation.kind == "volunteer_team" and organisation.community == vw.world.c1
    assert vw.world.mia in organisation.members.all() and vw.world.vera in organisation.members.all()


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_sign_ups_to_ten_places(transactional_db, vw):
    volunteers = [make_volunteer(vw.world, f"v{i}") for i in range(50)]

    def sign_up(i):
        return services.activity_sign_up(activity=vw.activity, volunteer=volunteers[i], by=volunteers[i].user)

    results = run_in_threads(50, sign_up)
    assert sum(isinstance(r, SignUp) for r in results) == 10
    assert all(isinstance(r, ValidationError) for r in results if not isinstance(r, SignUp))
    vw.activity.refresh_from_db()
    assert vw.activity.signed_up == 10
    assert SignUp.objects.filter(activity=vw.activity, status="active").count() == 10


def test_cancelling_frees_the_place(vw):
    services.activity_sign_up(activity=vw.activity, volunteer=vw.vera, by=vw.world.vera)
    with pytest.raises(ValidationError, match="已报名"):
        services.activity_sign_up(activity=vw.activity, volunteer=vw.vera, by=vw.world.vera)
    services.activity_cancel_sign_up(activity=vw.activity, volunteer=vw.vera, by=vw.world.vera)
    assert Activity.objects.get(pk=vw.activity.pk).signed_up == 0
    services.activity_sign_up(activity=vw.activity, volunteer=vw.vera, by=vw.world.vera)


def test_rotating_qr_checks_in_then_out(vw):
    services.activity_sign_up(activity=vw.activity, volunteer=vw.vera, by=vw.world.vera)
    token = services.checkin_token(vw.activity)
    attendance = services.attendance_scan(token=token, by=vw.world.vera)
    assert attendance.method == "qr" and attendance.checked_out_at is None
    attendance = services.attendance_scan(token=services.checkin_token(vw.activity), by=vw.world.vera)
    assert attendance.checked_out_at is not None
    assert HourRecord.objects.get(volunteer=vw.vera).status == "proposed"


def test_forged_and_stale_check_in_codes_are_refused(vw, settings):
    services.activity_sign_up(activity=vw.activity, volunteer=vw.vera, by=vw.world.vera)
    token = services.checkin_token(vw.activity)
    forged = token.replace(f"{vw.activity.pk}:", f"{vw.activity.pk + 1}:", 1)
    with pytest.raises(ValidationError, match="签到码无效"):
        services.attendance_scan(token=forged, by=vw.world.vera)
    stale = signing.TimestampSigner(salt=services.CHECKIN_SALT)
    old = stale.sign(str(vw.activity.pk))
    import time

    real_time = time.time
    try:
        time.time = lambda: real_time() + services.CHECKIN_MAX_AGE + 5
        with pytest.raises(ValidationError, match="已过期"):
            services.attendance_scan(token=old, by=vw.world.vera)
    finally:
        time.time = real_time
    assert not Attendance.objects.exists()


def test_leader_checks_in_a_volunteer_without_a_smartphone_and_nobody_else_can(vw):
    services.activity_sign_up(activity=vw.activity, volunteer=vw.vera, by=vw.world.vera)
    with pytest.raises(ValidationError, match="只有队长"):
        services.attendance_check_in(activity=vw.activity, volunteer=vw.vera, by=vw.world.bob)
    attendance = services.attendance_check_in(activity=vw.activity, volunteer=vw.vera, by=vw.world.mia)
    assert attendance.method == "leader" and attendance.recorded_by == vw.world.mia


def test_overlapping_check_ins_are_refused(vw):
    other = services.activity_create(
        team=vw.team,
        title="楼道清理",
        starts_at=vw.activity.starts_at,
        ends_at=vw.activity.ends_at,
        place="1栋",
        capacity=5,
        by=vw.world.mia,
    )
    for activity in (vw.activity, other):
        services.activity_sign_up(activity=activity, volunteer=vw.vera, by=vw.world.vera)
    services.attendance_check_in(activity=vw.activity, volunteer=vw.vera, by=vw.world.mia)
    with pytest.raises(ValidationError, match="时间重叠"):
        services.attendance_check_in(activity=other, volunteer=vw.vera, by=vw.world.mia)
    assert Attendance.objects.count() == 1


@pytest.mark.sqlite
def test_hours_are_confirmed_only_by_the_teams_leader(vw):
    record = checked_out(vw)
    for outsider in (vw.world.vera, vw.world.alice, vw.world.bob):
        with pytest.raises(ValidationError, match="只有本队队长"):
            services.hours_confirm(record=record, by=outsider)
    assert HourRecord.objects.get(pk=record.pk).status == "proposed"
    services.hours_confirm(record=record, by=vw.world.mia)
    vw.vera.refresh_from_db()
    assert vw.vera.confirmed_hours == 2
    assert Account.objects.get(user=vw.world.vera).balance == 20


def test_negative_hours_are_refused_and_nothing_written(vw):
    record = checked_out(vw)
    with pytest.raises(ValidationError, match="不能为负数"):
        services.hours_confirm(record=record, by=vw.world.mia, hours="-1")
    assert HourRecord.objects.get(pk=record.pk).status == "proposed"
    assert not Transaction.objects.exists()


def test_a_correction_keeps_history_and_moves_points(vw):
    record = services.hours_confirm(record=checked_out(vw, hours=3), by=vw.world.mia)
    with pytest.raises(ValidationError):
        services.hours_correct(record=record, hours="2", by=vw.world.mia, note="")
    new = services.hours_correct(record=record, hours="2", by=vw.world.mia, note="含路途时间，扣除1小时")
    rows = list(
        HourRecord.objects.filter(volunteer=vw.vera).order_by("pk").values_list("kind", "status", "hours")
    )
    assert rows == [
        ("service", "superseded", Decimal("3.00")),
        ("reversal", "confirmed", Decimal("-3.00")),
        ("service", "confirmed", Decimal("2.00")),
    ]
    assert new.corrects_id == record.pk
    vw.vera.refresh_from_db()
    assert vw.vera.confirmed_hours == 2
    assert Account.objects.get(user=vw.world.vera).balance == 20
    assert Transaction.objects.filter(kind="reversal").count() == 1


def test_certificate_pdf_and_national_export(vw, client_for):
    services.hours_confirm(record=checked_out(vw), by=vw.world.mia)
    response = client_for(vw.world.vera).get("/volunteers/certificate.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        response.content.startswith(b"%PDF") and b"FontFile2" in response.content
    )  # the Chinese font is embedded
    response = client_for(vw.world.alice).get("/volunteers/staff/hours.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("志愿者姓名", "证件类型", "证件号码")
    assert len(rows) == 2 and rows[1][4] == "夜间安全巡逻" and rows[1][7] == 2
    # Volunteers and other communities' staff get no ledger.
    assert client_for(vw.world.vera).get("/volunteers/staff/hours.xlsx").status_code == 404


def test_sign_up_for_another_communitys_activity_is_refused(vw):
    w = vw.world
    foreign_team = services.team_create(
        name="银杏调解队", kind="mediation", community=w.c2, leader=w.gwen, by=w.erin
    )
    foreign = services.activity_create(
        team=foreign_team,
        title="调解",
        starts_at=timezone.now(),
        ends_at=timezone.now() + datetime.timedelta(hours=1),
        place="银杏里",
        capacity=3,
        by=w.gwen,
    )
    with pytest.raises(ValidationError, match="其他社区"):
        services.activity_sign_up(activity=foreign, volunteer=vw.vera, by=w.vera)
    assert not SignUp.objects.filter(activity=foreign).exists()


# --- Activities in the past: refused, unless staff record one afterwards ----------------------------


def past_times(days=3):
    starts = timezone.now() - datetime.timedelta(days=days)
    return {"starts_at": starts, "ends_at": starts + datetime.timedelta(hours=2)}


def test_an_activity_ending_in_the_past_cannot_be_published(vw):
    for by in (vw.world.mia, vw.world.alice):
        with pytest.raises(ValidationError, match="结束时间已过"):
            services.activity_create(
                team=vw.team, title="往期巡逻", place="东门", capacity=5, by=by, **past_times()
            )
    assert not Activity.objects.filter(title="往期巡逻").exists()


def test_only_staff_record_a_past_activity_and_only_one_that_has_ended(vw):
    common = dict(team=vw.team, title="往期巡逻", place="东门", capacity=5, recorded_afterwards=True)
    with pytest.raises(ValidationError, match="只有社区工作人员"):
        services.activity_create(by=vw.world.mia, **common, **past_times())
    future = {
        "starts_at": vw.now + datetime.timedelta(days=1),
        "ends_at": vw.now + datetime.timedelta(days=2),
    }
    with pytest.raises(ValidationError, match="已经结束"):
        services.activity_create(by=vw.world.alice, **common, **future)
    activity = services.activity_create(by=vw.world.alice, **common, **past_times())
    assert activity.recorded_afterwards


def test_a_past_activitys_attendance_is_recorded_afterwards_and_its_hours_confirmed(vw):
    times = past_times()
    activity = services.activity_create(
        team=vw.team,
        title="往期巡逻",
        place="东门",
        capacity=5,
        recorded_afterwards=True,
        by=vw.world.alice,
        **times,
    )
    # Volunteers can no longer sign up or check in themselves.
    with pytest.raises(ValidationError, match="已结束"):
        services.activity_sign_up(activity=activity, volunteer=vw.vera, by=vw.world.vera)
    with pytest.raises(ValidationError, match="只有队长或社区工作人员"):
        services.attendance_record_afterwards(
            activity=activity,
            volunteer=vw.vera,
            checked_in_at=times["starts_at"],
            checked_out_at=times["ends_at"],
            by=vw.world.vera,
        )
    services.attendance_record_afterwards(
        activity=activity,
        volunteer=vw.vera,
        checked_in_at=times["starts_at"] - datetime.timedelta(minutes=20),
        checked_out_at=times["ends_at"] - datetime.timedelta(minutes=30),
        by=vw.world.mia,
    )
    record = HourRecord.objects.get(activity=activity)
    assert record.hours == Decimal("1.50") and record.status == "proposed"
    assert SignUp.objects.filter(activity=activity, volunteer=vw.vera, status="active").exists()
    services.hours_confirm(record=record, by=vw.world.mia)
    assert Account.objects.get(user=vw.world.vera).balance == 15
    # An activity published ahead takes its attendance by check-in only.
    with pytest.raises(ValidationError, match="只有往期补录"):
        services.attendance_record_afterwards(
            activity=vw.activity,
            volunteer=vw.vera,
            checked_in_at=vw.activity.starts_at,
            checked_out_at=vw.activity.ends_at,
            by=vw.world.mia,
        )


def test_staff_record_a_past_activity_and_its_attendance_through_the_pages(vw, client_for):
    staff = client_for(vw.world.alice)
    data = {
        "title": "往期巡逻",
        "starts_at": "2026-01-05T19:00",
        "ends_at": "2026-01-05T21:00",
        "place": "东门",
        "capacity": "5",
    }
    url = f"/volunteers/teams/{vw.team.pk}/activities/new/"
    assert "结束时间已过" in staff.post(url, data).content.decode()
    assert staff.post(url, {**data, "recorded_afterwards": "on"}).status_code == 302
    activity = Activity.objects.get(title="往期巡逻", recorded_afterwards=True)
    # The leader does not get the choice: only staff record past activities.
    assert "recorded_afterwards" not in client_for(vw.world.mia).get(url).content.decode()
    leader = client_for(vw.world.mia)
    page = leader.get(f"/volunteers/activities/{activity.pk}/").content.decode()
    assert "往期补录" in page and "checked_in_at" in page
    response = leader.post(
        f"/volunteers/activities/{activity.pk}/attendance/afterwards/",
        {"volunteer": vw.vera.pk, "checked_in_at": "2026-01-05T19:00", "checked_out_at": "2026-01-05T20:30"},
        follow=True,
    )
    assert "签到记录已补录" in response.content.decode()
    assert HourRecord.objects.get(activity=activity, volunteer=vw.vera).hours == Decimal("1.50")


# --- The national system's import: masked by default, clear only when audited ---------------------


@pytest.fixture
def vera_with_id(vw):
    from tests import factories as f

    vw.vera.resident = f.ResidentFactory(
        name="王薇", phone="13700001111", home=vw.world.h1, id_number=f.make_id_number(7)
    )
    vw.vera.save(update_fields=["resident"])
    services.hours_confirm(record=checked_out(vw), by=vw.world.mia)
    return vw.vera.resident


def sheet_rows(response):
    return list(load_workbook(io.BytesIO(response.content)).active.values)


def test_the_national_export_carries_clear_numbers_only_when_audited(vw, vera_with_id, client_for):
    from volunteers.models import AuditedExport

    alice = client_for(vw.world.alice)
    masked = sheet_rows(alice.get("/volunteers/staff/hours.xlsx"))[1]
    assert masked[0] == "王薇" and masked[2] == vera_with_id.id_number_masked and masked[3] == "137****1111"
    assert not AuditedExport.objects.exists()

    response = alice.post("/volunteers/staff/hours-national.xlsx", {"reason": "上报全国志愿服务信息系统"})
    assert response.status_code == 200 and "national" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    row = sheet_rows(response)[1]
    assert row[2] == vera_with_id.reveal_id_number() and row[3] == "13700001111"
    log = AuditedExport.objects.get()
    assert (log.user, log.reason, log.scope, log.row_count) == (
        vw.world.alice,
        "上报全国志愿服务信息系统",
        "桂花社区",
        1,
    )


def test_the_clear_export_decrypts_each_row_without_a_query_per_row(vw, vera_with_id, client_for):
    # Phones and ID numbers are encrypted at rest: the sheet decrypts them in Python from the rows it
    # already loaded, so 1 row and 6 rows take the same queries.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import factories as f

    alice = client_for(vw.world.alice)

    def export():
        with CaptureQueriesContext(connection) as queries:
            response = alice.post(
                "/volunteers/staff/hours-national.xlsx", {"reason": "上报全国志愿服务信息系统"}
            )
        return sheet_rows(response)[1:], len(queries)

    one, one_queries = export()
    assert [row[3] for row in one] == ["13700001111"]
    record = HourRecord.objects.get()
    for n in range(5):
        volunteer = make_volunteer(vw.world, f"phone{n}")
        volunteer.resident = f.ResidentFactory(name=f"志愿者{n}", phone=f"1360000222{n}", home=vw.world.h2)
        volunteer.save(update_fields=["resident"])
        record.pk, record.volunteer = None, volunteer
        record.save()
    many, many_queries = export()
    assert sorted(row[3] for row in many) == [
        "13600002220",
        "13600002221",
        "13600002222",
        "13600002223",
        "13600002224",
        "13700001111",
    ]
    assert many_queries == one_queries
    masked = sheet_rows(alice.get("/volunteers/staff/hours.xlsx"))[1:]
    assert sorted(row[3] for row in masked)[0] == "136****2220"


@pytest.mark.parametrize("reason", ["", "x", "理" * 201])
def test_the_audited_export_needs_a_reason_of_2_to_200_characters(vw, vera_with_id, client_for, reason):
    from volunteers.models import AuditedExport

    response = client_for(vw.world.alice).post(
        "/volunteers/staff/hours-national.xlsx", {"reason": reason}, follow=True
    )
    assert "请说明需要证件号码和手机号的原因" in response.content.decode()
    assert "spreadsheetml" not in response["Content-Type"]
    assert not AuditedExport.objects.exists()


def test_roles_that_may_not_reveal_get_no_clear_export(vw, vera_with_id, client_for):
    from volunteers.models import AuditedExport

    # The street official sees the masked ledger but may not reveal; the volunteer sees no ledger at all.
    sam = client_for(vw.world.sam)
    assert sam.get("/volunteers/staff/hours.xlsx").status_code == 200
    assert "hours-national" not in sam.get("/volunteers/staff/hours/").content.decode()
    assert sam.post("/volunteers/staff/hours-national.xlsx", {"reason": "上报"}).status_code == 403
    assert (
        client_for(vw.world.vera)
        .post("/volunteers/staff/hours-national.xlsx", {"reason": "上报"})
        .status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        services.hours_export_audited(by=vw.world.sam, reason="上报", communities=[vw.world.c1], row_count=1)
    assert not AuditedExport.objects.exists()
    assert "hours-national" in client_for(vw.world.alice).get("/volunteers/staff/hours/").content.decode()


def test_typed_text_in_both_hours_exports_is_never_a_formula(vw, vera_with_id, client_for):
    from tests.helpers import FORMULA_LIKE, assert_typed_text_is_text
    from volunteers.models import Activity, HourRecord

    title, note = FORMULA_LIKE[0], FORMULA_LIKE[3]
    Activity.objects.update(title=title)
    HourRecord.objects.update(note=note)
    alice = client_for(vw.world.alice)
    assert_typed_text_is_text(alice.get("/volunteers/staff/hours.xlsx").content, title, note)
    response = alice.post("/volunteers/staff/hours-national.xlsx", {"reason": "上报全国志愿服务信息系统"})
    assert_typed_text_is_text(response.content, title, note)
