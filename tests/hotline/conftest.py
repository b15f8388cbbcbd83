import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

HEADERS = [
    "工单编号",
    "受理时间",
    "办结时限",
    "诉求类型",
    "诉求标题",
    "诉求内容",
    "来电人",
    "联系电话",
    "诉求地址",
]


def order(n=1, **over):
    row = {
        "工单编号": f"GD2026010100{n:02d}",
        "受理时间": "2026-01-01 09:30",
        "办结时限": "2026-01-06 18:00",
        "诉求类型": "环境卫生",
        "诉求标题": "楼道堆物",
        "诉求内容": f"1栋{n}单元楼道内堆放杂物，影响通行。",
        "来电人": "周先生",
        "联系电话": "13900002222",
        "诉求地址": "桂花苑1栋",
    }
    row.update(over)
    return row


def xlsx_file(rows, headers=None, name="12345工单.xlsx"):
    headers = headers or list(dict.fromkeys(h for r in rows for h in r))
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for r in rows:
        sheet.append([r.get(h) for h in headers])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def csv_file(rows, encoding="gb18030", name="12345工单.csv"):
    headers = list(dict.fromkeys(h for r in rows for h in r))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for r in rows:
        writer.writerow([r.get(h, "") for h in headers])
    return SimpleUploadedFile(name, out.getvalue().encode(encoding))
