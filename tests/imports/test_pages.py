"""The staff pages: upload → preview → confirm → result through the real views, scope, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grids.models import Resident
from imports.models import ImportJob, ImportRow
from tests import factories as f

from .conftest import person, xlsx_file

pytestmark = pytest.mark.django_db


def test_upload_preview_confirm_through_the_pages(world, client_for, django_capture_on_commit_callbacks):
    client = client_for(world.alice)
    assert client.get("/staff/imports/").status_code == 200
    template = client.get("/staff/imports/template.xlsx")
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxml")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/staff/imports/", {"community": world.c1.pk, "file": xlsx_file([person(world, 1)])}
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/imports/{job.pk}/"
    page = client.get(f"/staff/imports/{job.pk}/").content.decode()
    assert "确认导入" in page and "赵新民" in page and "新增" in page
    assert not Resident.objects.filter(name="赵新民").exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/staff/imports/{job.pk}/confirm/").status_code == 302
    assert Resident.objects.filter(name="赵新民").exists()
    assert "导入完成" in client.get(f"/staff/imports/{job.pk}/").content.decode()


def test_errors_are_shown_per_cell_on_the_page(world, client_for, django_capture_on_commit_callbacks):
    client = client_for(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/staff/imports/",
            {"community": world.c1.pk, "file": xlsx_file([person(world, 1, 手机号码="123")])},
        )
    job = ImportJob.objects.get()
    page = client.get(f"/staff/imports/{job.pk}/").content.decode()
    assert "<strong>手机号码</strong>：请输入11位手机号码" in page and "确认导入" not in page
    assert client.post(f"/staff/imports/{job.pk}/confirm/").status_code == 302
    assert ImportJob.objects.get().status == ImportJob.Status.REFUSED


def test_another_communitys_import_does_not_exist_for_its_staff(world, client_for, run_import):
    job = run_import(xlsx_file([person(world, 1)]), world.alice, world.c1)
    client = client_for(world.erin)
    assert client.get(f"/staff/imports/{job.pk}/").status_code == 404
    assert client.post(f"/staff/imports/{job.pk}/confirm/").status_code == 404
    response = client.post(
        "/staff/imports/", {"community": world.c1.pk, "file": xlsx_file([person(world, 1)])}
    )
    assert response.status_code == 200 and ImportJob.objects.count() == 1  # c1 is not a choice for erin
    assert client_for(world.vera).get("/staff/imports/").status_code == 403


def test_the_mapping_step_on_the_page(world, client_for, django_capture_on_commit_callbacks):
    client = client_for(world.alice)
    row = {("住户姓名" if k == "姓名" else k): v for k, v in person(world, 1).items()}
    client.post("/staff/imports/", {"community": world.c1.pk, "file": xlsx_file([row])})
    job = ImportJob.objects.get()
    page = client.get(f"/staff/imports/{job.pk}/").content.decode()
    assert "匹配列" in page and "住户姓名" in page
    headers = list(row)
    data = {f"col{i}": job.mapping.get(h, "") for i, h in enumerate(headers)}
    data[f"col{headers.index('住户姓名')}"] = "name"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/staff/imports/{job.pk}/mapping/", data).status_code == 302
    assert ImportJob.objects.get().status == ImportJob.Status.READY


def _list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/staff/imports/").status_code == 200
    return len(queries)


def test_the_import_list_takes_the_same_queries_for_one_and_many_imports(world, client_for):
    def add(n):
        for _ in range(n):
            ImportJob.objects.create(
                community=world.c1, created_by=f.UserFactory(), original_name="a.xlsx", file="imports/a.xlsx"
            )

    client = client_for(world.alice)
    add(1)
    one = _list_queries(client)
    add(30)
    assert _list_queries(client) == one


def test_the_admin_lists_imports_and_links_the_staff_page(world, client_for, run_import):
    job = run_import(xlsx_file([person(world, 1)]), world.alice, world.c1)
    page = client_for(world.alice).get("/admin/imports/importjob/").content.decode()
    assert (
        "registry.xlsx" in page and f"/staff/imports/{job.pk}/" in page and 'href="/staff/imports/"' in page
    )
    assert "registry.xlsx" not in client_for(world.erin).get("/admin/imports/importjob/").content.decode()


def test_the_preview_keeps_its_filter_across_pages_and_its_queries_constant(world, client_for, run_import):
    job = run_import(xlsx_file([person(world, 1, 手机号码="1")]), world.alice, world.c1)
    client = client_for(world.alice)
    url = f"/staff/imports/{job.pk}/?show=all"
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    ImportRow.objects.bulk_create(
        ImportRow(job=job, line=100 + i, outcome="error", errors={"手机号码": ["x"]}) for i in range(120)
    )
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert len(many) == len(one)
    assert "?show=all&amp;page=2" in page


def test_the_progress_bar_reloads_the_page_once_the_job_is_done(world, client_for, run_import):
    job = run_import(xlsx_file([person(world, 1)]), world.alice, world.c1)
    client = client_for(world.alice)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.APPLYING, next_row=1, total_rows=4)
    response = client.get(f"/staff/imports/{job.pk}/progress/")
    assert 'value="25"' in response.content.decode() and "HX-Refresh" not in response
    assert 'hx-trigger="every 1s"' in response.content.decode()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE)
    assert client.get(f"/staff/imports/{job.pk}/progress/")["HX-Refresh"] == "true"
