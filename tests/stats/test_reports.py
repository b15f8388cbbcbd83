"""The monthly report: asked for on the page, built by the worker's service, downloadable when ready,
with one sheet per section and Chinese headers; the PDF draws the charts."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from stats.models import Report
from stats.services import report_build

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def ask(client, level, pk, month=None):
    month = month or timezone.localdate().strftime("%Y-%m")
    return client.post(f"/stats/{level}/{pk}/reports/", {"month": month})


def test_a_report_is_asked_for_built_and_downloaded(stats_world, client_for):
    w = stats_world.world
    client = client_for(w.alice)
    assert ask(client, "community", w.c1.pk).status_code == 302
    report = Report.objects.get()
    assert report.status == Report.Status.QUEUED and report.requested_by == w.alice
    # Asking again while it is being prepared does not queue a second one.
    ask(client, "community", w.c1.pk)
    assert Report.objects.count() == 1
    assert "正在生成" in client.get(f"/stats/community/{w.c1.pk}/").content.decode()
    report_build(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE and report.finished_at
    html = client.get(f"/stats/community/{w.c1.pk}/").content.decode()
    assert f"/stats/reports/{report.pk}.xlsx" in html and f"/stats/reports/{report.pk}.pdf" in html

    xlsx = client.get(f"/stats/reports/{report.pk}.xlsx")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert book.sheetnames == [
        "概览",
        "按类型",
        "月度趋势",
        "按类别",
        "下级排名",
        "类别分布",
        "走访记录",
        "实有人口和房屋",
        "志愿服务和积分",
    ]
    rows = {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    assert rows["按类型"][0] == ("类型", "已收到", "已受理", "已办结", "已关闭")
    assert rows["按类型"][1:] == [("微心愿", 1, 1, 0, 0), ("诉求", 3, 3, 1, 1), ("建议", 1, 0, 0, 0)]
    assert rows["下级排名"][0] == (
        "区域",
        "已收到",
        "已办结",
        "按时办结率（%）",
        "满意率（%）",
        "走访覆盖率（%）",
        "当前超期",
    )
    assert [r[0] for r in rows["下级排名"][1:]] == [w.g1.name, w.g2.name]
    assert ("已收到", 5) in rows["概览"]
    assert rows["走访记录"][1] == (2, 1, 3, 3, 50)

    pdf = client.get(f"/stats/reports/{report.pk}.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_reports_are_scoped_and_months_checked(stats_world, client_for):
    w = stats_world.world
    ask(client_for(w.alice), "community", w.c1.pk)
    report = Report.objects.get()
    report_build(report_id=report.pk)
    assert client_for(w.erin).get(f"/stats/reports/{report.pk}.xlsx").status_code == 404
    assert ask(client_for(w.erin), "community", w.c1.pk).status_code == 404
    assert client_for(w.sam).get(f"/stats/reports/{report.pk}.xlsx").status_code == 200
    # A month still to come has no report; a malformed one is explained.
    response = ask(client_for(w.alice), "community", w.c1.pk, month="2999-01")
    assert "只能为本月或过去的月份生成报表" in client_for(w.alice).get(response.url).content.decode()
    assert Report.objects.count() == 1
    ask(client_for(w.alice), "community", w.c1.pk, month="soon")
    assert Report.objects.count() == 1


def test_a_building_report_has_no_league_and_no_volunteer_sheet(stats_world, client_for):
    w = stats_world.world
    ask(client_for(w.bob), "building", w.b1.pk)
    report = report_build(report_id=Report.objects.get().pk)
    book = load_workbook(report.xlsx.path)
    assert "下级排名" not in book.sheetnames and "志愿服务和积分" not in book.sheetnames
    # Built once: a redelivered task changes nothing.
    assert report_build(report_id=report.pk).finished_at == report.finished_at


def test_every_sheet_has_its_chinese_headers_and_a_closed_month_reads_the_stored_counts(
    stats_world, client_for
):
    """A district's report of last month, the requests moved there and the month counted by the worker:
    each sheet's header row (in Chinese, none left in English), and the figures of the stored month."""
    from petitions.models import Petition
    from stats.services import monthly_counts_refresh

    w = stats_world.world
    last = (timezone.localdate().replace(day=1) - timezone.timedelta(days=1)).replace(day=10)
    moved = timezone.make_aware(timezone.datetime.combine(last, timezone.datetime.min.time().replace(hour=9)))
    Petition.objects.update(created_at=moved)
    Petition.objects.filter(resolved_at__isnull=False).update(resolved_at=moved + timezone.timedelta(hours=5))
    monthly_counts_refresh()
    ask(client_for(w.dana), "district", w.district.pk, month=last.strftime("%Y-%m"))
    report = report_build(report_id=Report.objects.get().pk)
    assert report.status == Report.Status.DONE, report.error
    book = load_workbook(report.xlsx.path)
    headers = {name: next(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    assert headers == {
        "概览": ("数量", "数值"),
        "按类型": ("类型", "已收到", "已受理", "已办结", "已关闭"),
        "月度趋势": ("月份", "已收到", "已办结"),
        "按类别": ("类别", "已收到", "已办结"),
        "下级排名": (
            "区域",
            "已收到",
            "已办结",
            "按时办结率（%）",
            "满意率（%）",
            "走访覆盖率（%）",
            "当前超期",
        ),
        "类别分布": ("类别", w.street.name),
        "走访记录": ("应走访户数", "走访户数", "走访次数", "见面人次", "覆盖率（%）"),
        "实有人口和房屋": ("居民", "住户", "房屋", "自住", "出租", "空置"),
        "志愿服务和积分": ("服务时长（小时）", "活跃志愿者", "发放积分", "兑换积分"),
    }
    summary = dict(book["概览"].iter_rows(min_row=2, values_only=True))
    assert (summary["已收到"], summary["已办结"], summary["认领微心愿数"]) == (6, 1, 1)
    trend = {row[0]: row[1:] for row in book["月度趋势"].iter_rows(min_row=2, values_only=True)}
    assert trend[last.strftime("%Y-%m")] == (6, 1)
    assert [row for row in book["按类别"].iter_rows(min_row=2, values_only=True)] == [
        ("公共设施", 4, 1),
        ("环境卫生", 2, 0),
    ]
