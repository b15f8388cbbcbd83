"""A 12345 work-order file is one kind of import of `imports.kinds` (registered in hotline.apps): the
imports machinery gives it the upload, the column mapping saved per community, the preview with per-cell
errors, all-or-nothing confirmation, the job row and the worker for large files. This module says what is
the hotline's own: how a work order is checked, found again by its number and written.

Each new order becomes a petition of channel 12345 with its number and the hotline's deadline
(`Petition.hotline_due_at`, which replaces the category's resolve time when it is accepted), and a
`HotlineOrder` row. The work-order number is the natural key: an order already imported is unchanged
(nothing is written), so importing a file twice changes nothing; two lines of one file with the same
number are both refused, and a number another community imported is refused.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grids.validators import validate_phone
from imports import kinds
from petitions.models import Category, Petition
from petitions.services import category_fallback, petition_submit

from .columns import BY_KEY
from .models import HotlineOrder

DESCRIPTION_MAX = 2000
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y%m%d")
MOMENTS = ("received_at", "deadline")
DUPLICATE_MESSAGE = gettext_lazy("The same work-order number is also on line %(lines)s.")
# The preview's three columns (imports.kinds row_labels): number, deadline, the order's text.
ROW_LABELS = (
    gettext_lazy("12345 work-order number"),
    gettext_lazy("12345 deadline"),
    gettext_lazy("Summary"),
)


@dataclass
class Row:
    index: int
    errors: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    changes: list = field(default_factory=list)
    # The community that imported this number before, when one did.
    known_in: int | None = None

    @property
    def line(self):
        return self.index + 2  # the header is line 1

    @property
    def outcome(self):
        if self.errors:
            return "error"
        return "new" if self.known_in is None else "unchanged"

    # What imports.kinds asks of a row; the caller's name and phone stay off the preview.
    @property
    def summary(self):
        return self.values.get("order_no", "")

    @property
    def masked(self):
        deadline = self.values.get("deadline")
        return timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M") if deadline else ""

    @property
    def place(self):
        return " ".join(self.values.get("description", "").split())

    @property
    def key(self):
        return self.values.get("order_no", "")


class Context:
    def __init__(self, job, by):
        self.job, self.by, self.community = job, by, job.community
        self.header = {key: header for header, key in job.mapping.items()}
        self.categories = {c.name: c for c in Category.objects.offered_in(self.community.pk)}
        self._fallback = None

    def error(self, row, key, message):
        row.errors.setdefault(self.header.get(key) or str(BY_KEY[key].label), []).append(str(message))

    def category(self, name):
        """The community's category of that name, else the fallback "other" one."""
        if name in self.categories:
            return self.categories[name]
        if self._fallback is None:
            self._fallback = category_fallback()
        return self._fallback


def _parse_moment(value, *, end_of_day):
    """A cell as an aware datetime: Excel dates and times, or text in the formats hotline systems export.
    A date without a time means the end of that day for a deadline, its start otherwise."""
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(
            value, datetime.time(23, 59, 59) if end_of_day else datetime.time()
        )
    else:
        text = " ".join(str(value).split())
        moment = None
        for fmt in DATETIME_FORMATS:
            try:
                moment = datetime.datetime.strptime(text, fmt)  # noqa: DTZ007 - made aware below
                break
            except ValueError:
                continue
        if moment is None:
            for fmt in DATE_FORMATS:
                try:
                    day = datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date only
                except ValueError:
                    continue
                return _parse_moment(day, end_of_day=end_of_day)
            return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def parse(ctx, index, record) -> Row:
    row = Row(index=index)
    raw = {key: record.get(header) for header, key in ctx.job.mapping.items()}

    def text(key, limit=None):
        value = raw.get(key)
        value = "" if value is None else str(value).strip()
        if limit and len(value) > limit:
            ctx.error(row, key, _("At most %(n)s characters.") % {"n": limit})
        return value

    number = text("order_no", 40)
    if not number:
        ctx.error(row, "order_no", _("The work-order number is missing."))
    content = text("content")
    if not content:
        ctx.error(row, "content", _("The content of the work order is missing."))
    title = text("title", 200)
    description = f"【{title}】{content}" if title else content
    if len(description) > DESCRIPTION_MAX:
        ctx.error(row, "content", _("At most %(n)s characters.") % {"n": DESCRIPTION_MAX})
    phone = "".join(text("phone").split()).replace("-", "")
    if phone:
        try:
            validate_phone(phone)
        except ValidationError as error:
            ctx.error(row, "phone", error.messages[0])
    moments = {}
    for key in MOMENTS:
        moments[key] = None
        if raw.get(key) in (None, ""):
            continue
        moments[key] = _parse_moment(raw[key], end_of_day=key == "deadline")
        if moments[key] is None:
            ctx.error(row, key, _("Write a date and time such as 2026-01-06 18:00."))
    if moments["received_at"] and moments["deadline"] and moments["deadline"] < moments["received_at"]:
        ctx.error(row, "deadline", _("The deadline cannot be before the time the order was received."))
    row.values = {
        "order_no": number[:40],
        "description": description,
        "category": text("category", 100),
        "caller": text("caller", 50),
        "phone": phone,
        "address": text("address", 200),
        **moments,
    }
    return row


def plan(ctx, records) -> list[Row]:
    return resolve(ctx, [parse(ctx, index, record) for index, record in records if record])


def dump(rows) -> list:
    return kinds.dump_values(rows)


def load(data) -> list[Row]:
    return kinds.load_values(data, Row, dict.fromkeys(MOMENTS, datetime.datetime.fromisoformat))


def resolve(ctx, rows) -> list[Row]:
    """The order each number already is (one query a batch): unchanged when this community imported it,
    refused when another did. Run again by the import, under the job's lock, so an order imported since
    the preview is skipped, not doubled."""
    numbers = [r.key for r in rows if r.key]
    known = dict(HotlineOrder.objects.filter(order_no__in=numbers).values_list("order_no", "community_id"))
    for row in rows:
        row.known_in = known.get(row.key)
        if row.known_in is not None and row.known_in != ctx.community.pk:
            ctx.error(row, "order_no", _("This work order was imported by another community."))
    return rows


def apply_batch(ctx, rows):
    """Each order not imported before becomes a petition of channel 12345 and its HotlineOrder row."""
    for row in rows:
        if row.known_in is not None:
            continue
        v = row.values
        petition = petition_submit(
            kind=Petition.Kind.REQUEST,
            category=ctx.category(v["category"]),
            description=v["description"],
            channel=Petition.Channel.HOTLINE,
            community=ctx.community,
            location_text=v["address"],
            submitter_name=v["caller"],
            phone=v["phone"],
            hotline_order_no=v["order_no"],
            hotline_due_at=v["deadline"],
            by=ctx.by,
        )
        HotlineOrder.objects.create(
            order_no=v["order_no"],
            community=ctx.community,
            petition=petition,
            job=ctx.job,
            received_at=v["received_at"],
            deadline=v["deadline"],
            hotline_category=v["category"],
        )
