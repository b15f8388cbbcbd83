"""Milestone reminders ride the petitions outbox sweep: each is sent once, to the right people, and
skipped when the milestone is done or its date moved."""

import datetime

import pytest
from django.utils import timezone

from notifications.models import Notification
from petitions.services import sweep
from projects.models import Milestone, ProjectReminder
from projects.services import milestone_complete, milestone_save

pytestmark = pytest.mark.django_db


def _later(days):
    return timezone.now() + datetime.timedelta(days=days)


def test_milestone_reminder_is_sent_once(world, make_project):
    project = make_project(milestones=[("建成3000个车位", 30)])
    milestone = project.milestones.get()
    rows = ProjectReminder.objects.filter(milestone=milestone)
    assert set(rows.values_list("kind", flat=True)) == {"milestone_due", "milestone_overdue"}
    # Saving it again schedules nothing new.
    milestone_save(milestone=milestone, by=world.alice)
    assert rows.count() == 2

    at = _later(18)
    sweep.sweep(now=at)
    sweep.sweep(now=at)
    due = rows.get(kind="milestone_due")
    notes = Notification.objects.filter(dedup_key=f"projects.reminder:{due.pk}")
    assert list(notes.values_list("user__username", flat=True)) == ["bob"]
    assert "建成3000个车位" in notes.get().title
    assert notes.get().url == f"/dashboard/projects/{project.pk}/"
    assert rows.get(kind="milestone_overdue").sent_at is None

    # Overdue: the responsible person and the community's staff, once.
    sweep.sweep(now=_later(22))
    sweep.sweep(now=_later(23))
    overdue = rows.get(kind="milestone_overdue")
    names = Notification.objects.filter(dedup_key=f"projects.reminder:{overdue.pk}")
    assert sorted(names.values_list("user__username", flat=True)) == ["alice", "bob"]
    assert Notification.objects.filter(dedup_key__startswith="projects.reminder:").count() == 3


def test_done_or_moved_milestones_are_not_reminded(world, make_project):
    project = make_project(milestones=[("选址", 30), ("招标", 30)])
    done, moved = project.milestones.order_by("pk")
    milestone_complete(milestone=done, note="已选定", by=world.bob)
    moved.due_on += datetime.timedelta(days=10)
    milestone_save(milestone=moved, by=world.alice)
    sweep.sweep(now=_later(25))
    assert not Notification.objects.filter(dedup_key__startswith="projects.reminder:").exists()
    assert ProjectReminder.objects.filter(milestone=done, skipped=True).count() == 2
    # The moved milestone's new date has its own rows, still waiting.
    assert ProjectReminder.objects.filter(milestone=moved, sent_at__isnull=True).count() == 2
    assert Milestone.objects.overdue().count() == 0


def test_petition_rows_still_swept_first(world, make_project):
    """Registering a source leaves the petitions' own rows where they were: first in the loop."""
    assert list(sweep.SOURCES)[0] is sweep.Outbox
    assert sweep.SOURCES[ProjectReminder].__module__ == "projects.services.reminders"


def test_a_failing_reminder_is_retried_later_like_any_outbox_row(world, make_project, monkeypatch):
    from projects.services import reminders

    project = make_project(milestones=[("选址", 30)])
    row = ProjectReminder.objects.get(milestone__project=project, kind="milestone_due")

    def down(**kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr(reminders, "notify", down)
    sweep.sweep(now=_later(18))
    row.refresh_from_db()
    assert (row.sent_at, row.attempts) == (None, 1) and "mail server down" in row.last_error
    assert row.due_at > _later(18)  # pushed back, not blocking the rows behind it
    monkeypatch.undo()
    sweep.sweep(now=_later(19))
    row.refresh_from_db()
    assert row.sent_at is not None and not row.skipped
    assert Notification.objects.filter(dedup_key=f"projects.reminder:{row.pk}").count() == 1
