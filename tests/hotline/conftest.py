import pytest

from tests import helpers

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
    return helpers.xlsx_file(rows, headers, name=name)


def csv_file(rows, encoding="gb18030", name="12345工单.csv"):
    return helpers.csv_file(rows, encoding, name=name)


@pytest.fixture
def upload(world, run_import):
    """upload(file, by=alice, community=c1): a work-order file checked as the hotline kind of import."""

    def run(file, by=None, community=None):
        return run_import(file, by or world.alice, community or world.c1, kind="hotline")

    return run
