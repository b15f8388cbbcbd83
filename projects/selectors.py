"""Reads of the project ledger. Every read starts from `visible_to(user)`; `access_<thing>` answers 404
outside the user's patch."""

from django.db.models import Prefetch, Q

from accounts.models import RoleAssignment, User
from accounts.roles import Role
from accounts.scoping import get_in_scope_or_404
from governance.models import PartyOrganisation
from grids.models import Community

from .models import Evidence, Milestone, Project


def ledger_projects(
    user, *, community=None, organisation=None, status=None, kind=None, overdue=False, search=""
):
    """The ledger's rows, newest first, with their progress counts; the page and the export read this."""
    qs = (
        Project.objects.visible_to(user)
        .with_progress()
        .select_related("organisation", "community__street", "area", "responsible")
    )
    if community:
        qs = qs.filter(community=community)
    if organisation:
        qs = qs.filter(organisation=organisation)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if overdue:
        qs = qs.filter(pk__in=Project.objects.with_overdue_milestones().values("pk"))
    if search:
        qs = qs.filter(name__icontains=search)
    return qs.order_by("community__code", "organisation__name", "-starts_on", "pk")


def with_milestones(queryset):
    """Prefetch each project's milestones in date order (one query for the whole page or export)."""
    return queryset.prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "pk"), to_attr="milestone_list")
    )


def filter_choices(user):
    """The communities and organisations the ledger's filter offers (two queries)."""
    communities = list(Community.objects.visible_to(user).order_by("code")[:500])
    organisations = list(
        PartyOrganisation.objects.visible_to(user)
        .filter(projects__isnull=False)
        .distinct()
        .select_related("community")
        .order_by("community__code", "level", "name")[:500]
    )
    return communities, organisations


def access_project(user, pk) -> Project:
    return get_in_scope_or_404(
        Project.objects.visible_to(user).select_related("organisation", "community", "area", "responsible"),
        pk,
    )


def access_milestone(user, pk) -> Milestone:
    return get_in_scope_or_404(Milestone.objects.visible_to(user).select_related("project"), pk)


def access_evidence(user, pk) -> Evidence:
    return get_in_scope_or_404(Evidence.objects.visible_to(user), pk)


def project_detail(project):
    """The project's milestones with their evidence, and its linked requests (two queries more)."""
    milestones = list(
        project.milestones.with_overdue()
        .order_by("due_on", "pk")
        .select_related("done_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
    )
    return milestones, list(project.petitions.select_related("category").order_by("-created_at"))


def my_projects(user):
    """The dashboard's list: running projects the user is responsible for, or may work on as staff."""
    q = Q(responsible=user)
    if user.is_superuser:
        q = Q()
    elif user.scope.writable_community_ids:
        q |= Q(community_id__in=user.scope.writable_community_ids)
    return (
        Project.objects.active()
        .filter(q)
        .with_progress()
        .select_related("organisation")
        .order_by("due_on", "pk")
    )


def public_projects(community):
    return (
        Project.objects.published()
        .filter(community=community)
        .with_progress()
        .select_related("organisation", "area")
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.order_by("due_on", "pk").prefetch_related(
                    Prefetch("evidence", queryset=Evidence.objects.public().order_by("pk"), to_attr="photos")
                ),
                to_attr="milestone_list",
            )
        )
        .order_by("-starts_on", "pk")
    )


def reminder_recipients(project, *, overdue):
    """The responsible person; for an overdue milestone (or when nobody is responsible) the community's
    staff as well."""
    users = []
    if project.responsible_id and project.responsible.is_active:
        users.append(project.responsible)
    if overdue or not users:
        staff = RoleAssignment.objects.active().filter(
            community_id=project.community_id, role=Role.COMMUNITY_STAFF
        )
        users += [
            u for u in User.objects.filter(is_active=True, pk__in=staff.values("user_id")) if u not in users
        ]
    return users
