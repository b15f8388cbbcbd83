"""What residents bring (requests 诉求, micro-wishes 微心愿, suggestions 建议) and the closed loop they go
through. The current state is a column; the history is a list of PetitionEvent rows written by
`petitions.services` in the same transaction. Reminders, escalations, SMS and follow-ups are Outbox rows
swept by beat (petitions.services.sweep, run by petitions.tasks)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grids.models import EncryptedPhone

from . import querysets
from .querysets import OutboxQuerySet, PendingPhotoQuerySet, PetitionQuerySet

# 31 characters without 0/O, 1/I/L: easy to read over the phone; 12 of them give about 59 bits.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _i in range(12))


class Holiday(models.Model):
    """The official calendar: public holidays, and weekend days made into workdays (调休)."""

    date = models.DateField(_("Date"), unique=True)
    is_workday = models.BooleanField(
        _("Adjusted workday"), default=False, help_text=_("Tick for a weekend day that is a working day.")
    )
    name = models.CharField(_("Name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("Holiday or adjusted workday")
        verbose_name_plural = _("Holidays and adjusted workdays")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.name}"


class Category(models.Model):
    """A kind of problem, with its deadlines. The shared defaults (no community) are the district's; a
    community adds its own beside them. Staff configure them in the admin."""

    class Unit(models.TextChoices):
        HOURS = "hours", _("Calendar hours")
        WORKDAYS = "workdays", _("Working days")

    name = models.CharField(_("Name"), max_length=50)
    community = models.ForeignKey(
        "grids.Community",
        verbose_name=_("Community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="categories",
        help_text=_("Empty: shared by every community (set by the district)."),
    )
    deadline_unit = models.CharField(
        _("Deadline unit"), max_length=10, choices=Unit.choices, default=Unit.HOURS
    )
    contact_within_hours = models.PositiveIntegerField(_("First contact within (hours)"), default=24)
    accept_within = models.PositiveIntegerField(_("Accept within"), default=24)
    resolve_within = models.PositiveIntegerField(_("Resolve within"), default=72)
    follow_up_after_days = models.PositiveIntegerField(_("Follow-up after (days)"), default=3)
    remind_before_hours = models.PositiveIntegerField(_("Remind before deadline (hours)"), default=4)
    # Disputes between neighbours stay off the public board whatever staff write.
    private = models.BooleanField(_("Never public (e.g. neighbour disputes)"), default=False)
    active = models.BooleanField(_("Active"), default=True)
    position = models.PositiveSmallIntegerField(_("Order"), default=0)

    objects = querysets.CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("Category")
        verbose_name_plural = _("Categories")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"],
                name="category_name_unique_in_community",
                violation_error_message=_("This community already has a category of this name."),
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(community__isnull=True),
                name="category_name_unique_shared",
                violation_error_message=_("A shared category of this name already exists."),
            ),
        ]

    def __str__(self):
        return self.name


class Petition(EncryptedPhone):
    class Kind(models.TextChoices):
        WISH = "wish", _("Micro-wish")
        REQUEST = "request", _("Request")
        SUGGESTION = "suggestion", _("Suggestion")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        DISPATCHED = "dispatched", _("Dispatched")
        IN_PROGRESS = "in_progress", _("In progress")
        SUSPENDED = "suspended", _("Suspended")
        RESOLVED = "resolved", _("Resolved")
        REVIEW = "review", _("Community review")
        CLOSED = "closed", _("Closed")
        MERGED = "merged", _("Merged")

    class Channel(models.TextChoices):
        PUBLIC = "public", _("QR code / public page")
        VISIT = "visit", _("Grid leader's visit")
        PHONE = "phone", _("Phone")
        WALK_IN = "walk_in", _("Walk-in")
        MEETING = "meeting", _("Meeting")
        HOTLINE = "hotline", _("12345 hotline")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASICALLY = "basically", _("Basically satisfied")
        DISSATISFIED = "dissatisfied", _("Dissatisfied")

    # The status groups are defined once in querysets.py (why each exists is said there).
    OPEN_STATUSES = querysets.OPEN_STATUSES
    WORKING_STATUSES = querysets.WORKING_STATUSES
    RESOLVE_CLOCK_STATUSES = querysets.RESOLVE_CLOCK_STATUSES
    NOT_CLOSED = querysets.NOT_CLOSED

    kind = models.CharField(_("Kind"), max_length=12, choices=Kind.choices, default=Kind.REQUEST)
    status = models.CharField(
        _("Status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    tracking_code = models.CharField(
        _("Tracking code"), max_length=16, unique=True, default=new_tracking_code
    )
    category = models.ForeignKey(Category, verbose_name=_("Category"), on_delete=models.PROTECT)
    community = models.ForeignKey(
        "grids.Community", verbose_name=_("Community"), on_delete=models.PROTECT, related_name="petitions"
    )
    building = models.ForeignKey(
        "grids.Building", verbose_name=_("Building"), null=True, blank=True, on_delete=models.PROTECT
    )
    household = models.ForeignKey(
        "grids.Household", verbose_name=_("Dwelling"), null=True, blank=True, on_delete=models.SET_NULL
    )
    grid = models.ForeignKey(
        "grids.Grid", verbose_name=_("Grid"), null=True, blank=True, on_delete=models.SET_NULL
    )
    microgrid = models.ForeignKey(
        "grids.MicroGrid", verbose_name=_("Micro-grid"), null=True, blank=True, on_delete=models.SET_NULL
    )
    location_text = models.CharField(pgettext_lazy("petition", "Place"), max_length=200, blank=True)
    description = models.TextField(_("Description"), max_length=2000)
    channel = models.CharField(_("Channel"), max_length=10, choices=Channel.choices, default=Channel.PUBLIC)
    hotline_order_no = models.CharField(_("12345 work-order number"), max_length=40, blank=True)
    # The city hotline sets its own deadline for a work order: it replaces the category's resolve time.
    hotline_due_at = models.DateTimeField(_("12345 deadline"), null=True, blank=True)
    # A 信访 matter is a separate legal channel: recorded for reference, never shown on public pages.
    is_xinfang = models.BooleanField(_("Formal complaint channel (never public)"), default=False)
    # Brought in from a community's past ledger (台账) with its original dates: no reminders, no clock.
    imported = models.BooleanField(_("Imported from a ledger"), default=False)

    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="petitions_submitted",
    )
    submitter_name = models.CharField(_("Name"), max_length=50, blank=True)
    phone_verified = models.BooleanField(_("Phone verified"), default=False)
    phone_validators = []  # checked by the form or serializer that takes it, as before
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="petitions_assigned",
    )
    assignee_org = models.ForeignKey(
        "governance.Organisation",
        verbose_name=_("Assigned organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="petitions",
    )
    # 0 grid, 1 community, 2 street: who supervises it now (raised when overdue or reported up).
    escalation_level = models.PositiveSmallIntegerField(_("Escalation level"), default=0)
    suspended_from = models.CharField(max_length=12, blank=True)
    extension_requested_until = models.DateTimeField(_("Extension requested until"), null=True, blank=True)
    wish_published = models.BooleanField(_("On the wish wall"), default=False)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("Merged into"), null=True, blank=True, on_delete=models.SET_NULL
    )

    created_at = models.DateTimeField(_("Received at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)
    contact_due_at = models.DateTimeField(_("First contact due"), null=True, blank=True)
    contacted_at = models.DateTimeField(_("First contact at"), null=True, blank=True)
    accept_due_at = models.DateTimeField(_("Acceptance due"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("Accepted at"), null=True, blank=True)
    resolve_due_at = models.DateTimeField(_("Resolution due"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("Resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_on_time = models.BooleanField(_("Resolved on time"), null=True, blank=True)
    resolution = models.TextField(pgettext_lazy("petition", "What was done"), blank=True)
    follow_up_due_at = models.DateTimeField(_("Follow-up due"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("Followed up at"), null=True, blank=True)
    solved = models.BooleanField(_("Solved"), null=True, blank=True)
    satisfaction = models.CharField(
        _("Satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    # Whose word `satisfaction` is: the resident's own rating, or what a follow-up visit recorded.
    rated_by_resident = models.BooleanField(_("Rated by the resident"), default=False)
    unreachable = models.BooleanField(_("Resident unreachable"), default=False)
    not_solved_count = models.PositiveSmallIntegerField(_("Times reported not solved"), default=0)
    closed_at = models.DateTimeField(_("Closed at"), null=True, blank=True)
    decline_reason = models.CharField(_("Reason for declining"), max_length=300, blank=True)
    public_summary = models.TextField(
        _("Public summary"),
        blank=True,
        help_text=_("Written by staff for the public board, without names, phones or room numbers."),
    )

    objects = PetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Request")
        verbose_name_plural = _("Requests")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # Covering (PostgreSQL): a patch's open queue and its follow-ups due sort their keys from the
            # index alone (dashboard.items: 40,000 open items of a community in 60 ms, not 0.3-0.8 s).
            models.Index(
                fields=["community", "status"],
                include=["accept_due_at", "resolve_due_at", "follow_up_due_at", "id"],
                name="petition_community_status",
            ),
            models.Index(
                fields=["grid", "status"],
                include=["accept_due_at", "resolve_due_at", "follow_up_due_at", "id"],
                name="petition_grid_status",
            ),
            models.Index(fields=["status", "resolve_due_at"]),
            # A community's newest first (the API lists, the overdue API of a small area) and its queue by
            # deadline (the workbench tabs); the admin finds a 12345 number whole.
            models.Index(fields=["community", "-created_at", "-id"], name="petition_community_new"),
            models.Index(
                fields=["community", "resolve_due_at", "accept_due_at", "-id"], name="petition_community_due"
            ),
            # The same queue for a grid leader's grid, and for a whole district or street (its list of
            # communities is read from the head of the one index in deadline order, not sorted).
            models.Index(fields=["grid", "resolve_due_at", "accept_due_at", "-id"], name="petition_grid_due"),
            models.Index(fields=["resolve_due_at", "accept_due_at", "-id"], name="petition_due"),
            models.Index(fields=["hotline_order_no"], name="petition_hotline_order_no"),
            models.Index(querysets.TRACKING_KEY, name="petition_tracking_key"),
            # The public board's cache key (selectors.board_version) and its list, newest first.
            models.Index(fields=["updated_at"], name="petition_updated_at"),
            # The statistics' resolutions of this month (stats.selectors.monthly_trend counts it live).
            models.Index(fields=["resolved_at"], name="petition_resolved_at"),
            # Overdue now, per area (the statistics' league table): each step of querysets.overdue_steps
            # is counted from its index alone (per community, grid or building), whatever the number of
            # closed items.
            models.Index(
                fields=["community", "grid", "building", "accept_due_at"],
                condition=Q(status="submitted"),
                name="petition_accept_clock",
            ),
            models.Index(
                fields=["community", "grid", "building", "resolve_due_at"],
                condition=Q(status__in=querysets.RESOLVE_CLOCK_STATUSES),
                name="petition_resolve_clock",
            ),
            # Items never contacted, by first-contact deadline: the statistics' catch-up finds the closed
            # months whose response rate moved because such a deadline passed (nothing else changes then).
            models.Index(
                fields=["contact_due_at"],
                condition=Q(contacted_at__isnull=True),
                name="petition_contact_due_open",
            ),
            models.Index(
                fields=["-created_at", "-id"],
                condition=~Q(public_summary="")
                & Q(is_xinfang=False)
                & ~Q(status__in=("submitted", "declined", "merged")),
                name="petition_board",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(channel="hotline") | ~Q(hotline_order_no=""),
                name="petition_hotline_keeps_order_no",
            ),
        ]

    def __str__(self):
        return f"{self.tracking_code} · {self.category}"

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def place_label(self):
        if self.building_id:
            return str(self.building)
        return self.location_text

    @property
    def first_line(self):
        """The first non-empty line of the description, for one-line lists (the template truncates it)."""
        return next((line.strip() for line in self.description.splitlines() if line.strip()), "")

    @property
    def escalation_display(self):
        """Who supervises it now, in words: escalated to community staff (1) or to the street (2)."""
        return {1: _("Escalated to community staff"), 2: _("Escalated to the street")}.get(
            self.escalation_level, ""
        )

    def is_overdue(self, now=None):
        """The row-level reading of `querysets.overdue_q` (same statuses, same deadlines)."""
        now = now or timezone.now()
        if self.status == self.Status.SUBMITTED:
            return bool(self.accept_due_at and self.accept_due_at < now)
        if self.status in self.RESOLVE_CLOCK_STATUSES:
            return bool(self.resolve_due_at and self.resolve_due_at < now)
        return False

    @property
    def can_be_public(self):
        return not self.is_xinfang and not self.category.private and bool(self.public_summary)


class PetitionEvent(models.Model):
    """One step of an item's history: who did what, when, from which state to which, and why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Received")
        ACCEPT = "accept", _("Accept")
        DECLINE = "decline", _("Decline")
        DISPATCH = "dispatch", _("Dispatch")
        REASSIGN = "reassign", _("Reassign")
        PUBLISH_WISH = "publish_wish", _("Publish on the wish wall")
        CLAIM = "claim", _("Claim")
        START = "start", _("Start work")
        SEND_BACK = "send_back", _("Send back")
        REPORT_UP = "report_up", _("Report up")
        REQUEST_EXTENSION = "request_extension", _("Ask for more time")
        APPROVE_EXTENSION = "approve_extension", _("Approve extension")
        REJECT_EXTENSION = "reject_extension", _("Refuse extension")
        SUSPEND = "suspend", _("Suspend")
        RESUME = "resume", _("Resume")
        CONTACT = "contact", _("Record first contact")
        ANNOTATE = "annotate", _("Add a note")
        RESOLVE = "resolve", _("Mark resolved")
        RESOLVE_ON_THE_SPOT = "resolve_on_the_spot", _("Resolved on the spot")
        FOLLOW_UP = "follow_up", _("Record follow-up")
        FOLLOW_UP_UNREACHABLE = "follow_up_unreachable", _("Could not reach the resident")
        RATE = "rate", _("Rate the result")
        REVIEW_CLOSE = "review_close", _("Close after review")
        REVIEW_REDISPATCH = "review_redispatch", _("Send back to work")
        MERGE = "merge", _("Merge into another")
        SET_SUMMARY = "set_summary", _("Public summary")
        # Written by the system or as a side effect, never offered as a button.
        ESCALATE = "escalate", _("Escalated")
        REVEAL_PHONE = "reveal_phone", _("Viewed the phone number")
        MERGED_IN = "merged_in", _("A duplicate was merged in")
        DELIBERATE = "deliberate", _("Taken to deliberation")

    petition = models.ForeignKey(
        Petition, verbose_name=_("Request"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("By"), null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(_("Action"), max_length=32, choices=Action.choices)
    from_status = models.CharField(_("From"), max_length=12, blank=True)
    to_status = models.CharField(_("To"), max_length=12)
    note = models.TextField(_("Note"), blank=True)
    data = models.JSONField(_("Details"), default=dict, blank=True)
    # Shown on the resident's tracking page (internal notes are not).
    public = models.BooleanField(_("Shown to the resident"), default=True)
    created_at = models.DateTimeField(_("Time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Request event")
        verbose_name_plural = _("Request events")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.petition_id} {self.action} {self.from_status}→{self.to_status}"

    @property
    def to_status_label(self):
        return Petition.Status(self.to_status).label if self.to_status in Petition.Status.values else ""

    @property
    def action_label(self):
        return self.Action(self.action).label if self.action in self.Action.values else self.action


def photo_path(instance, filename):
    return f"petitions/{secrets.token_hex(16)}.jpg"


class PetitionPhoto(models.Model):
    petition = models.ForeignKey(
        Petition, verbose_name=_("Request"), on_delete=models.CASCADE, related_name="photos"
    )
    event = models.ForeignKey(
        PetitionEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="photos"
    )
    # Re-encoded JPEG without metadata; served by petitions.views.photo after an access check.
    image = models.FileField(_("Photo"), upload_to=photo_path)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Photo")
        verbose_name_plural = _("Photos")
        ordering = ["pk"]

    def __str__(self):
        return f"photo {self.pk} of {self.petition_id}"


def pending_photo_path(instance, filename):
    return f"petitions/pending/{secrets.token_hex(16)}"


class PendingPhoto(models.Model):
    """A photo chosen on the public form while the form is shown again (an SMS code asked for, a mistake
    to correct): kept under the form's photo key until that form is sent, then it becomes a
    PetitionPhoto. Only its size and header were checked; it is decoded and re-encoded when claimed, and
    never served. Rows past expires_at are removed with their files by the outbox sweep."""

    key = models.CharField(max_length=32, db_index=True)
    image = models.FileField(upload_to=pending_photo_path)
    name = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    objects = PendingPhotoQuerySet.as_manager()

    def __str__(self):
        return f"pending photo {self.pk}"


class FollowUpAttempt(models.Model):
    """A try to reach the resident for the follow-up visit. Three on different days make 'unreachable'."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="follow_up_attempts")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    day = models.DateField(_("Day"))
    note = models.CharField(_("Note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Follow-up attempt")
        verbose_name_plural = _("Follow-up attempts")
        constraints = [
            models.UniqueConstraint(fields=["petition", "day"], name="followup_attempt_one_per_day"),
        ]

    def __str__(self):
        return f"{self.petition_id} {self.day}"


class OutboxRow(models.Model):
    """What the sweep's claim-once loop (petitions.services.sweep) works on, for every app's outbox: a row is
    due at `due_at`, done when `sent_at` is set (`skipped` when nothing was left to send), retried with
    `attempts` and `last_error`. Each outbox adds its subject, kind and deadline, and a partial index on
    its pending rows for the claim."""

    due_at = models.DateTimeField(_("Due at"), db_index=True)
    sent_at = models.DateTimeField(_("Done at"), null=True, blank=True)
    skipped = models.BooleanField(_("Skipped (no longer relevant)"), default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        abstract = True


class Outbox(OutboxRow):
    """Work the beat sweep does later: reminders, escalations, SMS, notices. Unique per (item, kind,
    deadline) so a second sweep or a redelivered task finds nothing new to do."""

    class Kind(models.TextChoices):
        NEW_ITEM = "new_item", _("New item notice")
        CONTACT_OVERDUE = "contact_overdue", _("First contact overdue")
        ACCEPT_REMINDER = "accept_reminder", _("Acceptance reminder")
        ACCEPT_OVERDUE = "accept_overdue", _("Acceptance overdue")
        RESOLVE_REMINDER = "resolve_reminder", _("Resolution reminder")
        RESOLVE_OVERDUE = "resolve_overdue", _("Resolution overdue")
        FOLLOW_UP_DUE = "follow_up_due", _("Follow-up due")
        ASSIGNED = "assigned", _("Assigned notice")
        REPORTED_UP = "reported_up", _("Reported up")
        EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
        SMS_ACCEPTED = "sms_accepted", _("SMS: accepted")
        SMS_RESOLVED = "sms_resolved", _("SMS: resolved")
        SMS_FOLLOWED_UP = "sms_followed_up", _("SMS: followed up")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="outbox")
    kind = models.CharField(_("Kind"), max_length=24, choices=Kind.choices)
    deadline = models.DateTimeField(_("Deadline or event time"))

    class Meta:
        verbose_name = _("Scheduled notice")
        verbose_name_plural = _("Scheduled notices")
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "kind", "deadline"], name="outbox_once_per_deadline"),
        ]
        # The sweep's claim (pending, due, oldest first) reads only this small index, however many rows
        # were delivered before.
        indexes = [
            models.Index(
                fields=["due_at", "id"], condition=Q(sent_at__isnull=True), name="outbox_pending_due"
            ),
        ]

    def __str__(self):
        return f"{self.kind} #{self.petition_id} @ {self.due_at:%Y-%m-%d %H:%M}"


class BoardVersion(models.Model):
    """One row: a counter of changes the public board shows that do not move an item's updated_at (a
    category renamed or made private, an area or community renamed). The board's cached list is keyed on
    it as well, so such a change shows at once in every web process."""

    version = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return str(self.version)


class RateLimitHit(models.Model):
    """Submissions counted per IP and per phone, in the database so the form needs no Redis."""

    key = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["key", "created_at"])]

    def __str__(self):
        return self.key


class PhoneCode(EncryptedPhone):
    """A one-time code sent by SMS to verify the phone left on the public form (stored hashed); the phone is
    found by its blind index."""

    phone_validators = []
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.phone_masked} {self.created_at}"
