"""Milestones and their evidence: added by staff, completed (with a photo, a file or a note) by staff or
the project's responsible person, on the ledger, the admin or a phone."""

import logging
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from petitions.photos import check_photos, clean_photo
from petitions.services.files import delete_files

from ..models import Evidence, Milestone, Project
from .access import require_staff, require_worker
from .reminders import schedule_milestone

logger = logging.getLogger("linli.projects")

FILE_MAX_BYTES = 20 * 1024 * 1024
# Pictures go in as photos, which are re-encoded without their metadata (a phone photo carries its GPS).
FILE_TYPES = {"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt"}
MAX_FILES = 5
NOTE_MAX_LENGTH = 2000


def _locked_project(project_id) -> Project:
    return Project.objects.select_for_update().get(pk=project_id)


def _require_running(project):
    if not project.is_active:
        raise ValidationError(
            _("The project is “%(status)s”: its milestones cannot change.")
            % {"status": project.get_status_display()}
        )


@transaction.atomic
def milestone_save(*, milestone, by) -> Milestone:
    """Add or change a milestone (title and due date). Its reminders follow its due date."""
    project = _locked_project(milestone.project_id)
    require_staff(project.community_id, by)
    _require_running(project)
    if milestone.pk:
        old = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if old.project_id != project.pk:
            raise ValidationError({"project": _("A milestone cannot move to another project.")})
        milestone.done_on, milestone.done_by_id = old.done_on, old.done_by_id
    if milestone.due_on and milestone.due_on < project.starts_on:
        raise ValidationError(
            {
                "due_on": _("A milestone cannot be due before the project starts (%(date)s).")
                % {"date": project.starts_on.isoformat()}
            }
        )
    milestone.full_clean()
    milestone.save()
    schedule_milestone(milestone)
    return milestone


def _check_files(files):
    files = [f for f in files if f]
    if len(files) > MAX_FILES:
        raise ValidationError({"files": _("At most 5 files at a time.")})
    for upload in files:
        suffix = PurePath(upload.name).suffix.lower().lstrip(".")
        if suffix not in FILE_TYPES:
            raise ValidationError(
                {
                    "files": _(
                        "“%(name)s”: please upload a PDF, Word, Excel, PowerPoint or text file; photos go under Photos."
                    )
                    % {"name": upload.name}
                }
            )
        if upload.size > FILE_MAX_BYTES:
            raise ValidationError({"files": _("Each file must be smaller than 20 MB.")})
    return files


def _check_note(note):
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": _("Please keep the note under 2000 characters.")})
    return note


def _store(milestone, photos, files, by, written):
    for content in photos:
        evidence = Evidence(milestone=milestone, kind=Evidence.Kind.PHOTO, uploaded_by=by)
        evidence.file.save("photo.jpg", content, save=False)
        written.append((evidence.file.storage, evidence.file.name))
        evidence.save()
    for upload in files:
        evidence = Evidence(
            milestone=milestone, kind=Evidence.Kind.FILE, uploaded_by=by, original_name=upload.name[:150]
        )
        evidence.file.save(upload.name, upload, save=False)
        written.append((evidence.file.storage, evidence.file.name))
        evidence.save()


def _with_files(work):
    """Run `work(written)` in a transaction; files it wrote are removed again if it rolls back."""
    written = []
    try:
        with transaction.atomic():
            return work(written)
    except BaseException:
        delete_files(written)
        raise


def _validated_uploads(photos, files):
    try:
        photos = check_photos(photos or [])
    except ValidationError as exc:
        raise ValidationError({"photos": exc.messages}) from None
    return photos, _check_files(files or [])


def milestone_add_evidence(*, milestone, by, photos=(), files=(), note="") -> Milestone:
    """Add photos, files or a line to the note of a milestone, done or not (a photo taken afterwards)."""
    photos, files = _validated_uploads(photos, files)
    note = _check_note(note)
    if not photos and not files and not note:
        raise ValidationError(_("Add a photo, a file or a note."))

    def work(written):
        project = _locked_project(milestone.project_id)
        require_worker(project, by)
        if project.status == Project.Status.CANCELLED:
            raise ValidationError(_("The project is cancelled: nothing more can be added."))
        m = Milestone.objects.select_for_update().get(pk=milestone.pk)
        cleaned = [_clean(photo) for photo in photos]
        if note:
            m.note = f"{m.note}\n{note}".strip() if m.note else note
            m.save(update_fields=["note"])
        _store(m, cleaned, files, by, written)
        return m

    return _with_files(work)


def _clean(photo):
    try:
        return clean_photo(photo)
    except ValidationError as exc:
        raise ValidationError({"photos": exc.messages}) from None


def milestone_complete(*, milestone, by, done_on=None, note="", photos=(), files=()) -> Milestone:
    """Mark a milestone done on `done_on` (today by default), with its evidence: a photo, a file or a note,
    new or already there. The first milestone done moves a planned project to in progress."""
    photos, files = _validated_uploads(photos, files)
    note = _check_note(note)
    today = timezone.localdate()
    done_on = done_on or today

    def work(written):
        project = _locked_project(milestone.project_id)
        require_worker(project, by)
        _require_running(project)
        m = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if m.done_on:
            raise ValidationError(_("This milestone is already done."))
        if done_on > today:
            raise ValidationError({"done_on": _("A milestone cannot be done in the future.")})
        if done_on < project.starts_on:
            raise ValidationError({"done_on": _("A milestone cannot be done before the project starts.")})
        if not (photos or files or note or m.note or m.evidence.exists()):
            raise ValidationError(_("Add a photo, a file or a note as evidence that it is done."))
        m.done_on, m.done_by = done_on, by
        if note:
            m.note = f"{m.note}\n{note}".strip() if m.note else note
        m.save(update_fields=["done_on", "done_by", "note"])
        _store(m, [_clean(photo) for photo in photos], files, by, written)
        if project.status == Project.Status.PLANNED:
            project.status = Project.Status.IN_PROGRESS
            project.save(update_fields=["status", "updated_at"])
        logger.info("milestone=%s done by=%s", m.pk, by.pk)
        return m

    result = _with_files(work)
    milestone.done_on, milestone.done_by_id, milestone.note = result.done_on, result.done_by_id, result.note
    return result
