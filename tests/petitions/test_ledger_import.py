"""A community's past requests ledger is one kind of import (imports.kinds): the same pages and service
as the registry. It comes in with its original dates, marked imported; every bad cell is shown in Chinese
before anything is written; a second import of the same file changes nothing; a corrected one updates
the items it made."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from imports import services
from imports.models import ImportJob
from petitions.models import Petition, PetitionEvent

HEAD = "类型,类别,诉求内容,楼栋编码,受理日期,办结日期,回访日期,满意度\n"


def _file(*lines, name="台账.csv"):
    return SimpleUploadedFile(name, (HEAD + "\n".join(lines) + "\n").encode("utf-8"))


@pytest.fixture
def ledger(django_capture_on_commit_callbacks):
    """ledger(file, by, community) checks the file; ledger(..., confirm=True) imports it too."""

    def run(file, by, community, confirm=False):
        with django_capture_on_commit_callbacks(execute=True):
            job = services.job_create(community=community, file=file, by=by, kind="ledger")
        job.refresh_from_db()
        if confirm:
            assert job.status == ImportJob.Status.READY, job.rows.filter(outcome="error").values("errors")
            with django_capture_on_commit_callbacks(execute=True):
                services.job_confirm(job=job, by=by)
            job.refresh_from_db()
        return job

    return run


def _good(world):
    return _file(
        f"诉求,公共设施,楼道灯坏了,{world.b1.code},2025-03-01,2025-03-04,2025-03-10,满意",
        "微心愿,公共设施,想要一台轮椅,,2025/04/02,2025-04-20,,",
    )


def test_ledger_rows_keep_their_dates_and_are_marked_imported(world, category, ledger):
    job = ledger(_good(world), world.alice, world.c1, confirm=True)
    assert (job.status, job.kind, job.new_count) == ("done", "ledger", 2)
    closed, resolved = Petition.objects.order_by("created_at")
    assert closed.imported and resolved.imported
    assert timezone.localdate(closed.created_at) == datetime.date(2025, 3, 1)
    assert timezone.localdate(closed.resolved_at) == datetime.date(2025, 3, 4)
    assert timezone.localdate(closed.followed_up_at) == datetime.date(2025, 3, 10)
    assert (closed.status, closed.satisfaction, closed.building, closed.grid) == (
        "closed",
        "satisfied",
        world.b1,
        world.g1,
    )
    assert (resolved.kind, resolved.status, resolved.community) == ("wish", "resolved", world.c1)
    assert timezone.localdate(resolved.created_at) == datetime.date(2025, 4, 2)
    assert PetitionEvent.objects.filter(petition=closed, action="submit", data__imported=True).count() == 1


def test_the_same_file_twice_changes_nothing_and_a_correction_updates(world, category, ledger):
    ledger(_good(world), world.alice, world.c1, confirm=True)
    before = list(Petition.objects.order_by("pk").values())
    again = ledger(_good(world), world.alice, world.c1)
    assert (again.new_count, again.changed_count, again.unchanged_count) == (0, 0, 2)
    ledger(_good(world), world.alice, world.c1, confirm=True)
    assert list(Petition.objects.order_by("pk").values()) == before
    corrected = _file(
        f"诉求,公共设施,楼道灯坏了,{world.b1.code},2025-03-01,2025-03-05,2025-03-10,基本满意",
        "微心愿,公共设施,想要一台轮椅,,2025/04/02,2025-04-20,,",
    )
    job = ledger(corrected, world.alice, world.c1, confirm=True)
    assert (job.new_count, job.changed_count, job.unchanged_count) == (0, 1, 1)
    assert Petition.objects.count() == 2
    fixed = Petition.objects.get(description="楼道灯坏了")
    assert timezone.localdate(fixed.resolved_at) == datetime.date(2025, 3, 5)
    assert fixed.satisfaction == "basically"


def test_every_bad_cell_is_shown_in_chinese_and_nothing_is_written(world, category, ledger, client):
    upload = _file(
        "诉求,公共设施,楼道灯坏了,,2025-03-01,2025-03-04,,",
        f"投诉,停车,,{world.b3.code},昨天,2025-03-04,2025-03-01,还行",
        "诉求,公共设施,井盖松动,,2025-03-05,,,",
        "诉求,公共设施,楼道灯坏了,,2025-03-01,2025-03-06,,",
    )
    job = ledger(upload, world.alice, world.c1)
    assert job.status == ImportJob.Status.REFUSED
    errors = {row.line: row.errors for row in job.rows.filter(outcome="error")}
    assert set(errors[3]) == {"类型", "类别", "诉求内容", "楼栋编码", "受理日期", "回访日期", "满意度"}
    assert "办结日期" in errors[4]
    assert "诉求内容" in errors[2] and "诉求内容" in errors[5]  # the same item twice
    client.force_login(world.alice)
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    for text in ("不是本社区的楼栋", "请填写诉求、微心愿或建议。", "第 5 行"):
        assert text in page, text
    with pytest.raises(Exception):  # noqa: B017, PT011 - the service refuses; which error is tested elsewhere
        services.job_confirm(job=job, by=world.alice)
    assert not Petition.objects.exists()


def test_a_date_to_come_and_a_resolution_before_receipt_are_refused(world, category, ledger):
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    upload = _file(
        f"诉求,公共设施,楼道灯坏了,,{future},{future},,",
        "诉求,公共设施,井盖松动,,2025-03-05,2025-03-01,,",
    )
    job = ledger(upload, world.alice, world.c1)
    assert job.status == ImportJob.Status.REFUSED
    errors = {row.line: row.errors for row in job.rows.filter(outcome="error")}
    assert errors[2]["受理日期"] == ["该日期晚于今天。"] and errors[2]["办结日期"] == ["该日期晚于今天。"]
    assert errors[3] == {"办结日期": ["办结日期早于受理日期。"]}
    assert not Petition.objects.exists()


def test_only_into_ones_own_community(world, category, ledger, client):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    with pytest.raises((PermissionDenied, Http404)):
        ledger(_good(world), world.alice, world.c2)
    client.force_login(world.sam)
    assert client.get(reverse("petitions:workbench_import")).status_code == 404
    assert not Petition.objects.exists() and not ImportJob.objects.exists()


def test_the_workbench_link_and_the_template(world, client):
    client.force_login(world.alice)
    assert (
        reverse("petitions:workbench_import") in client.get(reverse("petitions:workbench")).content.decode()
    )
    response = client.get(reverse("petitions:workbench_import"))
    assert response.status_code == 302 and response.url.endswith("?kind=ledger")
    response = client.get(reverse("imports:kind_template", args=["ledger"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, example = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header == [
        "类型",
        "类别*",
        "诉求内容*",
        "楼栋编码",
        "受理日期*",
        "办结日期*",
        "回访日期",
        "满意度",
    ]
    assert example[:3] == ["诉求", "公共设施", "3栋2单元楼道灯不亮"]
