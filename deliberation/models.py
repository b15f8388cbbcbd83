"""Deliberation: topics taken through 一征三议两公开, the meetings that discuss them, and the follow-up
tasks of a resolution.

A topic's stage only moves forward, one step at a time, through `deliberation.services.workflow`; each step
is a `TopicStep` row (when, by whom). The vote result is computed from the counts, never typed.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from petitions.models import OutboxRow

from .querysets import MeetingQuerySet, ResolutionTaskQuerySet, TopicQuerySet, VotingRuleQuerySet


def new_token():
    return secrets.token_urlsafe(16)


class VotingRule(models.Model):
    """Quorum and majority of a community's residents' meetings. Without a row the defaults apply: at least
    half of those entitled present, and more than half of those present in favour."""

    DEFAULT_QUORUM_PERCENT = 50
    DEFAULT_MAJORITY_PERCENT = 50

    community = models.OneToOneField(
        "grids.Community", verbose_name=_("Community"), on_delete=models.CASCADE, related_name="voting_rule"
    )
    quorum_percent = models.PositiveSmallIntegerField(
        _("Quorum: at least this percentage of those entitled present"), default=DEFAULT_QUORUM_PERCENT
    )
    majority_percent = models.PositiveSmallIntegerField(
        _("Majority: more than this percentage of those present in favour"), default=DEFAULT_MAJORITY_PERCENT
    )

    objects = VotingRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("Voting rule")
        verbose_name_plural = _("Voting rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_percent__lte=100) & Q(majority_percent__lt=100), name="voting_rule_percent"
            )
        ]

    def __str__(self):
        return f"{self.community} {self.quorum_percent}% / {self.majority_percent}%"


class Stage(models.TextChoices):
    """The steps of 一征三议两公开 in their one order (`STAGE_ORDER`)."""

    DRAFT = "draft", _("Proposed topic")
    SOLICITING = "soliciting", _("Soliciting opinions")
    PROPOSED = "proposed", _("Proposed by the party branch")
    DELIBERATED = "deliberated", _("Deliberated by the two committees")
    VOTED = "voted", _("Voted by the residents' meeting")
    RESOLUTION_PUBLISHED = "resolution_published", _("Resolution published")
    RESULT_PUBLISHED = "result_published", _("Result published")


STAGE_ORDER = list(Stage.values)


class Topic(models.Model):
    class Source(models.TextChoices):
        PETITION = "petition", _("Residents' requests or suggestions")
        VISIT = "visit", _("A visit")
        STAFF = "staff", _("Community staff")

    class Outcome(models.TextChoices):
        PASSED = "passed", _("Passed")
        REJECTED = "rejected", _("Not passed")
        NO_QUORUM = "no_quorum", _("No quorum")

    community = models.ForeignKey(
        "grids.Community", verbose_name=_("Community"), on_delete=models.PROTECT, related_name="topics"
    )
    area = models.ForeignKey(
        "grids.ResidentialArea",
        verbose_name=_("Residential area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="topics",
    )
    title = models.CharField(_("Topic"), max_length=100)
    description = models.TextField(_("Description"), max_length=2000, blank=True)
    source = models.CharField(_("Source"), max_length=10, choices=Source.choices, default=Source.STAFF)
    petitions = models.ManyToManyField(
        "petitions.Petition", verbose_name=_("Requests"), blank=True, related_name="deliberation_topics"
    )
    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("Visit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliberation_topics",
    )
    stage = models.CharField(_("Stage"), max_length=24, choices=Stage.choices, default=Stage.DRAFT)
    # 一征: the open call.
    call_question = models.CharField(_("Question to residents"), max_length=300, blank=True)
    call_deadline = models.DateTimeField(_("Answers until"), null=True, blank=True)
    call_token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    # 党组织提议 and 两委商议.
    proposal = models.TextField(_("Branch proposal"), max_length=4000, blank=True)
    committee_opinion = models.TextField(_("Opinion of the two committees"), max_length=4000, blank=True)
    # 居民会议决议: counts typed, result computed (`services.workflow.vote_result`).
    vote_meeting = models.ForeignKey(
        "deliberation.Meeting",
        verbose_name=_("Meeting that voted"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="voted_topics",
    )
    entitled = models.PositiveIntegerField(_("Entitled to vote"), null=True, blank=True)
    present = models.PositiveIntegerField(_("Present"), null=True, blank=True)
    quorum_percent = models.PositiveSmallIntegerField(_("Quorum %"), null=True, blank=True)
    majority_percent = models.PositiveSmallIntegerField(_("Majority %"), null=True, blank=True)
    outcome = models.CharField(_("Outcome"), max_length=10, choices=Outcome.choices, blank=True)
    # 两公开.
    resolution = models.TextField(_("Resolution"), max_length=4000, blank=True)
    resolution_published_at = models.DateTimeField(_("Resolution published at"), null=True, blank=True)
    result = models.TextField(_("Result of carrying it out"), max_length=4000, blank=True)
    result_published_at = models.DateTimeField(_("Result published at"), null=True, blank=True)
    # A passed resolution is carried out as a party-building project (topic_open_project).
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("Project carrying it out"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="topics",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("Deliberation topic")
        verbose_name_plural = _("Deliberation topics")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["community", "stage"])]

    def __str__(self):
        return self.title

    @property
    def next_stage(self):
        i = STAGE_ORDER.index(self.stage)
        return STAGE_ORDER[i + 1] if i + 1 < len(STAGE_ORDER) else None

    @property
    def stage_index(self):
        return STAGE_ORDER.index(self.stage)


class TopicStep(models.Model):
    """One step of the workflow, dated, with who took it (once per step)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(_("Step"), max_length=24, choices=Stage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("By"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("Time"), auto_now_add=True)

    class Meta:
        verbose_name = _("Workflow step")
        verbose_name_plural = _("Workflow steps")
        ordering = ["at", "pk"]
        constraints = [models.UniqueConstraint(fields=["topic", "stage"], name="topic_step_once")]

    def __str__(self):
        return f"{self.topic_id} {self.stage}"


class TopicOption(models.Model):
    """One option of the branch's proposal, with its vote counts."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("Option"), max_length=200)
    votes_for = models.PositiveIntegerField(_("For"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("Against"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("Abstain"), null=True, blank=True)
    passed = models.BooleanField(_("Passed"), null=True, blank=True)

    class Meta:
        verbose_name = _("Option")
        verbose_name_plural = _("Options")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class Answer(models.Model):
    """An answer to a topic's open call, from the public page (anonymous unless a name is given)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("Your opinion"), max_length=1000)
    name = models.CharField(_("Name (optional)"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("Time"), auto_now_add=True)

    class Meta:
        verbose_name = _("Answer to the call")
        verbose_name_plural = _("Answers to the call")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:40]


class Meeting(models.Model):
    class Kind(models.TextChoices):
        RED_HALL = "red_hall", _("Red deliberation hall")
        SMALL_STOOL = "small_stool", _("Small-stool talk")
        RESIDENTS_TALK = "residents_talk", _("Residents' talk meeting")
        JOINT = "joint", _("Joint meeting")

    class Party(models.TextChoices):
        PARTY_MEMBERS = "party_members", _("Party members")
        RESIDENT_REPS = "resident_reps", _("Resident representatives")
        OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")
        PROPERTY_COMPANY = "property_company", _("Property company")
        CO_BUILDING_UNITS = "co_building_units", _("Co-building units")
        GRID_LEADERS = "grid_leaders", _("Grid leaders")

    community = models.ForeignKey(
        "grids.Community", verbose_name=_("Community"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("Kind"), max_length=16, choices=Kind.choices, default=Kind.RED_HALL)
    title = models.CharField(_("Title"), max_length=100)
    starts_at = models.DateTimeField(_("Date and time"))
    place = models.CharField(pgettext_lazy("meeting", "Place"), max_length=100)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Host"),
        on_delete=models.PROTECT,
        related_name="hosted_meetings",
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("Agenda"), blank=True, related_name="meetings")
    invited = models.JSONField(_("Invited parties"), default=list, blank=True)
    minutes = models.TextField(_("Minutes"), max_length=10000, blank=True)
    minutes_internal = models.BooleanField(_("Minutes are internal"), default=True)
    attendance_token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("Meeting")
        verbose_name_plural = _("Meetings")
        ordering = ["-starts_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.title}"

    @property
    def invited_labels(self):
        return [self.Party(v).label for v in self.invited if v in self.Party.values]


class Attendance(models.Model):
    """Who came: an account that scanned the code, a resident giving name and phone's last 4 digits, or a
    name the host ticked. Recorded once per person (the constraints make a second scan a no-op)."""

    class Method(models.TextChoices):
        QR = "qr", _("Scanned the code")
        HOST = "host", _("Ticked by the host")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("Attendee's name"), max_length=50)
    phone_last4 = models.CharField(_("Last 4 digits of the mobile phone"), max_length=4, blank=True)
    method = models.CharField(_("How"), max_length=8, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("Time"), auto_now_add=True)

    class Meta:
        verbose_name = _("Attendance")
        verbose_name_plural = _("Attendance")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"], condition=Q(user__isnull=False), name="attendance_once_per_user"
            ),
            models.UniqueConstraint(
                fields=["meeting", "name", "phone_last4"],
                condition=Q(user__isnull=True),
                name="attendance_once_per_name",
            ),
        ]

    def __str__(self):
        return self.name


def meeting_file_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"deliberation/{secrets.token_hex(16)}.{ext}"


class MeetingFile(models.Model):
    """A photo or an attachment of a meeting; private, served after an access check."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("File"), upload_to=meeting_file_path)
    name = models.CharField(_("File name"), max_length=100)
    is_photo = models.BooleanField(_("Photo"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Meeting file")
        verbose_name_plural = _("Meeting files")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.name


class ResolutionTask(models.Model):
    """A follow-up task of a published resolution: an owner and a deadline, supervised through the outbox."""

    topic = models.ForeignKey(Topic, verbose_name=_("Topic"), on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("Task"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Owner"),
        on_delete=models.PROTECT,
        related_name="deliberation_tasks",
    )
    deadline = models.DateTimeField(_("Deadline"))
    escalation_level = models.PositiveSmallIntegerField(_("Escalation level"), default=0)
    done_at = models.DateTimeField(_("Done at"), null=True, blank=True)
    done_note = models.CharField(_("What was done"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ResolutionTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("Resolution task")
        verbose_name_plural = _("Resolution tasks")
        ordering = ["deadline", "pk"]

    def __str__(self):
        return self.title


class TaskOutbox(OutboxRow):
    """A task's reminder and overdue notice, swept by petitions' outbox machinery (same fields, same
    claim-once loop); unique per (task, kind, deadline) so a second sweep finds nothing new."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Task reminder")
        OVERDUE = "overdue", _("Task overdue")

    task = models.ForeignKey(ResolutionTask, on_delete=models.CASCADE, related_name="outbox")
    kind = models.CharField(_("Kind"), max_length=12, choices=Kind.choices)
    deadline = models.DateTimeField(_("Deadline or event time"))

    class Meta:
        verbose_name = _("Scheduled task notice")
        verbose_name_plural = _("Scheduled task notices")
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "kind", "deadline"], name="task_outbox_once_per_deadline")
        ]
        # The sweep's claim reads only pending rows (as petitions.Outbox).
        indexes = [
            models.Index(
                fields=["due_at", "id"], condition=Q(sent_at__isnull=True), name="task_outbox_pending_due"
            )
        ]

    def __str__(self):
        return f"{self.kind} #{self.task_id} @ {self.due_at:%Y-%m-%d %H:%M}"
