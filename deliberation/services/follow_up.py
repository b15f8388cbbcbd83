"""Follow-up tasks of a resolution, supervised like requests: a reminder to the owner before the deadline
and, once overdue, an escalation to community staff, then (still overdue PETITION_ESCALATE_AGAIN_HOURS
later) to the street officials, each exactly once. The rows are `TaskOutbox` rows
swept by petitions' outbox loop (`petitions.services.sweep.sweep(model=…, process=…)`)."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.admin_mixins import visible_users
from accounts.permissions import is_staff_of
from notifications.services import notify
from petitions.selectors import recipients_at_level
from petitions.services import outbox, sweep
from petitions.services.actions import MAX_ESCALATION
from petitions.services.escalation import escalate_again_after

from ..models import STAGE_ORDER, ResolutionTask, Stage, TaskOutbox
from .errors import DeliberationError

# Registered under this name in deliberation.tasks (sent by name: tasks import services).
SWEEP_TASK = "deliberation.sweep_outbox"
K = TaskOutbox.Kind


def remind_before() -> datetime.timedelta:
    return datetime.timedelta(hours=getattr(settings, "DELIBERATION_TASK_REMIND_HOURS", 24))


def _schedule(task, now):
    # A short deadline is reminded at once: the reminder is also the owner's notice of the new task.
    rows = [
        TaskOutbox(
            task=task,
            kind=K.REMINDER,
            deadline=task.deadline,
            due_at=max(now, task.deadline - remind_before()),
        ),
        TaskOutbox(task=task, kind=K.OVERDUE, deadline=task.deadline, due_at=task.deadline),
    ]
    TaskOutbox.objects.bulk_create(rows, ignore_conflicts=True)
    outbox.queue_delivery(SWEEP_TASK)


def task_save(*, task: ResolutionTask, by, now=None) -> ResolutionTask:
    """Create or edit a task of a published resolution. A new deadline is supervised anew."""
    now = now or timezone.now()
    topic = task.topic
    if not is_staff_of(by, topic.community_id):
        raise PermissionDenied
    if STAGE_ORDER.index(topic.stage) < STAGE_ORDER.index(Stage.RESOLUTION_PUBLISHED):
        raise DeliberationError(_("Tasks follow a published resolution: publish the resolution first."))
    task.title = (task.title or "").strip()
    if not task.title:
        raise DeliberationError({"title": _("Say what is to be done.")})
    if (
        not task.owner_id
        or not visible_users(by, write=True).filter(pk=task.owner_id, is_active=True).exists()
    ):
        raise DeliberationError({"owner": _("Choose an owner who works in this community.")})
    old = (
        ResolutionTask.objects.filter(pk=task.pk).values_list("deadline", flat=True).first()
        if task.pk
        else None
    )
    if task.deadline is None or (task.deadline != old and task.deadline <= now):
        raise DeliberationError({"deadline": _("The deadline must be in the future.")})
    with transaction.atomic():
        if not task.pk:
            task.created_by = by
        task.save()
        if task.deadline != old and task.done_at is None:
            _schedule(task, now)
    return task


def task_done(*, task, note, by, now=None) -> ResolutionTask:
    if not (task.owner_id == by.pk or is_staff_of(by, task.topic.community_id)):
        raise PermissionDenied
    note = (note or "").strip()
    if not note:
        raise DeliberationError({"done_note": _("Say what was done.")})
    with transaction.atomic():
        t = ResolutionTask.objects.select_for_update().get(pk=task.pk)
        if t.done_at:
            raise DeliberationError(_("This task is already done."))
        t.done_at, t.done_note = now or timezone.now(), note[:300]
        t.save(update_fields=["done_at", "done_note"])
    task.done_at, task.done_note = t.done_at, t.done_note
    return task


# --- The sweep ---------------------------------------------------------------------------------------


def _url(task):
    return f"/deliberation/topics/{task.topic_id}/"


def _still_due(row, task):
    return task.done_at is None and task.deadline == row.deadline


def _h_reminder(row, task, key, now):
    if not _still_due(row, task):
        return False
    title = _("Task due %(time)s: %(task)s") % {
        "task": task.title,
        "time": timezone.localtime(task.deadline).strftime("%m-%d %H:%M"),
    }
    return bool(notify(user=task.owner, title=title, body=task.topic.title, url=_url(task), dedup_key=key))


def _overdue_level(row, task):
    """The level the overdue row raises the task to: its deadline's notice is level 1 (community staff), the
    re-escalation a further period on is level 2 (the street); None once the task is done or has a new
    deadline (the old chain ends)."""
    if task.done_at is not None or row.deadline < task.deadline:
        return None
    periods, rest = divmod(row.deadline - task.deadline, escalate_again_after())
    if rest or periods + 1 > MAX_ESCALATION:
        return None
    return periods + 1


def _h_overdue(row, task, key, now):
    level = _overdue_level(row, task)
    if level is None:
        return False
    ResolutionTask.objects.filter(pk=task.pk, escalation_level__lt=level).update(escalation_level=level)
    if level == 1:
        title = _("Overdue, escalated: %(task)s") % {"task": task.title}
        # Community staff (a topic has no grid: the grid level is never asked), and the owner.
        users = [task.owner, *(u for u in recipients_at_level(task.topic, 1) if u.pk != task.owner_id)]
    else:
        title = _("Still overdue, escalated to the street: %(task)s") % {"task": task.title}
        users = recipients_at_level(task.topic, level)
    for user in users:
        notify(user=user, title=title, body=task.topic.title, url=_url(task), dedup_key=key, urgent=True)
    if level < MAX_ESCALATION:
        # Still overdue a further period on, the next level hears of it: once (unique per task, kind, deadline).
        period = escalate_again_after()
        TaskOutbox.objects.bulk_create(
            [TaskOutbox(task=task, kind=K.OVERDUE, deadline=row.deadline + period, due_at=now + period)],
            ignore_conflicts=True,
        )
    return True


HANDLERS = {K.REMINDER: _h_reminder, K.OVERDUE: _h_overdue}


def _process(row, now):
    task = ResolutionTask.objects.select_related("owner", "topic__community").get(pk=row.task_id)
    with override("zh-hans"):
        return HANDLERS[row.kind](row, task, f"deliberation.outbox:{row.pk}", now)


def sweep_tasks(now=None) -> int:
    return sweep.sweep(now, model=TaskOutbox, process=_process)
