from tests import factories as f
from tests import helpers

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
    return helpers.xlsx_file(rows, headers, name=name)


def csv_file(rows, encoding="gb18030", name="registry.csv"):
    return helpers.csv_file(rows, encoding, name=name)


def errors_of(job):
    return {row.line: row.errors for row in job.rows.filter(outcome="error")}
