import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from imports import services
from tests import factories as f

HEADERS = ["小区", "楼栋", "单元", "房号", "姓名", "公民身份号码", "性别", "手机号码", "人口类型", "入住日期"]


def person(w, resident_id_seq=None, **over):
    """A row for the `world` fixture's community one (桂花苑 1栋), overridable per column."""
    row = {
        "小区": "桂花苑",
        "楼栋": "1栋",
        "单元": 1,
        "房号": "102",
        "姓名": "赵新民",
        "公民身份号码": f.other_id_number(resident_id_seq or 1),
        "性别": "男",
        "手机号码": "13900001111",
        "人口类型": "常住",
        "入住日期": "2021-05-01",
    }
    row.update(over)
    return row


def xlsx_file(rows, headers=None, name="registry.xlsx"):
    headers = headers or list(dict.fromkeys(h for r in rows for h in r))
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for r in rows:
        sheet.append([r.get(h) for h in headers])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def csv_file(rows, encoding="gb18030", name="registry.csv"):
    headers = list(dict.fromkeys(h for r in rows for h in r))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for r in rows:
        writer.writerow([r.get(h, "") for h in headers])
    return SimpleUploadedFile(name, out.getvalue().encode(encoding))


@pytest.fixture
def run_import(django_capture_on_commit_callbacks):
    """run_import(file, by, community) uploads and checks a file (small files run in the request)."""

    def upload(file, by, community):
        with django_capture_on_commit_callbacks(execute=True):
            job = services.job_create(community=community, file=file, by=by)
        job.refresh_from_db()
        return job

    return upload


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    def run(job, by):
        with django_capture_on_commit_callbacks(execute=True):
            services.job_confirm(job=job, by=by)
        job.refresh_from_db()
        return job

    return run


def errors_of(job):
    return {row.line: row.errors for row in job.rows.filter(outcome="error")}
