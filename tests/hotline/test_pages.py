"""The staff pages: upload → preview → confirm → reply file, scope, query counts."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from hotline import services
from hotline.models import HotlineImport
from petitions.models import Petition

from .conftest import order, xlsx_file

pytestmark = pytest.mark.django_db


def test_upload_preview_confirm_and_replies_through_the_pages(world, client_for):
    client = client_for(world.alice)
    assert "12345" in client.get("/staff/hotline/").content.decode()
    template = client.get("/staff/hotline/template.xlsx")
    assert template.status_code == 200
    headers = next(load_workbook(io.BytesIO(template.content)).active.iter_rows(values_only=True))
    assert headers[0] == "工单编号*" and "诉求内容*" in headers and "办结时限" in headers
    response = client.post("/staff/hotline/", {"community": world.c1.pk, "file": xlsx_file([order(1)])})
    job = HotlineImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/hotline/{job.pk}/"
    page = client.get(f"/staff/hotline/{job.pk}/").content.decode()
    assert "确认导入" in page and "GD202601010001" in page and "新增" in page
    assert "13900002222" not in page and "周先生" not in page  # the caller stays off the preview
    assert not Petition.objects.exists()
    assert client.post(f"/staff/hotline/{job.pk}/confirm/").status_code == 302
    assert Petition.objects.get().hotline_order_no == "GD202601010001"
    page = client.get(f"/staff/hotline/{job.pk}/").content.decode()
    assert "导入完成" in page and "下载给热线的回复" in page
    replies = client.get(f"/staff/hotline/{job.pk}/replies.xlsx")
    rows = list(load_workbook(io.BytesIO(replies.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["GD202601010001"] and rows[1][5] == "未受理"


def test_errors_are_shown_per_cell_and_confirm_is_refused(world, client_for):
    client = client_for(world.alice)
    client.post("/staff/hotline/", {"community": world.c1.pk, "file": xlsx_file([order(1, 联系电话="12")])})
    job = HotlineImport.objects.get()
    page = client.get(f"/staff/hotline/{job.pk}/").content.decode()
    assert "<strong>联系电话</strong>：请输入11位手机号码" in page and 'id="confirm"' not in page
    assert client.post(f"/staff/hotline/{job.pk}/confirm/").status_code == 302
    assert HotlineImport.objects.get().status == HotlineImport.Status.REFUSED
    assert not Petition.objects.exists()


def test_a_bad_file_gets_a_message_on_the_form(world, client_for):
    response = client_for(world.alice).post(
        "/staff/hotline/", {"community": world.c1.pk, "file": SimpleUploadedFile("a.pdf", b"%PDF")}
    )
    assert response.status_code == 200 and "请上传 Excel 文件" in response.content.decode()
    assert not HotlineImport.objects.exists()


def test_the_column_form_maps_another_layout(world, client_for):
    client = client_for(world.alice)
    city = {"流水号": "SZ-1", "市民诉求": "路灯不亮"}
    client.post("/staff/hotline/", {"community": world.c1.pk, "file": xlsx_file([city])})
    job = HotlineImport.objects.get()
    page = client.get(f"/staff/hotline/{job.pk}/").content.decode()
    assert "匹配列" in page and "流水号" in page
    response = client.post(f"/staff/hotline/{job.pk}/mapping/", {"col0": "order_no", "col1": ""})
    assert response.status_code == 400 and "诉求内容" in response.content.decode()
    response = client.post(f"/staff/hotline/{job.pk}/mapping/", {"col0": "order_no", "col1": "content"})
    assert response.status_code == 302
    assert HotlineImport.objects.get().status == HotlineImport.Status.READY


def test_another_communitys_file_does_not_exist_for_its_staff(world, client_for):
    job = services.hotline_import_create(community=world.c1, file=xlsx_file([order(1)]), by=world.alice)
    client = client_for(world.erin)
    assert client.get(f"/staff/hotline/{job.pk}/").status_code == 404
    assert client.get(f"/staff/hotline/{job.pk}/replies.xlsx").status_code == 404
    assert client.post(f"/staff/hotline/{job.pk}/confirm/").status_code == 404
    response = client.post("/staff/hotline/", {"community": world.c1.pk, "file": xlsx_file([order(1)])})
    assert response.status_code == 200 and HotlineImport.objects.count() == 1
    assert client_for(world.vera).get("/staff/hotline/").status_code == 403
    # The street official sees the file but may not confirm it.
    sam = client_for(world.sam)
    assert sam.get(f"/staff/hotline/{job.pk}/").status_code == 200
    assert sam.post(f"/staff/hotline/{job.pk}/confirm/").status_code == 403
    assert not Petition.objects.exists()


@pytest.mark.parametrize("files", [1, 8])
def test_list_and_detail_pages_do_constant_queries(world, client_for, django_assert_max_num_queries, files):
    for n in range(files):
        rows = [order(n * 30 + i) for i in range(files * 3)]
        job = services.hotline_import_create(community=world.c1, file=xlsx_file(rows), by=world.alice)
        services.hotline_import_confirm(job=job, by=world.alice)
    client = client_for(world.alice)
    client.get("/staff/hotline/")  # warm the session and the user's scope
    # session, user, scope (roles), communities for the form, jobs count, jobs page
    with django_assert_max_num_queries(10):
        assert client.get("/staff/hotline/").status_code == 200
    # session, user, scope, job, rows count, rows page
    with django_assert_max_num_queries(10):
        assert client.get(f"/staff/hotline/{job.pk}/").status_code == 200
    # session, user, scope, job, the file's numbers, the orders with their petitions
    with django_assert_max_num_queries(10):
        assert client.get(f"/staff/hotline/{job.pk}/replies.xlsx").status_code == 200
