"""Meetings: the record staff keep, attendance by the host's QR code or the host's tick, and files."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import is_staff_of, may_run_meeting

from ..models import Attendance, Meeting, MeetingFile
from ..selectors import meeting_roster
from .errors import DeliberationError

# The code works from a little before the meeting until the end of its day.
ATTENDANCE_OPENS_BEFORE = datetime.timedelta(hours=2)
MAX_FILE_BYTES = 20 * 1024 * 1024
FILE_EXTENSIONS = {"jpg", "jpeg", "png", "webp", "pdf", "doc", "docx", "xls", "xlsx", "txt"}
PHOTO_EXTENSIONS = {"jpg", "jpeg", "png", "webp"}


def meeting_save(*, meeting: Meeting, topics=None, by) -> Meeting:
    """Create or edit a meeting; `topics` (when given) become its agenda, all of its community."""
    if not meeting.community_id or not is_staff_of(by, meeting.community_id):
        raise PermissionDenied
    if meeting.pk:
        saved = Meeting.objects.only("community_id").get(pk=meeting.pk)
        if saved.community_id != meeting.community_id:
            raise DeliberationError({"community": _("A meeting cannot move to another community.")})
    meeting.title = (meeting.title or "").strip()
    meeting.place = (meeting.place or "").strip()
    if not meeting.title:
        raise DeliberationError({"title": _("Give the meeting a title.")})
    if not meeting.place:
        raise DeliberationError({"place": _("Say where the meeting takes place.")})
    if not meeting.starts_at:
        raise DeliberationError({"starts_at": _("Give the date and time of the meeting.")})
    if not meeting.host_id or not meeting.host.is_active:
        raise DeliberationError({"host": _("Choose the host.")})
    invited = list(dict.fromkeys(meeting.invited or []))
    if any(v not in Meeting.Party.values for v in invited):
        raise DeliberationError({"invited": _("Unknown invited party.")})
    meeting.invited = invited
    topics = None if topics is None else list(topics)
    for topic in topics or []:
        if topic.community_id != meeting.community_id:
            raise DeliberationError(
                {"topics": _("“%(topic)s” is a topic of another community.") % {"topic": topic}}
            )
    with transaction.atomic():
        if not meeting.pk:
            meeting.created_by = by
        meeting.save()
        if topics is not None:
            meeting.topics.set(topics)
    return meeting


def meeting_minutes_save(*, meeting, minutes, internal, by) -> Meeting:
    if not may_run_meeting(by, meeting):
        raise PermissionDenied
    with transaction.atomic():
        meeting.minutes = (minutes or "").strip()[:10000]
        meeting.minutes_internal = bool(internal)
        meeting.save(update_fields=["minutes", "minutes_internal"])
    return meeting


def _record(meeting, *, user, name, phone_last4, method, by):
    """Once per person: a second scan or a double submit finds the first row (ON CONFLICT DO NOTHING)."""
    Attendance.objects.bulk_create(
        [
            Attendance(
                meeting=meeting, user=user, name=name, phone_last4=phone_last4, method=method, recorded_by=by
            )
        ],
        ignore_conflicts=True,
    )
    if user is not None:
        return Attendance.objects.get(meeting=meeting, user=user)
    return Attendance.objects.get(meeting=meeting, user__isnull=True, name=name, phone_last4=phone_last4)


def _clean_person(name, phone_last4):
    name = (name or "").strip()
    phone_last4 = (phone_last4 or "").strip()
    if not name or len(name) > 50:
        raise DeliberationError({"name": _("Write your name (at most 50 characters).")})
    if phone_last4 and not (len(phone_last4) == 4 and phone_last4.isdigit()):
        raise DeliberationError({"phone_last4": _("Enter the last 4 digits of the mobile phone.")})
    return name, phone_last4


def attendance_scan(*, token, user=None, name="", phone_last4="", now=None) -> Attendance:
    """The attendee followed the host's code: recorded by account, or (a resident without one) by name
    and the phone's last 4 digits."""
    now = now or timezone.now()
    meeting = Meeting.objects.filter(attendance_token=token).first()
    if meeting is None:
        raise DeliberationError(_("This attendance code is not valid."))
    day_end = timezone.localtime(meeting.starts_at).replace(hour=23, minute=59, second=59)
    if not (meeting.starts_at - ATTENDANCE_OPENS_BEFORE <= now <= day_end):
        raise DeliberationError(_("Attendance for this meeting is not open now."))
    if user is not None and user.is_authenticated:
        person = {"user": user, "name": user.display_name or user.username, "phone_last4": "", "by": user}
    else:
        name, phone_last4 = _clean_person(name, phone_last4)
        if not phone_last4:
            raise DeliberationError({"phone_last4": _("Enter the last 4 digits of the mobile phone.")})
        person = {"user": None, "name": name, "phone_last4": phone_last4, "by": None}
    with transaction.atomic():
        return _record(meeting, method=Attendance.Method.QR, **person)


def attendance_tick(*, meeting, name, phone_last4="", by) -> Attendance:
    """The host ticks someone who came without a phone."""
    if not may_run_meeting(by, meeting):
        raise PermissionDenied
    name, phone_last4 = _clean_person(name, phone_last4)
    with transaction.atomic():
        return _record(
            meeting, user=None, name=name, phone_last4=phone_last4, method=Attendance.Method.HOST, by=by
        )


def attendance_tick_invitee(*, meeting, key, by) -> Attendance:
    """The host ticks an invitee of the roster. Recorded as a scan of the same person would be (by account,
    or by name and phone's last 4), so a person who scanned, or is ticked twice, is recorded once."""
    if not may_run_meeting(by, meeting):
        raise PermissionDenied
    entry = next((e for e in meeting_roster(meeting) if e.key == key), None)
    if entry is None:
        raise DeliberationError(_("This person is not on the meeting's list of invitees."))
    user = User.objects.get(pk=entry.user_id) if entry.user_id else None
    with transaction.atomic():
        return _record(
            meeting,
            user=user,
            name=(user.display_name or user.username) if user else entry.name[:50],
            phone_last4="" if user else entry.phone_last4,
            method=Attendance.Method.HOST,
            by=by,
        )


def meeting_file_add(*, meeting, upload, by) -> MeetingFile:
    if not may_run_meeting(by, meeting):
        raise PermissionDenied
    if upload is None:
        raise DeliberationError({"file": _("Choose a file.")})
    ext = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if ext not in FILE_EXTENSIONS:
        raise DeliberationError({"file": _("Photos (JPG, PNG, WebP), PDF, Word, Excel or text files only.")})
    if upload.size > MAX_FILE_BYTES:
        raise DeliberationError({"file": _("A file is at most 20 MB.")})
    with transaction.atomic():
        return MeetingFile.objects.create(
            meeting=meeting,
            file=upload,
            name=upload.name[:100],
            is_photo=ext in PHOTO_EXTENSIONS,
            uploaded_by=by,
        )
