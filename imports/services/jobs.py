"""The life of an import: upload, column mapping, the preview (checking every row, nothing written),
confirmation and the import itself, in batches that each commit with the job's cursor.

Both the preview and the import run in the worker for large files (`imports.run_job`); a small file runs
at once in the request. A worker that dies leaves the job's lease to run out; `resume_stale` (beat) sends
the job again and it carries on from `next_row`, the first row of the first uncommitted batch.
"""

import datetime
import itertools
import json
from pathlib import PurePath

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.permissions import is_staff_of
from grids import pii
from grids.models import Community

from .. import columns, kinds, reader
from ..models import ColumnMapping, ImportChunk, ImportJob, ImportRow

RUN_TASK = "imports.run_job"
BATCH_SIZE = 500
LEASE = datetime.timedelta(minutes=2)
MAX_ATTEMPTS = 5
MAX_FILE_BYTES = 20 * 1024 * 1024
Status = ImportJob.Status


def _require_staff(community, by):
    if not Community.objects.visible_to(by).filter(pk=community.pk).exists():
        raise Http404
    if not is_staff_of(by, community.pk):
        raise PermissionDenied(_("Only the community's staff may import files into it."))


def _start(job):
    """Check (or import) now when the file is small, else hand the job to the worker, after commit."""
    if job.file.size <= settings.IMPORTS_INLINE_MAX_BYTES:
        transaction.on_commit(lambda: job_run(job_id=job.pk))
    else:
        transaction.on_commit(
            lambda: current_app.send_task(RUN_TASK, args=[job.pk], retry=False), robust=True
        )


@transaction.atomic
def job_create(*, community, file, by, kind="registry") -> ImportJob:
    """Take an uploaded xlsx or csv file of a kind of import (imports.kinds); guess its columns (the
    community's remembered choices first)."""
    fields = kinds.get(kind).fields
    _require_staff(community, by)
    name = PurePath(file.name or "").name[:200]
    if not name.lower().endswith((".xlsx", ".csv")):
        raise ValidationError({"file": _("Upload an Excel file (.xlsx) or a CSV file.")})
    if file.size > MAX_FILE_BYTES:
        raise ValidationError({"file": _("The file is larger than 20 MB.")})
    try:
        headers = reader.read_headers(file, name)
    except reader.UnreadableFile:
        raise ValidationError({"file": _("The file cannot be read: save it again as .xlsx and retry.")})
    file.seek(0)
    if not any(headers):
        raise ValidationError({"file": _("The file's first row must hold the column headers.")})
    remembered = (
        ColumnMapping.objects.filter(community=community, kind=kind).values_list("mapping", flat=True).first()
    )
    mapping = columns.guess_mapping(headers, remembered, fields)
    job = ImportJob(community=community, created_by=by, original_name=name, mapping=mapping, kind=kind)
    job.file.save(name, file, save=False)
    job.status = Status.MAPPING if columns.missing_required(mapping, fields) else Status.VALIDATING
    job.save()
    if job.status == Status.VALIDATING:
        _start(job)
    return job


def job_headers(job) -> list:
    with job.file.open("rb") as f:
        return reader.read_headers(f, job.original_name)


@transaction.atomic
def job_set_mapping(*, job, mapping, by) -> ImportJob:
    """Say which column holds which field; the community remembers the choice for its next file."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    _require_staff(job.community, by)
    if job.status not in (Status.MAPPING, Status.READY, Status.REFUSED):
        raise ValidationError(_("This import can no longer change its columns."))
    headers = set(job_headers(job))
    fields = kinds.get(job.kind).fields
    mapping = {h: k for h, k in mapping.items() if k}
    if set(mapping) - headers or set(mapping.values()) - {f.key for f in fields}:
        raise ValidationError(_("Choose fields for the file's own columns."))
    if len(set(mapping.values())) != len(mapping):
        raise ValidationError(_("Two columns cannot hold the same field."))
    missing = columns.missing_required(mapping, fields)
    if missing:
        raise ValidationError(
            _("Choose a column for: %(fields)s.") % {"fields": "、".join(str(f.label) for f in missing)}
        )
    remembered, _created = ColumnMapping.objects.get_or_create(community=job.community, kind=job.kind)
    remembered.mapping = {**remembered.mapping, **mapping}
    remembered.save(update_fields=["mapping"])
    job.rows.all().delete()
    job.chunks.all().delete()
    job.mapping = mapping
    _reset(job, Status.VALIDATING)
    job.save()
    _start(job)
    return job


def _reset(job, status):
    job.status, job.next_row, job.attempts, job.lease_until, job.message = status, 0, 0, None, ""
    job.new_count = job.changed_count = job.unchanged_count = job.error_count = 0


@transaction.atomic
def job_confirm(*, job, by) -> ImportJob:
    """Staff confirm a preview without errors: the import starts (and then writes every row)."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    _require_staff(job.community, by)
    if job.status != Status.READY:
        raise ValidationError(_("Only a checked file without errors can be imported."))
    _reset(job, Status.APPLYING)
    job.confirmed_by, job.confirmed_at = by, timezone.now()
    job.save()
    _start(job)
    return job


def _claim(job_id) -> bool:
    now = timezone.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    return bool(
        ImportJob.objects.filter(free, pk=job_id, status__in=ImportJob.WORKING_STATUSES).update(
            lease_until=now + LEASE, attempts=F("attempts") + 1
        )
    )


def _batches(records):
    while batch := list(itertools.islice(records, BATCH_SIZE)):
        yield batch


def job_run(*, job_id):
    """Check or import a job's rows from its cursor on, a batch per transaction. Does nothing when another
    worker holds the job."""
    if not _claim(job_id):
        return
    job = ImportJob.objects.select_related("community", "created_by", "confirmed_by").get(pk=job_id)
    if job.attempts > MAX_ATTEMPTS:
        _fail(job, _("The import stopped after %(n)s attempts.") % {"n": MAX_ATTEMPTS})
        return
    with translation.override(settings.LANGUAGE_CODE):
        try:
            _run(job)
        except (ValidationError, PermissionDenied, Http404) as error:
            message = "; ".join(getattr(error, "messages", [])) or _("You may not change this registry.")
            _fail(job, _("Line %(line)s: %(message)s") % {"line": job.next_row + 2, "message": message})


def _run(job):
    phase = job.status
    by = job.confirmed_by if phase == Status.APPLYING else job.created_by
    plan = kinds.get(job.kind).planner
    ctx = plan.Context(job, by)
    if not job.total_rows:
        # An xlsx file's rows are counted by the preview itself (a second read costs as much as the check).
        with job.file.open("rb") as f:
            job.total_rows = reader.count_records(f, job.original_name) or 0
        ImportJob.objects.filter(pk=job.pk).update(total_rows=job.total_rows)
    if phase == Status.VALIDATING:
        with job.file.open("rb") as f:
            for batch in _batches(reader.iter_records(f, job.original_name, start=job.next_row)):
                with transaction.atomic():
                    if not _still_mine(job, phase, batch[0][0]):
                        return
                    rows = plan.plan(ctx, batch)
                    _record_rows(job, plan, rows, batch[0][0], batch[-1][0] + 1)
                    _advance(job, rows, batch[-1][0] + 1)
    else:
        # The import reads the checked rows back from the preview's chunks, not the file: parsing a
        # sheet's cells costs more than writing them.
        while chunk := job.chunks.filter(start__gte=job.next_row).order_by("start").first():
            with transaction.atomic():
                if not _still_mine(job, phase, chunk.start):
                    return
                rows = plan.resolve(ctx, plan.load(json.loads(pii.decrypt(chunk.payload))))
                bad = next((r for r in rows if r.errors), None)
                if bad is not None:
                    job.next_row = bad.index
                    raise ValidationError(" ".join(f"{h}: {'；'.join(m)}" for h, m in bad.errors.items()))
                _apply(ctx, rows)
                _advance(job, rows, chunk.end)
    _finish(job, phase)


def _still_mine(job, phase, start) -> bool:
    """Lock the job for this batch's transaction; False when another run has moved it on."""
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    return locked.status == phase and locked.next_row == start


def _apply(ctx, rows):
    kinds.get(ctx.job.kind).planner.apply_batch(ctx, rows)


def _record_rows(job, plan, rows, start, end):
    good = [r for r in rows if not r.errors]
    payload = pii.encrypt(json.dumps(plan.dump(good), ensure_ascii=False))
    ImportChunk.objects.create(job=job, start=start, end=end, payload=payload)
    ImportRow.objects.bulk_create(
        ImportRow(
            job=job,
            line=r.line,
            outcome=r.outcome,
            name=r.summary[:50],
            id_number_masked=r.masked[:32],
            dwelling=r.place[:120],
            id_number_index=r.key,
            errors=r.errors,
            changes=r.changes,
        )
        for r in rows
    )


def _advance(job, rows, next_row):
    """Move the cursor and the counts, in the batch's transaction, and renew the lease."""
    counts = {"new": 0, "changed": 0, "unchanged": 0, "error": 0}
    for row in rows:
        counts[row.outcome] += 1
    ImportJob.objects.filter(pk=job.pk).update(
        next_row=next_row,
        new_count=F("new_count") + counts["new"],
        changed_count=F("changed_count") + counts["changed"],
        unchanged_count=F("unchanged_count") + counts["unchanged"],
        error_count=F("error_count") + counts["error"],
        lease_until=timezone.now() + LEASE,
    )
    job.next_row = next_row


@transaction.atomic
def _finish(job, phase):
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if phase == Status.VALIDATING:
        _mark_duplicates(job)
        counts = dict(job.rows.values_list("outcome").annotate(n=Count("pk")))
        job.new_count = counts.get("new", 0)
        job.changed_count = counts.get("changed", 0)
        job.unchanged_count = counts.get("unchanged", 0)
        job.error_count = counts.get("error", 0)
        job.status = Status.REFUSED if job.error_count else Status.READY
    else:
        job.status = Status.DONE
        job.chunks.all().delete()
    job.total_rows = max(job.total_rows, job.next_row)
    job.next_row = job.total_rows
    job.lease_until, job.finished_at = None, timezone.now()
    job.save()


def _mark_duplicates(job):
    """A natural key (the registry's ID number) on two lines of the file: both lines are refused (one
    query finds them all)."""
    kind = kinds.get(job.kind)
    label = next(f.label for f in kind.fields if f.key == kind.key_field)
    header = next((h for h, k in job.mapping.items() if k == kind.key_field), str(label))
    twice = (
        job.rows.exclude(id_number_index="")
        .values("id_number_index")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values("id_number_index")
    )
    rows = list(job.rows.filter(id_number_index__in=twice).order_by("line"))
    lines = {}
    for row in rows:
        lines.setdefault(row.id_number_index, []).append(row.line)
    for row in rows:
        others = "、".join(str(n) for n in lines[row.id_number_index] if n != row.line)
        message = str(kind.duplicate_message) % {"lines": others}
        row.errors = {**row.errors, header: [*row.errors.get(header, []), message]}
        row.outcome = ImportRow.Outcome.ERROR
    ImportRow.objects.bulk_update(rows, ["errors", "outcome"], batch_size=500)


def _fail(job, message):
    ImportJob.objects.filter(pk=job.pk).update(
        status=Status.FAILED, message=str(message)[:300], lease_until=None, finished_at=timezone.now()
    )


def resume_stale() -> int:
    """Send again every checking or importing job whose worker stopped renewing its lease."""
    now = timezone.now()
    ids = list(
        ImportJob.objects.running()
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .values_list("pk", flat=True)
    )
    for pk in ids:
        current_app.send_task(RUN_TASK, args=[pk], retry=False)
    return len(ids)
