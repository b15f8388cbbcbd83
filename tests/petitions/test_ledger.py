"""The request ledger (台账) export: Chinese headers, one row per item of the period and area, only what
the user's patch holds, no phone, typed text never a formula, and queries that do not grow with rows."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from petitions import services as s
from petitions.models import Petition
from tests.helpers import assert_typed_text_is_text

pytestmark = pytest.mark.django_db

HEADERS = [
    "查询码",
    "受理时间",
    "类型",
    "类别",
    "内容",
    "位置",
    "状态",
    "承办人",
    "办理时限",
    "办结时间",
    "回访结果",
    "满意度",
]


def sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content)).active


def rows(response):
    return [list(r) for r in sheet(response).iter_rows(values_only=True)]


def local(moment):
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def test_headers_and_the_values_of_a_closed_item(world, client, submit):
    p = submit(world, location_text="楼道口")
    s.petition_accept(petition=p, by=world.alice)
    s.petition_dispatch(petition=p, by=world.alice, assignee=world.bob)
    s.petition_start(petition=p, by=world.bob)
    s.petition_resolve(petition=p, by=world.bob, note="已更换灯泡")
    s.petition_follow_up(petition=p, by=world.alice, solved=True, satisfaction="satisfied")
    p.refresh_from_db()
    client.force_login(world.alice)
    header, row = rows(client.get("/workbench/ledger/"))
    assert header == HEADERS
    assert row[0] == p.tracking_code
    assert row[1].replace(microsecond=0) == local(p.accepted_at)
    assert row[2:8] == ["诉求", "公共设施", "1栋楼道灯坏了", "1栋 楼道口", "已关闭", "Bob"]
    assert row[8].replace(microsecond=0) == local(p.resolve_due_at)
    assert row[9].replace(microsecond=0) == local(p.resolved_at)
    assert row[10:] == ["已解决", "满意"]


def test_a_wish_waiting_shows_its_kind_and_empty_cells_not_a_phone(world, client, submit):
    submit(world, kind="wish", description="想要一辆轮椅")
    client.force_login(world.alice)
    header, row = rows(client.get("/workbench/ledger/"))
    assert row[2] == "微心愿" and row[6] == "已提交"
    assert row[1] is None and row[7] is None and row[10] is None
    text = " ".join(str(v) for v in row if v is not None)
    assert "13811112222" not in text and "2222" not in text


def test_staff_of_one_community_never_see_anothers_rows(world, client, submit):
    mine = submit(world)
    theirs = submit(world, building=world.b3)
    client.force_login(world.alice)
    assert [r[0] for r in rows(client.get("/workbench/ledger/"))[1:]] == [mine.tracking_code]
    client.force_login(world.erin)
    assert [r[0] for r in rows(client.get("/workbench/ledger/"))[1:]] == [theirs.tracking_code]
    # Asking for the other community's area gives nothing, not their rows.
    assert rows(client.get("/workbench/ledger/", {"community": world.c1.pk}))[1:] == []
    client.force_login(world.bob)  # a grid leader: his grid only
    other_grid = submit(world, building=world.b2)
    codes = [r[0] for r in rows(client.get("/workbench/ledger/"))[1:]]
    assert mine.tracking_code in codes and other_grid.tracking_code not in codes


def test_period_and_area_filters(world, client, submit):
    old = submit(world)
    Petition.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))
    new = submit(world)
    g2 = submit(world, building=world.b2)
    client.force_login(world.alice)
    today = timezone.localdate()
    start = (today - datetime.timedelta(days=7)).isoformat()
    codes = [
        r[0] for r in rows(client.get("/workbench/ledger/", {"start": start, "end": today.isoformat()}))[1:]
    ]
    assert sorted(codes) == sorted([new.tracking_code, g2.tracking_code])
    codes = [r[0] for r in rows(client.get("/workbench/ledger/", {"start": start, "grid": world.g2.pk}))[1:]]
    assert codes == [g2.tracking_code]


def test_a_description_starting_with_equals_is_text(world, client, submit):
    submit(world, description='=HYPERLINK("http://example.invalid","点这里")')
    client.force_login(world.alice)
    response = client.get("/workbench/ledger/")
    cell = sheet(response)["E2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://example.invalid","点这里")'
    assert_typed_text_is_text(response.content, '=HYPERLINK("http://example.invalid","点这里")')


def test_bad_dates_are_named_and_nothing_is_exported(world, client, submit):
    submit(world)
    client.force_login(world.alice)
    response = client.get("/workbench/ledger/", {"start": "2024-03-02", "end": "2024-03-01"}, follow=True)
    assert response.redirect_chain[-1][0].startswith("/workbench/?")
    assert [str(m) for m in response.context["messages"]] == ["结束日期早于开始日期。"]
    client.force_login(world.carol)  # a resident: no workbench, no ledger
    assert client.get("/workbench/ledger/").status_code == 404


def test_the_workbench_button_carries_the_period_and_area(world, client, submit):
    submit(world)
    client.force_login(world.alice)
    html = client.get(
        "/workbench/",
        {"tab": "all", "q": "灯", "start": "2024-01-01", "end": "2024-12-31", "grid": world.g1.pk},
    ).content.decode()
    assert "导出台账" in html
    link = html[html.index('id="export-ledger"') :].split('"')[3]
    assert link == f"/workbench/ledger/?start=2024-01-01&amp;end=2024-12-31&amp;grid={world.g1.pk}"


@pytest.mark.parametrize("n", [1, 30])
def test_queries_do_not_grow_with_rows(world, client, submit, django_assert_num_queries, n):
    for i in range(n):
        p = submit(world, description=f"第{i}件")
        if i % 2:
            s.petition_accept(petition=p, by=world.alice)
            s.petition_dispatch(petition=p, by=world.alice, assignee=world.bob)
    client.force_login(world.alice)
    # 1 session, 2 user, 3 scope, 4 organisations and 5 own items outside the area (the request scope),
    # 6 the rows with category, building, assignee and organisation joined.
    with django_assert_num_queries(6):
        response = client.get("/workbench/ledger/")
    assert len(rows(response)) == n + 1
