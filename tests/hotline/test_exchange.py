"""The 12345 exchange, a kind of import (imports.kinds): preview, errors, idempotency, the deadline, the
reply file."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone
from openpyxl import load_workbook

from hotline import documents, selectors
from hotline.models import HotlineOrder
from imports import services
from imports.models import ColumnMapping, ImportJob
from petitions import services as petition_services
from petitions.models import Petition

from .conftest import csv_file, order, xlsx_file

pytestmark = pytest.mark.django_db
S = ImportJob.Status


def shanghai(*args):
    return timezone.make_aware(datetime.datetime(*args))


@pytest.fixture
def remap(world, django_capture_on_commit_callbacks):
    def run(job, mapping):
        with django_capture_on_commit_callbacks(execute=True):
            services.job_set_mapping(job=job, mapping=mapping, by=world.alice)
        job.refresh_from_db()
        return job

    return run


def test_an_order_becomes_a_hotline_petition_with_its_number_and_deadline(world, upload, confirm):
    job = upload(xlsx_file([order(1)]))
    assert job.status == S.READY and job.new_count == 1
    assert not Petition.objects.exists()  # the preview writes nothing
    confirm(job, world.alice)
    p = Petition.objects.get()
    assert p.channel == Petition.Channel.HOTLINE and p.hotline_order_no == "GD202601010001"
    assert p.community == world.c1 and p.phone == "13900002222" and p.submitter_name == "周先生"
    assert p.description.startswith("【楼道堆物】") and p.location_text == "桂花苑1栋"
    assert p.hotline_due_at == shanghai(2026, 1, 6, 18, 0)
    o = HotlineOrder.objects.get()
    assert (
        o.petition == p
        and o.job == job
        and o.received_at == shanghai(2026, 1, 1, 9, 30)
        and o.hotline_category == "环境卫生"
    )
    # Accepting it keeps the hotline's deadline, not the category's resolve time.
    petition_services.petition_accept(petition=p, by=world.alice)
    p.refresh_from_db()
    assert p.resolve_due_at == shanghai(2026, 1, 6, 18, 0)


def test_importing_the_same_file_twice_changes_nothing(world, upload, confirm):
    rows = [order(1), order(2)]
    confirm(upload(xlsx_file(rows)), world.alice)
    before = list(Petition.objects.order_by("pk").values_list("pk", "hotline_order_no", "updated_at"))
    again = upload(xlsx_file(rows))
    assert again.status == S.READY and (again.new_count, again.unchanged_count) == (0, 2)
    again = confirm(again, world.alice)
    assert again.status == S.DONE and again.new_count == 0
    assert list(Petition.objects.order_by("pk").values_list("pk", "hotline_order_no", "updated_at")) == before
    assert HotlineOrder.objects.count() == 2
    # A file with one more order brings in only that one.
    third = upload(csv_file([*rows, order(3)]))
    assert (third.new_count, third.unchanged_count) == (1, 2)
    confirm(third, world.alice)
    assert Petition.objects.count() == 3


def test_row_errors_are_said_in_chinese_per_column_and_nothing_is_written(world, upload):
    rows = [
        order(1, 联系电话="0571-1234"),
        order(2, 办结时限="下周一"),
        order(3, 诉求内容=""),
        order(4, 工单编号=""),
        order(5),
        order(6, 工单编号="GD202601010005"),
        order(7, 受理时间="2026-01-08 09:00"),
    ]
    job = upload(xlsx_file(rows))
    assert job.status == S.REFUSED and job.error_count == 7 and job.new_count == 0
    errors = {r.line: r.errors for r in job.rows.filter(outcome="error")}
    assert errors[2] == {"联系电话": ["请输入11位手机号码，例如 13812345678。"]}
    assert errors[3] == {"办结时限": ["请写日期和时间，例如 2026-01-06 18:00。"]}
    assert errors[4] == {"诉求内容": ["缺少工单内容。"]}
    assert errors[5] == {"工单编号": ["缺少工单编号。"]}
    assert errors[6] == {"工单编号": ["同一工单编号也出现在第 7 行。"]}
    assert errors[7] == {"工单编号": ["同一工单编号也出现在第 6 行。"]}
    assert errors[8] == {"办结时限": ["办结时限不能早于受理时间。"]}
    with pytest.raises(ValidationError):
        services.job_confirm(job=job, by=world.alice)
    assert not Petition.objects.exists() and not HotlineOrder.objects.exists()


def test_a_date_without_a_time_is_the_end_of_that_day(world, upload, confirm):
    confirm(upload(xlsx_file([order(1, 办结时限=datetime.date(2026, 1, 9))])), world.alice)
    assert HotlineOrder.objects.get().deadline == shanghai(2026, 1, 9, 23, 59, 59)


def test_another_city_layout_is_mapped_once_and_remembered(world, upload, remap):
    city = {"流水号": "SZ-0001", "市民诉求": "路灯不亮", "要求完成时间": "2026-02-01 12:00"}
    job = upload(xlsx_file([city]))
    assert job.status == S.MAPPING and not job.rows.exists()
    with pytest.raises(ValidationError) as refused:
        services.job_set_mapping(job=job, mapping={"流水号": "order_no"}, by=world.alice)
    assert "内容" in " ".join(refused.value.messages)
    mapping = {"流水号": "order_no", "市民诉求": "content", "要求完成时间": "deadline"}
    job = remap(job, mapping)
    assert job.status == S.READY and job.new_count == 1
    assert ColumnMapping.objects.get(community=world.c1, kind="hotline").mapping == mapping
    # The community's next file with the same headers is recognised at once.
    assert upload(xlsx_file([city])).status == S.READY
    # Another community has its own layout; the community's other kinds of import keep theirs.
    assert upload(xlsx_file([city]), by=world.erin, community=world.c2).status == S.MAPPING
    assert not ColumnMapping.objects.exclude(kind="hotline").exists()


def test_reply_file_reads_back_with_the_same_numbers_in_the_citys_layout(world, upload, confirm, remap):
    city = [
        {"流水号": f"SZ-{n}", "市民诉求": f"第{n}件事", "要求完成时间": "2026-02-01 12:00"} for n in (3, 1, 2)
    ]
    job = remap(
        upload(xlsx_file(city)), {"流水号": "order_no", "市民诉求": "content", "要求完成时间": "deadline"}
    )
    confirm(job, world.alice)
    done = HotlineOrder.objects.get(order_no="SZ-1").petition
    petition_services.petition_accept(petition=done, by=world.alice)
    petition_services.petition_dispatch(petition=done, by=world.alice, assignee=world.bob)
    petition_services.petition_start(petition=done, by=world.bob)
    petition_services.petition_resolve(petition=done, by=world.bob, note="已清理完毕")
    declined = HotlineOrder.objects.get(order_no="SZ-2").petition
    petition_services.petition_decline(petition=declined, by=world.alice, note="不属于本社区辖区")
    content = documents.replies_xlsx(job, selectors.reply_orders(job))
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("流水号", "受理时间", "要求完成时间", "承办单位", "回复内容", "办理状态", "办结时间")
    assert [r[0] for r in rows[1:]] == ["SZ-3", "SZ-1", "SZ-2"]
    by_number = {r[0]: r for r in rows[1:]}
    assert by_number["SZ-1"][3:6] == ("桂花社区", "已清理完毕", "已办结") and by_number["SZ-1"][6]
    assert by_number["SZ-2"][4:6] == ("不属于本社区辖区", "退回")
    assert by_number["SZ-3"][5] == "未受理" and by_number["SZ-3"][2] == "2026-02-01 12:00"


def test_only_the_communitys_staff_may_import(world, upload):
    with pytest.raises(PermissionDenied):
        upload(xlsx_file([order(1)]), by=world.sam)
    with pytest.raises(Http404):
        upload(xlsx_file([order(1)]), by=world.erin)


def test_an_order_of_another_community_is_refused(world, upload, confirm):
    confirm(upload(xlsx_file([order(1)])), world.alice)
    job = upload(xlsx_file([order(1)]), by=world.erin, community=world.c2)
    assert job.status == S.REFUSED
    assert job.rows.get().errors == {"工单编号": ["此工单已由其他社区导入。"]}


def test_an_order_imported_between_preview_and_confirmation_is_not_doubled(world, upload, confirm):
    first, second = upload(xlsx_file([order(1)])), upload(xlsx_file([order(1), order(2)]))
    confirm(first, world.alice)
    second = confirm(second, world.alice)
    assert second.status == S.DONE and (second.new_count, second.unchanged_count) == (1, 1)
    assert sorted(Petition.objects.values_list("hotline_order_no", flat=True)) == [
        "GD202601010001",
        "GD202601010002",
    ]


def test_bad_files_are_refused_with_a_message(world, upload):
    with pytest.raises(ValidationError) as error:
        upload(SimpleUploadedFile("orders.txt", b"x"))
    assert "xlsx" in str(error.value)
    with pytest.raises(ValidationError):
        upload(SimpleUploadedFile("orders.xlsx", b"not a zip"))
    assert not ImportJob.objects.exists()
