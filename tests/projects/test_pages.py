"""The ledger pages: scoped (404 outside one's patch), the level above sees every community, overdue
milestones marked, a constant number of queries at 1 and 50 rows, the xlsx export, the public page."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from projects.models import Evidence, Milestone, Project
from projects.services import milestone_add_evidence, milestone_complete, project_save
from tests import factories as f

from .conftest import jpeg, start_day

pytestmark = pytest.mark.django_db


def bulk(world, n, organisation=None):
    """n projects of c1 (the first through the service), each with two milestones, one overdue."""
    organisation = organisation or world.committee
    start = start_day()
    Project.objects.bulk_create(
        Project(
            name=f"项目{i}",
            kind=Project.Kind.POSITION,
            organisation=organisation,
            community=organisation.community,
            responsible=world.bob,
            starts_on=start,
            due_on=start + datetime.timedelta(days=90),
            status=Project.Status.IN_PROGRESS,
        )
        for i in range(n)
    )
    Milestone.objects.bulk_create(
        m
        for p in Project.objects.filter(organisation=organisation)
        for m in (
            Milestone(project=p, title="选址", due_on=start + datetime.timedelta(days=2)),
            Milestone(project=p, title="建成", due_on=start + datetime.timedelta(days=60)),
        )
    )


@pytest.mark.parametrize("n", [1, 50])
def test_ledger_page_queries_are_constant(world, client_for, django_assert_num_queries, n):
    bulk(world, n)
    client = client_for(world.alice)
    # 1 session, 2 user, 3 role assignments, 4 communities and 5 organisations for the filter,
    # 6 paginator count, 7 the page with its progress counts and organisation, community, area and
    # responsible joined.
    with django_assert_num_queries(7):
        response = client.get("/projects/")
    assert response.status_code == 200
    rows = response.context["page"].object_list
    assert len(rows) == min(n, 20)
    assert all(p.overdue_count == 1 and p.progress == 0 for p in rows)
    assert "1个节点逾期" in response.content.decode()


def test_ledger_is_scoped_and_the_street_sees_every_community(world, client_for):
    bulk(world, 2)
    theirs = f.PartyOrganisationFactory(community=world.c2, name="银杏社区党委")
    bulk(world, 1, organisation=theirs)
    mine = client_for(world.alice).get("/projects/")
    assert {p.community_id for p in mine.context["page"]} == {world.c1.pk}
    street = client_for(world.sam).get("/projects/")
    assert {p.community_id for p in street.context["page"]} == {world.c1.pk, world.c2.pk}
    assert street.context["many_communities"]
    only_c2 = client_for(world.sam).get(f"/projects/?community={world.c2.pk}")
    assert [p.name for p in only_c2.context["page"]] == ["项目0"]


def test_ledger_filters_by_organisation_status_and_overdue(world, client_for, make_project):
    bulk(world, 1)
    branch = f.PartyOrganisationFactory(
        community=world.c1, name="桂花苑支部", level=2, org_type="branch", parent=world.committee
    )
    make_project(name="楼道微更新", organisation=branch, milestones=[("方案", 40)])
    client = client_for(world.alice)
    names = lambda url: [p.name for p in client.get(url).context["page"]]  # noqa: E731
    assert names(f"/projects/?organisation={branch.pk}") == ["楼道微更新"]
    assert names("/projects/?status=planned") == ["楼道微更新"]
    assert names("/projects/?overdue=on") == ["项目0"]
    assert names("/projects/?q=微更新") == ["楼道微更新"]
    # A filter naming nothing is dropped, not an error.
    assert client.get("/projects/?organisation=abc").status_code == 200


@pytest.mark.parametrize("user", ["bob", "pete", "carol", "vera"])
def test_ledger_is_not_for_residents_or_grid_leaders(world, client_for, user):
    assert client_for(getattr(world, user)).get("/projects/").status_code == 403
    assert client_for(getattr(world, user)).get("/projects/ledger.xlsx").status_code == 403


def test_export_opens_with_chinese_headers_one_row_per_project(world, client_for, make_project):
    make_project(milestones=[("选址", 2), ("招标", 20), ("建成3000个车位", 50)])
    make_project(name='=HYPERLINK("x")', milestones=[("方案", 5)])
    theirs = f.PartyOrganisationFactory(community=world.c2)
    bulk(world, 1, organisation=theirs)
    response = client_for(world.alice).get("/projects/ledger.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:15] == (
        "序号", "街道", "社区", "党组织", "项目名称", "项目类型", "责任人", "开始日期", "计划完成日期",
        "预算（元）", "资金来源", "状态", "进度（%）", "逾期节点数", "完成日期",
    )  # fmt: skip
    assert header[15:] == (
        "节点1", "节点1计划完成", "节点1完成日期", "节点2", "节点2计划完成", "节点2完成日期",
        "节点3", "节点3计划完成", "节点3完成日期",
    )  # fmt: skip
    assert len(rows) == 3  # the header and alice's two projects, not c2's
    by_name = {row[4]: row for row in rows[1:]}
    assert by_name["电动车集中充电停车"][15:18] == (
        "选址",
        datetime.datetime.combine(start_day() + datetime.timedelta(days=2), datetime.time()),
        None,
    )
    assert by_name["电动车集中充电停车"][13] == 1  # the first milestone is overdue
    # Typed text stays text, never a formula.
    assert sheet.cell(row=2, column=5).data_type == "s"


@pytest.mark.parametrize("n", [1, 50])
def test_export_queries_are_constant(world, client_for, django_assert_num_queries, n):
    bulk(world, n)
    client = client_for(world.alice)
    # 1 session, 2 user, 3 scope, 4-5 the filter's choices, 6 the widest milestone count, 7 the rows,
    # 8 their milestones.
    with django_assert_num_queries(8):
        response = client.get("/projects/ledger.xlsx")
    assert len(list(load_workbook(io.BytesIO(response.content)).active.iter_rows())) == n + 1


def test_other_communities_projects_answer_404_on_every_url(world, client_for, make_project, media):
    project = make_project(milestones=[("选址", 2)])
    milestone = project.milestones.get()
    milestone_add_evidence(milestone=milestone, photos=[jpeg()], by=world.alice)
    evidence = Evidence.objects.get()
    urls = [
        f"/projects/{project.pk}/",
        f"/dashboard/projects/{project.pk}/",
        f"/api/v1/projects/{project.pk}/",
        f"/projects/evidence/{evidence.pk}/",
        f"/communities/projects/photos/{evidence.pk}/",  # not published
    ]
    for user in (world.erin, world.gwen, world.dave):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(f"/projects/milestones/{milestone.pk}/record/", {"note": "x"}).status_code == 404
        assert client.post(f"/dashboard/milestones/{milestone.pk}/", {"note": "x"}).status_code == 404
    assert Milestone.objects.get().note == ""
    # The same URLs answer the community's staff: the 404s above are the scope, not a missing page.
    alice = client_for(world.alice)
    for url in urls[:4]:
        assert alice.get(url).status_code == 200, url
    # The street official sees it; the responsible grid leader too.
    assert client_for(world.sam).get(f"/projects/{project.pk}/").status_code == 200
    assert client_for(world.bob).get(f"/projects/evidence/{evidence.pk}/").status_code == 200


def test_detail_page_adds_milestones_and_changes_status(world, client_for, make_project):
    project = make_project()
    client = client_for(world.alice)
    day = (start_day() + datetime.timedelta(days=3)).isoformat()
    response = client.post(f"/projects/{project.pk}/", {"milestone-title": "选址", "milestone-due_on": day})
    assert response.status_code == 302
    early = (start_day() - datetime.timedelta(days=3)).isoformat()
    response = client.post(f"/projects/{project.pk}/", {"milestone-title": "提前", "milestone-due_on": early})
    assert response.status_code == 400
    assert "不能早于项目开始" in response.content.decode()
    assert list(project.milestones.values_list("title", flat=True)) == ["选址"]
    response = client.post(f"/projects/{project.pk}/", {"status-status": "done"})
    assert response.status_code == 400
    assert Project.objects.get(pk=project.pk).status == "planned"
    assert client.post(f"/projects/{project.pk}/", {"status-status": "in_progress"}).status_code == 302
    assert Project.objects.get(pk=project.pk).status == "in_progress"
    # The street official reads the page but may not write.
    assert (
        client_for(world.sam).post(f"/projects/{project.pk}/", {"status-status": "cancelled"}).status_code
        == 403
    )


def test_staff_record_evidence_and_done_from_the_project_page(world, client_for, make_project, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    project = make_project(milestones=[("招标", 3)])
    milestone = project.milestones.get()
    client = client_for(world.alice)
    plan = SimpleUploadedFile("招标文件.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    url = f"/projects/milestones/{milestone.pk}/record/"
    response = client.post(url, {"files": [plan], "photos": [jpeg()], "note": "中标公示", "mark_done": "on"})
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/"
    milestone.refresh_from_db()
    assert milestone.done_on == timezone.localdate() and milestone.note == "中标公示"
    file = Evidence.objects.get(kind="file")
    download = client.get(f"/projects/evidence/{file.pk}/")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "招标文件.pdf" in page and "100%" in page
    # The street official reads, and may not record.
    assert client_for(world.sam).post(url, {"note": "x"}).status_code == 403
    assert Milestone.objects.get().note == "中标公示"


def test_overdue_milestone_is_marked_on_the_detail_page(world, client_for, make_project):
    project = make_project(milestones=[("选址", 2), ("建成", 50)])
    page = client_for(world.alice).get(f"/projects/{project.pk}/")
    overdue = [m.title for m in page.context["milestones"] if m.is_overdue]
    assert overdue == ["选址"]
    assert page.content.decode().count('class="is-overdue"') == 1


def test_public_page_shows_published_projects_without_names(world, client, make_project, media):
    shown = make_project(milestones=[("选址", 2), ("建成3000个车位", 8)], public_summary="新增3000个电动车位")
    shown.published = True
    project_save(project=shown, by=world.alice)
    milestone_complete(
        milestone=shown.milestones.order_by("due_on").first(),
        note="张桂兰 13812345678 家门口",
        photos=[jpeg()],
        by=world.bob,
    )
    make_project(name="内部项目")
    response = client.get(f"/communities/{world.c1.pk}/projects/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "电动车集中充电停车" in html and "内部项目" not in html
    assert "新增3000个电动车位" in html and "50%" in html
    for private in ("张桂兰", "13812345678", "Bob", "bob"):
        assert private not in html
    photo = Evidence.objects.get()
    assert f"/communities/projects/photos/{photo.pk}/" in html
    assert client.get(f"/communities/projects/photos/{photo.pk}/").status_code == 200
    assert client.get(f"/projects/evidence/{photo.pk}/").status_code == 302  # the private URL wants a login
    assert client.get("/communities/999999/projects/").status_code == 404


@pytest.mark.parametrize("n", [1, 50])
def test_public_page_queries_are_constant(world, client, django_assert_num_queries, n):
    bulk(world, n)
    Project.objects.update(published=True)
    # 1 the community, 2 count, 3 the page, 4 its milestones, 5 their photos.
    with django_assert_num_queries(5):
        response = client.get(f"/communities/{world.c1.pk}/projects/")
    assert len(response.context["page"].object_list) == min(n, 20)


def test_timezone_is_local(world):
    assert timezone.get_current_timezone_name() == "Asia/Shanghai"
