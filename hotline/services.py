"""The 12345 exchange's writes: upload a work-order file, match its columns, check every row (the preview,
nothing written), confirm, and each new order becomes a petition of channel 12345 with its number and the
hotline's deadline. A work-order number already imported is skipped, so importing a file twice changes
nothing.

Hotline files are lists of tens or hundreds of orders a day, so a file is checked and imported in the
request (capped at MAX_ROWS), reusing the registry import's reader and column matching.
"""

import datetime
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import is_staff_of
from grids.models import Community
from grids.validators import validate_phone
from imports import columns as matching
from imports import reader
from petitions.models import Category, Petition
from petitions.services import category_fallback, petition_submit

from .columns import BY_KEY, FIELDS
from .models import HotlineImport, HotlineImportRow, HotlineMapping, HotlineOrder

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
DESCRIPTION_MAX = 2000
Status = HotlineImport.Status
Outcome = HotlineImportRow.Outcome
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y%m%d")


def _require_staff(community, by):
    if not Community.objects.visible_to(by).filter(pk=community.pk).exists():
        raise Http404
    if not is_staff_of(by, community.pk):
        raise PermissionDenied(_("Only the community's staff may import 12345 work orders."))


@transaction.atomic
def hotline_import_create(*, community, file, by) -> HotlineImport:
    """Take a work-order file (xlsx or csv), guess its columns (the community's saved layout first) and,
    when every required column is found, check its rows."""
    _require_staff(community, by)
    name = PurePath(file.name or "").name[:200]
    if not name.lower().endswith((".xlsx", ".csv")):
        raise ValidationError({"file": _("Upload an Excel file (.xlsx) or a CSV file.")})
    if file.size > MAX_FILE_BYTES:
        raise ValidationError({"file": _("The file is larger than 5 MB.")})
    try:
        headers = reader.read_headers(file, name)
    except reader.UnreadableFile:
        raise ValidationError({"file": _("The file cannot be read: save it again as .xlsx and retry.")})
    file.seek(0)
    if not any(headers):
        raise ValidationError({"file": _("The file's first row must hold the column headers.")})
    remembered = HotlineMapping.objects.filter(community=community).values_list("mapping", flat=True).first()
    mapping = matching.guess_mapping(headers, remembered, FIELDS)
    job = HotlineImport(community=community, created_by=by, original_name=name, mapping=mapping)
    job.file.save(name, file, save=False)
    job.save()
    if not matching.missing_required(mapping, FIELDS):
        _check(job)
    return job


def hotline_import_headers(job) -> list:
    with job.file.open("rb") as f:
        return reader.read_headers(f, job.original_name)


@transaction.atomic
def hotline_import_set_mapping(*, job, mapping, by) -> HotlineImport:
    """Say which column holds which field; the community keeps the layout for its next file (and for the
    reply file's headers)."""
    job = HotlineImport.objects.select_for_update().get(pk=job.pk)
    _require_staff(job.community, by)
    if job.status == Status.DONE:
        raise ValidationError(_("This import can no longer change its columns."))
    headers = set(hotline_import_headers(job))
    mapping = {h: k for h, k in mapping.items() if k}
    if set(mapping) - headers or set(mapping.values()) - set(BY_KEY):
        raise ValidationError(_("Choose fields for the file's own columns."))
    if len(set(mapping.values())) != len(mapping):
        raise ValidationError(_("Two columns cannot hold the same field."))
    missing = matching.missing_required(mapping, FIELDS)
    if missing:
        raise ValidationError(
            _("Choose a column for: %(fields)s.") % {"fields": "、".join(str(f.label) for f in missing)}
        )
    saved, _created = HotlineMapping.objects.get_or_create(community=job.community)
    saved.mapping = {**saved.mapping, **mapping}
    saved.save(update_fields=["mapping"])
    job.mapping = mapping
    _check(job)
    return job


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


class _Row:
    def __init__(self, index):
        self.index = index
        self.values = {}
        self.errors = {}

    @property
    def line(self):
        return self.index + 2  # the header is line 1

    def error(self, header, message):
        self.errors.setdefault(header, []).append(str(message))


def _parse(index, record, mapping):
    row = _Row(index)
    header_of = {key: header for header, key in mapping.items()}
    values = {key: record.get(header) for header, key in mapping.items()}

    def text(key, limit=None):
        value = values.get(key)
        value = "" if value is None else str(value).strip()
        if limit and len(value) > limit:
            row.error(header_of[key], _("At most %(n)s characters.") % {"n": limit})
        return value

    number = text("order_no", 40)
    if not number:
        row.error(header_of["order_no"], _("The work-order number is missing."))
    content = text("content")
    if not content:
        row.error(header_of["content"], _("The content of the work order is missing."))
    title = text("title", 200)
    description = f"【{title}】{content}" if title else content
    if len(description) > DESCRIPTION_MAX:
        row.error(header_of["content"], _("At most %(n)s characters.") % {"n": DESCRIPTION_MAX})
    phone = "".join(text("phone").split()).replace("-", "")
    if phone:
        try:
            validate_phone(phone)
        except ValidationError as error:
            row.error(header_of["phone"], error.messages[0])
    moments = {}
    for key in ("received_at", "deadline"):
        if values.get(key) in (None, ""):
            moments[key] = None
            continue
        moments[key] = _parse_moment(values[key], end_of_day=key == "deadline")
        if moments[key] is None:
            row.error(header_of[key], _("Write a date and time such as 2026-01-06 18:00."))
    if moments["received_at"] and moments["deadline"] and moments["deadline"] < moments["received_at"]:
        row.error(header_of["deadline"], _("The deadline cannot be before the time the order was received."))
    row.values = {
        "order_no": number,
        "description": description,
        "category": text("category", 100),
        "caller": text("caller", 50),
        "phone": phone,
        "address": text("address", 200),
        **moments,
    }
    return row


def _read_rows(job):
    with job.file.open("rb") as f:
        records = [(i, r) for i, r in reader.iter_records(f, job.original_name) if r]
    if len(records) > MAX_ROWS:
        raise ValidationError({"file": _("A file holds at most %(n)s work orders.") % {"n": MAX_ROWS}})
    rows = [_parse(i, r, job.mapping) for i, r in records]
    header = next(h for h, k in job.mapping.items() if k == "order_no")
    lines = {}
    for row in rows:
        if row.values["order_no"]:
            lines.setdefault(row.values["order_no"], []).append(row.line)
    for row in rows:
        others = [n for n in lines.get(row.values["order_no"], []) if n != row.line]
        if others:
            row.error(
                header,
                _("The same work-order number is also on line %(lines)s.")
                % {"lines": "、".join(map(str, others))},
            )
    known = dict(
        HotlineOrder.objects.filter(order_no__in=list(lines)).values_list("order_no", "community_id")
    )
    for row in rows:
        row.known = row.values["order_no"] in known
        if row.known and known[row.values["order_no"]] != job.community_id:
            row.error(header, _("This work order was imported by another community."))
    return rows


def _check(job):
    """The preview: every row's outcome and errors, nothing written but the job's own rows."""
    rows = _read_rows(job)
    job.rows.all().delete()
    HotlineImportRow.objects.bulk_create(
        HotlineImportRow(
            job=job,
            line=row.line,
            order_no=row.values["order_no"][:40],
            outcome=Outcome.ERROR if row.errors else Outcome.KNOWN if row.known else Outcome.NEW,
            summary=row.values["description"][:80],
            errors=row.errors,
        )
        for row in rows
    )
    job.error_count = sum(1 for r in rows if r.errors)
    job.known_count = sum(1 for r in rows if r.known and not r.errors)
    job.new_count = len(rows) - job.error_count - job.known_count
    job.status = Status.REFUSED if job.error_count else Status.READY
    job.save()


def _category(community, name, cache):
    """The community's category of that name, else the fallback "other" one."""
    if name not in cache:
        found = Category.objects.offered_in(community.pk).filter(name=name).first() if name else None
        cache[name] = found or category_fallback()
    return cache[name]


@transaction.atomic
def hotline_import_confirm(*, job, by) -> HotlineImport:
    """Import a checked file: each order not imported before becomes a petition of channel 12345. The file
    is checked again under the job's lock, so a change since the preview cannot slip through."""
    job = HotlineImport.objects.select_for_update().select_related("community").get(pk=job.pk)
    _require_staff(job.community, by)
    if job.status != Status.READY:
        raise ValidationError(_("Only a checked file without errors can be imported."))
    rows = _read_rows(job)
    if any(r.errors for r in rows):
        raise ValidationError(_("The file has rows with errors: check it again."))
    categories = {}
    created = 0
    for row in rows:
        if row.known:
            continue
        v = row.values
        petition = petition_submit(
            kind=Petition.Kind.REQUEST,
            category=_category(job.community, v["category"], categories),
            description=v["description"],
            channel=Petition.Channel.HOTLINE,
            community=job.community,
            location_text=v["address"],
            submitter_name=v["caller"],
            phone=v["phone"],
            hotline_order_no=v["order_no"],
            hotline_due_at=v["deadline"],
            by=by,
        )
        HotlineOrder.objects.create(
            order_no=v["order_no"],
            community=job.community,
            petition=petition,
            job=job,
            received_at=v["received_at"],
            deadline=v["deadline"],
            hotline_category=v["category"],
        )
        created += 1
    job.status = Status.DONE
    job.new_count, job.known_count = created, len(rows) - created
    job.confirmed_by, job.confirmed_at = by, timezone.now()
    job.save()
    return job
