"""Milestone reminders as outbox rows: scheduled here when a milestone is saved, delivered once by the
petitions outbox sweep (registered in ProjectsConfig.ready), which claims each row under a row lock and
calls `process`."""

import datetime
import logging

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from notifications.services import notify

from ..models import ProjectReminder
from ..selectors import reminder_recipients

logger = logging.getLogger("linli.projects.reminders")

K = ProjectReminder.Kind
# Reminders reach people in the morning, not at midnight.
SEND_AT = datetime.time(9, 0)


def _at(day, time=datetime.time(0, 0)):
    return timezone.make_aware(datetime.datetime.combine(day, time))


def schedule_milestone(milestone):
    """The reminder a few days before a milestone's due date and the overdue notice the day after, once
    per due date (a changed due date gets new rows; the old ones find the date changed and skip)."""
    if milestone.done_on:
        return
    deadline = _at(milestone.due_on)
    now = timezone.now()
    remind_on = milestone.due_on - datetime.timedelta(days=settings.PROJECTS_REMIND_DAYS_BEFORE)
    rows = [
        ProjectReminder(
            milestone=milestone,
            kind=K.MILESTONE_OVERDUE,
            deadline=deadline,
            due_at=_at(milestone.due_on + datetime.timedelta(days=1), SEND_AT),
        )
    ]
    if _at(remind_on, SEND_AT) > now:
        rows.append(
            ProjectReminder(
                milestone=milestone, kind=K.MILESTONE_DUE, deadline=deadline, due_at=_at(remind_on, SEND_AT)
            )
        )
    ProjectReminder.objects.bulk_create(rows, ignore_conflicts=True)


def _still_relevant(row, milestone):
    return (
        milestone.done_on is None
        and milestone.project.is_active
        and _at(milestone.due_on) == timezone.localtime(row.deadline)
    )


# Read with each claimed row by the sweep's claim query (one query per batch).
CLAIM_RELATED = ("milestone__project__community", "milestone__project__responsible")


def process(row, now):
    """Handle one claimed row inside the sweep's transaction; returns whether a reminder was sent (the
    sweep marks the row done)."""
    milestone = row.milestone
    sent = False
    if _still_relevant(row, milestone):
        overdue = row.kind == K.MILESTONE_OVERDUE
        project = milestone.project
        with override("zh-hans"):
            if overdue:
                title = _("Milestone overdue: %(title)s") % {"title": milestone.title}
            else:
                title = _("Milestone due on %(date)s: %(title)s") % {
                    "date": milestone.due_on.strftime("%m-%d"),
                    "title": milestone.title,
                }
            body = _("Project: %(name)s") % {"name": project.name}
        for user in reminder_recipients(project, overdue=overdue):
            notify(
                user=user,
                title=title,
                body=body,
                url=f"/dashboard/projects/{project.pk}/",
                dedup_key=f"projects.reminder:{row.pk}",
                urgent=overdue,
            )
            sent = True
    logger.info("reminder=%s milestone=%s kind=%s sent=%s", row.pk, milestone.pk, row.kind, sent)
    return sent
