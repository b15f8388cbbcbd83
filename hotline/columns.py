"""The columns of a 12345 work-order file and of the reply file sent back. Headers are matched by the
labels and aliases below (imports.columns does the matching), then by the community's saved mapping."""

from django.utils.translation import pgettext_lazy

from imports.columns import Field

FIELDS = (
    Field(
        "order_no",
        pgettext_lazy("hotline column", "Work-order number"),
        ("工单编号", "工单号", "受理编号", "编号", "工单编码"),
        True,
        "GD202601010001",
    ),
    Field(
        "received_at",
        pgettext_lazy("hotline column", "Received at"),
        ("受理时间", "来电时间", "派单时间", "登记时间", "交办时间"),
        False,
        "2026-01-01 09:30",
    ),
    Field(
        "deadline",
        pgettext_lazy("hotline column", "Deadline"),
        ("办结时限", "办理时限", "截止时间", "要求办结时间", "限办时间", "办理期限"),
        False,
        "2026-01-06 18:00",
    ),
    Field(
        "category",
        pgettext_lazy("hotline column", "Category"),
        ("诉求类型", "问题分类", "事项分类", "工单类型", "诉求分类"),
        False,
        "环境卫生",
    ),
    Field(
        "title", pgettext_lazy("hotline column", "Title"), ("诉求标题", "标题", "工单标题"), False, "楼道堆物"
    ),
    Field(
        "content",
        pgettext_lazy("hotline column", "Content"),
        ("诉求内容", "来电内容", "工单内容", "问题描述", "反映内容"),
        True,
        "3号楼2单元楼道内堆放杂物，影响通行。",
    ),
    Field(
        "caller",
        pgettext_lazy("hotline column", "Caller"),
        ("来电人", "联系人", "市民姓名", "诉求人", "来电人姓名"),
        False,
        "王先生",
    ),
    Field(
        "phone",
        pgettext_lazy("hotline column", "Phone"),
        ("联系电话", "来电号码", "手机号", "联系方式", "手机号码"),
        False,
        "13800138000",
    ),
    Field(
        "address",
        pgettext_lazy("hotline column", "Address"),
        ("诉求地址", "事发地址", "地址", "事发地点", "问题地址"),
        False,
        "幸福苑3号楼",
    ),
)
BY_KEY = {f.key: f for f in FIELDS}

# The reply file: the order's number and dates under the city's own headers, then the answer.
REPLY_FIELDS = (
    ("handling_unit", pgettext_lazy("hotline column", "Handling unit")),
    ("reply", pgettext_lazy("hotline column", "Reply")),
    ("status", pgettext_lazy("hotline column", "Handling status")),
    ("finished_at", pgettext_lazy("hotline column", "Finished at")),
)
