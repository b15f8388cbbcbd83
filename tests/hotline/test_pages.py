"""The staff pages: the hotline's entry leads to the imports pages (upload → preview → confirm), the
imported file offers the reply file; scope, query counts."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from imports.models import ImportJob
from petitions.models import Petition

from .conftest import order, xlsx_file

pytestmark = pytest.mark.django_db
UPLOAD = "/staff/imports/"


def post_file(client, world, file, community=None):
    data = {"kind": "hotline", "community": (community or world.c1).pk, "file": file}
    return client.post(UPLOAD, data)


def test_upload_preview_confirm_and_replies_through_the_pages(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.alice)
    entry = client.get("/staff/hotline/", follow=True)
    assert entry.redirect_chain[-1][0] == "/staff/imports/?kind=hotline"
    page = entry.content.decode()
    assert "12345" in page and 'value="hotline" selected' in page
    template = client.get("/staff/imports/template/hotline.xlsx")
    assert template.status_code == 200
    headers = next(load_workbook(io.BytesIO(template.content)).active.iter_rows(values_only=True))
    assert headers[0] == "工单编号*" and "诉求内容*" in headers and "办结时限" in headers
    with django_capture_on_commit_callbacks(execute=True):
        response = post_file(client, world, xlsx_file([order(1)]))
    job = ImportJob.objects.get()
    assert job.kind == "hotline" and response["Location"] == f"/staff/imports/{job.pk}/"
    page = client.get(f"/staff/imports/{job.pk}/").content.decode()
    assert "确认导入" in page and "GD202601010001" in page and "2026-01-06 18:00" in page
    assert "13900002222" not in page and "周先生" not in page  # the caller stays off the preview
    assert not Petition.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/staff/imports/{job.pk}/confirm/").status_code == 302
    assert Petition.objects.get().hotline_order_no == "GD202601010001"
    page = client.get(f"/staff/imports/{job.pk}/").content.decode()
    assert "导入完成" in page and "下载给热线的回复" in page
    replies = client.get(f"/staff/hotline/{job.pk}/replies.xlsx")
    rows = list(load_workbook(io.BytesIO(replies.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["GD202601010001"] and rows[1][5] == "未受理"
    # The hotline's entry lists only its own files.
    assert "12345工单.xlsx" in client.get("/staff/imports/?kind=hotline").content.decode()
    assert "12345工单.xlsx" not in client.get("/staff/imports/?kind=ledger").content.decode()


def test_errors_are_shown_per_cell_and_confirm_is_refused(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        post_file(client, world, xlsx_file([order(1, 联系电话="12")]))
    job = ImportJob.objects.get()
    page = client.get(f"/staff/imports/{job.pk}/").content.decode()
    assert "<strong>联系电话</strong>：请输入11位手机号码" in page and 'id="confirm"' not in page
    assert client.post(f"/staff/imports/{job.pk}/confirm/").status_code == 302
    assert ImportJob.objects.get().status == ImportJob.Status.REFUSED
    assert not Petition.objects.exists()
    # A file that is not a hotline file has no reply file.
    assert client.get(f"/staff/hotline/{job.pk}/replies.xlsx").status_code == 200
    job.kind = "registry"
    job.save(update_fields=["kind"])
    assert client.get(f"/staff/hotline/{job.pk}/replies.xlsx").status_code == 404


def test_a_bad_file_gets_a_message_on_the_form(world, client_for):
    response = post_file(client_for(world.alice), world, SimpleUploadedFile("a.pdf", b"%PDF"))
    assert response.status_code == 200 and "请上传 Excel 文件" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_column_form_maps_another_layout(world, client_for, django_capture_on_commit_callbacks):
    client = client_for(world.alice)
    post_file(client, world, xlsx_file([{"流水号": "SZ-1", "市民诉求": "路灯不亮"}]))
    job = ImportJob.objects.get()
    page = client.get(f"/staff/imports/{job.pk}/").content.decode()
    assert "匹配列" in page and "流水号" in page and "工单编号" in page  # the hotline's own fields
    response = client.post(f"/staff/imports/{job.pk}/mapping/", {"col0": "order_no", "col1": ""})
    assert response.status_code == 400 and "诉求内容" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/imports/{job.pk}/mapping/", {"col0": "order_no", "col1": "content"})
    assert response.status_code == 302
    assert ImportJob.objects.get().status == ImportJob.Status.READY


def test_another_communitys_file_does_not_exist_for_its_staff(world, client_for, run_import):
    job = run_import(xlsx_file([order(1)]), world.alice, world.c1, kind="hotline")
    client = client_for(world.erin)
    assert client.get(f"/staff/imports/{job.pk}/").status_code == 404
    assert client.get(f"/staff/hotline/{job.pk}/replies.xlsx").status_code == 404
    assert client.post(f"/staff/imports/{job.pk}/confirm/").status_code == 404
    response = post_file(client, world, xlsx_file([order(1)]))
    assert response.status_code == 200 and ImportJob.objects.count() == 1
    assert client_for(world.vera).get("/staff/imports/?kind=hotline").status_code == 403
    # The street official sees the file but may not confirm it.
    sam = client_for(world.sam)
    assert sam.get(f"/staff/hotline/{job.pk}/replies.xlsx").status_code == 200
    assert sam.post(f"/staff/imports/{job.pk}/confirm/").status_code == 403
    assert not Petition.objects.exists()


@pytest.mark.parametrize("files", [1, 8])
def test_the_reply_file_does_constant_queries(
    world, client_for, run_import, confirm, django_assert_max_num_queries, files
):
    for n in range(files):
        rows = [order(n * 30 + i) for i in range(files * 3)]
        job = confirm(run_import(xlsx_file(rows), world.alice, world.c1, kind="hotline"), world.alice)
    client = client_for(world.alice)
    client.get("/staff/imports/?kind=hotline")  # warm the session and the user's scope
    # session, user, scope (roles), communities for the form, jobs count, jobs page
    with django_assert_max_num_queries(10):
        assert client.get("/staff/imports/?kind=hotline").status_code == 200
    # session, user, scope, job, the file's numbers, the orders with their petitions
    with django_assert_max_num_queries(10):
        assert client.get(f"/staff/hotline/{job.pk}/replies.xlsx").status_code == 200
