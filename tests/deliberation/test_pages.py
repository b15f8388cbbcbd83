"""The pages end to end: a request taken to deliberation shows on its tracking page; the workflow through
the staff pages; the open call answered and counted; the public disclosures with dates and nothing internal;
attendance by the code's link recorded once."""

import datetime

import pytest
from django.utils import timezone

from deliberation import services as s
from deliberation.models import Attendance, Stage, Topic
from petitions.models import PetitionEvent
from tests.petitions.conftest import challenge_fields

from .conftest import through_vote

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_fill_time(settings):
    settings.PETITION_FORM_MIN_SECONDS = 0


def test_a_request_taken_to_deliberation_shows_on_its_tracking_page(world, submit, client_for, client):
    p = submit(world, description="电动车没地方停，堵了楼道")
    staff = client_for(world.alice)
    # The workbench item leads to a new topic with its code filled in.
    item = staff.get(f"/workbench/{p.pk}/").content.decode()
    assert f'href="/deliberation/topics/new/?petition={p.tracking_code}"' in item and "提交议事协商" in item
    assert (
        p.tracking_code in staff.get(f"/deliberation/topics/new/?petition={p.tracking_code}").content.decode()
    )
    response = staff.post(
        "/deliberation/topics/new/",
        {
            "community": world.c1.pk,
            "area": world.area1.pk,
            "title": "电动车停放",
            "petition_codes": p.tracking_code,
        },
    )
    topic = Topic.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/deliberation/topics/{topic.pk}/"
    assert list(topic.petitions.all()) == [p] and topic.source == Topic.Source.PETITION
    event = p.events.get(action=PetitionEvent.Action.DELIBERATE)
    assert event.public and event.actor == world.alice and event.data == {"topic": topic.pk}
    client.logout()
    page = client.get(f"/petitions/track/{p.tracking_code}/").content.decode()
    assert "已提交议事协商：电动车停放" in page
    # Linking it again writes no second step.
    s.topic_save(topic=topic, petitions=[p], by=world.alice)
    assert p.events.filter(action=PetitionEvent.Action.DELIBERATE).count() == 1


def test_a_request_of_another_community_cannot_be_linked(world, submit, client_for):
    p = submit(world, building=world.b3)  # community c2
    response = client_for(world.alice).post(
        "/deliberation/topics/new/",
        {"community": world.c1.pk, "title": "停车", "petition_codes": p.tracking_code},
    )
    assert response.status_code == 200
    assert "找不到以下查询码对应的诉求" in response.content.decode()
    assert not Topic.objects.exists() and not p.events.filter(action="deliberate").exists()


def test_the_workflow_through_the_pages(world, topic, client_for):
    c = client_for(world.alice)
    url = f"/deliberation/topics/{topic.pk}/step/"
    deadline = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    # Out of order: refused with a message, nothing changes.
    response = c.post(url + "deliberated/", {"opinion": "同意"}, follow=True)
    assert "顺序不对" in response.content.decode()
    assert Topic.objects.get(pk=topic.pk).stage == Stage.DRAFT
    c.post(url + "soliciting/", {"question": "车棚建在哪？", "deadline": deadline})
    page = c.get(f"/deliberation/topics/{topic.pk}/").content.decode()
    assert "<svg" in page and f"/deliberation/call/{topic.call_token}/" in page
    c.post(url + "proposed/", {"proposal": "建车棚", "options": "北侧\n南侧"})
    c.post(url + "deliberated/", {"opinion": "同意"})
    north, south = Topic.objects.get(pk=topic.pk).options.all()
    counts = {f"for_{north.pk}": 8, f"against_{north.pk}": 2, f"abstain_{north.pk}": 0}
    counts |= {f"for_{south.pk}": 2, f"against_{south.pk}": 7, f"abstain_{south.pk}": 1}
    # A count larger than those present is refused.
    bad = c.post(
        url + "voted/", {"entitled": 20, "present": 10, **counts, f"for_{north.pk}": 11}, follow=True
    )
    assert (
        "多于出席人数" in bad.content.decode() and Topic.objects.get(pk=topic.pk).stage == Stage.DELIBERATED
    )
    c.post(url + "voted/", {"entitled": 20, "present": 10, **counts})
    topic.refresh_from_db()
    assert topic.outcome == Topic.Outcome.PASSED
    assert [o.passed for o in topic.options.all()] == [True, False]
    c.post(url + "resolution_published/", {"resolution": "在北侧建车棚"})
    c.post(url + "result_published/", {"result": "新增车位3000个"})
    topic.refresh_from_db()
    assert topic.stage == Stage.RESULT_PUBLISHED
    assert list(topic.steps.values_list("by__username", flat=True)) == ["alice"] * 6


def test_the_open_call_is_answered_and_counted(world, topic, client):
    s.topic_open_call(
        topic=topic,
        question="车棚建在哪？",
        deadline=timezone.now() + datetime.timedelta(days=3),
        by=world.alice,
    )
    url = f"/deliberation/call/{topic.call_token}/"
    assert "车棚建在哪？" in client.get(url).content.decode()
    response = client.post(url, {"text": "建在北侧", **challenge_fields()})
    assert response.status_code == 302
    # A wrong answer to the question is refused and counts nothing.
    wrong = client.post(
        url, {"text": "南侧", "captcha_token": challenge_fields()["captcha_token"], "captcha_answer": "99"}
    )
    assert wrong.status_code == 200 and "验证题答案不对" in wrong.content.decode()
    assert topic.answers.count() == 1
    assert "已收到 1 条意见" in client.get(url).content.decode()
    assert client.get("/deliberation/call/nonsense/").status_code == 404


def test_the_public_page_shows_both_disclosures_with_dates_and_nothing_internal(
    world, topic, meeting, client
):
    through_vote(topic, world.alice)
    Topic.objects.filter(pk=topic.pk).update(vote_meeting=meeting)
    s.meeting_minutes_save(meeting=meeting, minutes="内部讨论：张三反对", internal=True, by=world.bob)
    page = client.get(f"/deliberation/public/areas/{world.area1.pk}/").content.decode()
    assert "电动车停放" not in page  # nothing before the resolution is published
    s.topic_publish_resolution(topic=topic, resolution="在3栋北侧建车棚", by=world.alice)
    page = client.get(f"/deliberation/public/areas/{world.area1.pk}/").content.decode()
    today = timezone.localdate().strftime("%Y-%m-%d")
    assert "在3栋北侧建车棚" in page and today in page and "正在落实" in page
    assert "内部讨论" not in page and "同意，费用由物业承担" not in page and "车棚不够" not in page
    s.topic_publish_result(topic=topic, result="新增车位3000个", by=world.alice)
    s.meeting_minutes_save(meeting=meeting, minutes="会议公开纪要", internal=False, by=world.bob)
    page = client.get(f"/deliberation/public/communities/{world.c1.pk}/").content.decode()
    assert "新增车位3000个" in page and "会议公开纪要" in page
    assert "电动车停放" not in client.get(f"/deliberation/public/areas/{world.area2.pk}/").content.decode()
    assert client.get("/deliberation/public/streets/1/").status_code == 404


def test_attendance_by_the_link_is_recorded_once(world, meeting, client, client_for):
    url = f"/deliberation/attend/{meeting.attendance_token}/"
    for _ in range(2):
        response = client.post(url, {"name": "张桂兰", "phone_last4": "5678"})
        assert "已签到" in response.content.decode()
    assert Attendance.objects.filter(meeting=meeting).count() == 1
    bad = client.post(url, {"name": "李", "phone_last4": "56"})
    assert Attendance.objects.count() == 1 and "errors" in bad.content.decode()
    carol = client_for(world.carol)
    carol.post(url)
    carol.post(url)
    assert Attendance.objects.filter(meeting=meeting, user=world.carol).count() == 1
    assert client.get("/deliberation/attend/nonsense/").status_code == 404


def test_attendance_is_refused_on_another_day(world, meeting, client):
    meeting.starts_at = timezone.now() + datetime.timedelta(days=2)
    meeting.save()
    response = client.post(
        f"/deliberation/attend/{meeting.attendance_token}/", {"name": "张", "phone_last4": "5678"}
    )
    assert "现在不能签到" in response.content.decode() and not Attendance.objects.exists()


def test_the_host_ticks_a_name_and_records_the_vote_on_the_phone(world, topic, meeting, client_for):
    host = client_for(world.bob)
    host.post(f"/deliberation/meetings/{meeting.pk}/tick/", {"name": "王大爷"})
    host.post(f"/deliberation/meetings/{meeting.pk}/tick/", {"name": "王大爷"})
    assert list(meeting.attendances.values_list("name", "method")) == [("王大爷", "host")]
    s.topic_open_call(
        topic=topic, question="？", deadline=timezone.now() + datetime.timedelta(days=1), by=world.alice
    )
    s.topic_propose(topic=topic, proposal="建车棚", options=[], by=world.alice)
    s.topic_deliberate(topic=topic, opinion="同意", by=world.alice)
    option = topic.options.get()
    url = f"/deliberation/meetings/{meeting.pk}/topics/{topic.pk}/vote/"
    assert host.get(url).status_code == 200
    host.post(
        url,
        {
            "entitled": 30,
            "present": 16,
            f"for_{option.pk}": 9,
            f"against_{option.pk}": 5,
            f"abstain_{option.pk}": 2,
        },
    )
    topic.refresh_from_db()
    assert topic.outcome == Topic.Outcome.PASSED and topic.vote_meeting == meeting
    assert topic.steps.get(stage=Stage.VOTED).by == world.bob


def test_meeting_files_are_private(world, meeting, client_for, client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    host = client_for(world.bob)
    host.post(
        f"/deliberation/meetings/{meeting.pk}/files/", {"file": SimpleUploadedFile("签到表.pdf", b"%PDF-1.4")}
    )
    bad = host.post(
        f"/deliberation/meetings/{meeting.pk}/files/",
        {"file": SimpleUploadedFile("x.exe", b"MZ")},
        follow=True,
    )
    assert "仅限" in bad.content.decode()
    item = meeting.files.get()
    assert not item.is_photo
    assert host.get(f"/deliberation/meetings/{meeting.pk}/files/{item.pk}/").status_code == 200
    client.logout()
    assert client.get(f"/deliberation/meetings/{meeting.pk}/files/{item.pk}/").status_code == 302  # to login
    assert (
        client_for(world.erin).get(f"/deliberation/meetings/{meeting.pk}/files/{item.pk}/").status_code == 404
    )


def test_the_dashboard_leads_to_deliberation(world, client_for):
    page = client_for(world.bob).get("/dashboard/").content.decode()
    assert 'href="/deliberation/meetings/"' in page and "议事协商" in page
    assert 'id="deliberation"' not in client_for(world.carol).get("/dashboard/").content.decode()


def test_a_visit_leads_to_a_topic(world, client_for):
    from visits.models import Visit

    visit = Visit.objects.create(household=world.h1, visited_on=timezone.localdate(), recorded_by=world.bob)
    c = client_for(world.alice)
    assert "?visit=" in c.get(f"/dashboard/visits/{visit.pk}/").content.decode()
    assert "?visit=" not in client_for(world.bob).get(f"/dashboard/visits/{visit.pk}/").content.decode()
    c = client_for(world.alice)
    c.post(
        f"/deliberation/topics/new/?visit={visit.pk}",
        {"community": world.c1.pk, "title": "楼道堆物", "visit": visit.pk},
    )
    topic = Topic.objects.get()
    assert topic.visit == visit and topic.source == Topic.Source.VISIT
    other = Visit.objects.create(household=world.h3, visited_on=timezone.localdate(), recorded_by=world.gwen)
    assert c.get(f"/deliberation/topics/new/?visit={other.pk}").status_code == 404
