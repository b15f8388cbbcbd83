"""Who may change a project: the community's staff; the responsible person may also record milestones."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.permissions import is_staff_of, may_record_milestones


def require_staff(community_id, by):
    if not is_staff_of(by, community_id):
        raise PermissionDenied(_("Only the community's staff may change this project."))


def require_worker(project, by):
    """Staff of the community, or the project's responsible person (who records milestones on a phone)."""
    if not may_record_milestones(by, project):
        raise PermissionDenied(_("Only the community's staff or the responsible person may do this."))
