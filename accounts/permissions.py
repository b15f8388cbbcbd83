"""What a user may do, by role and scope: the one home of every role predicate.

Pages, the API, the admin, services and templates ask these questions; none of them compares role sets
itself. Which objects a user sees is the other half of access, answered by `Model.objects.visible_to(user)`
(see `scoping.py`) and the `access_<thing>(user, pk)` selectors built on `get_in_scope_or_404`.
"""

from .roles import (
    ADMIN_ROLES,
    CAMPAIGN_STARTER_ROLES,
    REVEAL_ROLES,
    SENSITIVE_TAG_ROLES,
    SHARED_CONFIG_ROLES,
    VISITOR_ROLES,
)


def is_admin_user(user) -> bool:
    """May open the browser admin: staff accounts holding a role that works there."""
    if not (user.is_active and user.is_authenticated):
        return False
    return user.is_superuser or (user.is_staff and bool(user.scope.roles & ADMIN_ROLES))


def may_write(user) -> bool:
    """May change records in the admin: an admin user with at least one community to change."""
    return user.is_superuser or (is_admin_user(user) and bool(user.scope.writable_community_ids))


def may_edit_shared_config(user) -> bool:
    """The configuration every community shares (the default categories, the holiday calendar): it moves
    every community's deadlines, so the district sets it, not one community's staff."""
    return user.is_superuser or bool(user.is_active and user.scope.roles & SHARED_CONFIG_ROLES)


def may_edit_category(user, category) -> bool:
    """A shared category is the district's; a community's own category is its staff's."""
    if category.community_id is None:
        return may_edit_shared_config(user)
    return is_staff_of(user, category.community_id)


def may_enter_items(user) -> bool:
    """Record a request, wish or suggestion for a resident from the workbench: community staff."""
    return user.is_superuser or bool(user.is_active and user.scope.writable_community_ids)


def may_manage_area_keys(user) -> bool:
    """May issue and revoke API keys for a whole street or district: the district's officials. It is the
    one thing a read-only official changes (which systems may call in for their area); community staff
    manage the keys of their own community (`ApiClient.objects.editable_by`)."""
    return user.is_superuser or bool(user.is_active and user.scope.roles & SHARED_CONFIG_ROLES)


def may_reveal(user) -> bool:
    """May unmask a phone or ID number (each reveal is logged by the caller's service)."""
    return user.is_superuser or bool(user.scope.roles & REVEAL_ROLES)


def session_times_out(user) -> bool:
    """Whose session ends after STAFF_SESSION_IDLE_SECONDS idle: staff, and everyone who sees residents'
    records (the registry roles, which include every role that may reveal), on a phone left lying about
    as much as at a desk."""
    return user.is_staff or user.scope.sees_registry or may_reveal(user)


def may_see_sensitive_tags(user) -> bool:
    """Health, disability and community-correction tags: not for volunteers and members."""
    return user.is_superuser or bool(user.scope.roles & SENSITIVE_TAG_ROLES)


def may_see_coverage(user) -> bool:
    """Campaign coverage, the ledger export and the households no grid covers: staff and officials above."""
    return user.is_superuser or bool(user.scope.roles & ADMIN_ROLES)


def may_see_workbench(user) -> bool:
    """The petition workbench and the statistics: the registry roles (staff and the officials above)."""
    return user.is_authenticated and (user.is_superuser or user.scope.sees_registry)


def may_record_visits(user) -> bool:
    return user.is_superuser or bool(user.scope.roles & VISITOR_ROLES)


def may_start_campaign(user) -> bool:
    """Whether the campaign list offers "start a campaign" (visits.services checks the patch itself)."""
    return user.is_superuser or bool(user.scope.roles & CAMPAIGN_STARTER_ROLES)


def is_staff_of(user, community_id) -> bool:
    """Community staff (or a superuser) who may change things in that community."""
    return user.is_superuser or community_id in user.scope.writable_community_ids


def belongs_to(user, community_id) -> bool:
    """Works or lives in that community, in any role (or has it as the account's home community)."""
    return (
        user.is_superuser or community_id in user.scope.all_community_ids or user.community_id == community_id
    )


def may_see_project_ledger(user) -> bool:
    """The party-building project ledger and its export: staff, branch secretaries and the officials above."""
    return user.is_authenticated and (user.is_superuser or bool(user.scope.roles & ADMIN_ROLES))


def may_record_milestones(user, project) -> bool:
    """Add evidence to a project's milestones or mark them done: its responsible person, or staff of its
    community."""
    if project.responsible_id and project.responsible_id == user.pk and user.is_active:
        return True
    return is_staff_of(user, project.community_id)


def may_run_meeting(user, meeting) -> bool:
    """Takes attendance and records a meeting's vote: its host, or staff of its community."""
    return meeting.host_id == user.pk or is_staff_of(user, meeting.community_id)


def may_start_deliberation(user) -> bool:
    """Opens deliberation topics and meetings: staff of at least one community."""
    return user.is_authenticated and (user.is_superuser or bool(user.scope.writable_community_ids))


def is_assigned_to_case(user, case) -> bool:
    """The companion or one of the other people assigned to an assistance case."""
    if not user.is_active:
        return False
    return case.companion_id == user.pk or case.helpers.filter(pk=user.pk).exists()


def may_keep_case_ledger(user, case) -> bool:
    """Record or confirm cash in an assistance case: staff of its community or the people assigned."""
    return is_staff_of(user, case.community_id) or is_assigned_to_case(user, case)


def may_see_assistance_counts(user) -> bool:
    """How many assistance cases a community runs (no names): the registry roles, officials included."""
    return user.is_authenticated and (user.is_superuser or user.scope.sees_registry)


def may_see_cobuilding(user) -> bool:
    """The co-building units and the three lists: staff, branch secretaries and the officials above."""
    return user.is_authenticated and (user.is_superuser or bool(user.scope.roles & ADMIN_ROLES))
