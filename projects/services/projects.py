"""Creating and changing a project, and its status: the one set of rules the admin, the pages, the API and
the seed share."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import belongs_to

from ..models import Milestone, Project
from .access import require_staff

S = Project.Status

# Which status may follow which; done and cancelled are changed by staff only with a note.
NEXT = {
    S.PLANNED: {S.IN_PROGRESS, S.CANCELLED},
    S.IN_PROGRESS: {S.DONE, S.CANCELLED},
    S.DONE: {S.IN_PROGRESS},
    S.CANCELLED: set(),
}


@transaction.atomic
def project_save(*, project, by, petitions=None) -> Project:
    """Create or change a project (not its status: project_set_status). The community is the owning
    organisation's; `petitions`, when given, replaces the linked requests (all from that community)."""
    if project.organisation_id is None:
        raise ValidationError({"organisation": _("Choose the party organisation that owns the project.")})
    project.community_id = project.organisation.community_id
    if project.pk:
        old = Project.objects.select_for_update().get(pk=project.pk)
        # No moving a project out of (or into) a community one may not change.
        require_staff(old.community_id, by)
        project.status = old.status
        project.completed_on = old.completed_on
    else:
        project.status = S.PLANNED
        project.created_by = by
    require_staff(project.community_id, by)
    errors = {}
    if project.area_id and project.area.community_id != project.community_id:
        errors["area"] = _("The residential area is not in the organisation's community.")
    if project.responsible_id and not (
        project.responsible.is_active and belongs_to(project.responsible, project.community_id)
    ):
        errors["responsible"] = _("The responsible person must be an active account of this community.")
    if project.starts_on and project.due_on and project.due_on < project.starts_on:
        errors["due_on"] = _("The due date cannot be before the start date.")
    if project.budget is not None and project.budget < 0:
        errors["budget"] = _("The budget cannot be negative.")
    if project.pk and project.starts_on:
        early = Milestone.objects.filter(project=project, due_on__lt=project.starts_on).first()
        if early:
            errors["starts_on"] = _(
                "The milestone “%(title)s” is due on %(date)s, before this start date."
            ) % {"title": early.title, "date": early.due_on.isoformat()}
    if petitions is not None:
        foreign = [p.tracking_code for p in petitions if p.community_id != project.community_id]
        if foreign:
            errors["petitions"] = _("These requests are from another community: %(codes)s.") % {
                "codes": "、".join(foreign)
            }
    if errors:
        raise ValidationError(errors)
    project.full_clean(exclude=["petitions", "community"])
    project.save()
    if petitions is not None:
        project.petitions.set(petitions)
    return project


@transaction.atomic
def project_set_status(*, project, status, by, note="", open_milestones_confirmed=False) -> Project:
    """Move a project along planned → in progress → done (or cancelled). Done needs every milestone done,
    or `open_milestones_confirmed` with a note saying why; cancelling and reopening need a note."""
    p = Project.objects.select_for_update().get(pk=project.pk)
    require_staff(p.community_id, by)
    note = (note or "").strip()
    if status not in S.values or S(status) not in NEXT[S(p.status)]:
        raise ValidationError(
            {
                "status": _("A project that is “%(from)s” cannot become “%(to)s”.")
                % {"from": p.get_status_display(), "to": S(status).label if status in S.values else status}
            }
        )
    status = S(status)
    if len(note) > 200:
        raise ValidationError({"status_note": _("Please keep the note under 200 characters.")})
    if status == S.DONE:
        open_count = p.milestones.filter(done_on__isnull=True).count()
        if open_count and not (open_milestones_confirmed and note):
            raise ValidationError(
                {
                    "status": _(
                        "%(count)s milestone(s) are not done. Mark them done first, or confirm the project "
                        "is done anyway and say why in the note."
                    )
                    % {"count": open_count}
                }
            )
    if status == S.CANCELLED and not note:
        raise ValidationError({"status_note": _("Please say why the project is cancelled.")})
    if p.status == S.DONE and not note:
        raise ValidationError({"status_note": _("Please say why the project is reopened.")})
    p.status = status
    p.status_note = note
    p.completed_on = timezone.localdate() if status == S.DONE else None
    p.save(update_fields=["status", "status_note", "completed_on", "updated_at"])
    project.status, project.status_note, project.completed_on = p.status, p.status_note, p.completed_on
    return p
