"""Reads of targeted assistance. Every read of a case starts from `Case.objects.visible_to(user)`;
`access_case` answers 404 to anyone else (other communities' staff, officials, unassigned people)."""

from django.db.models import Count, Q

from accounts.scoping import get_in_scope_or_404
from grids.models import Community

from .models import Case, CaseMilestone, LedgerEntry


def case_list(user, *, status=None):
    qs = (
        Case.objects.visible_to(user)
        .select_related("community", "resident", "household__building", "companion")
        .annotate(
            milestone_total=Count("milestones", distinct=True),
            milestone_done=Count("milestones", filter=Q(milestones__done_on__isnull=False), distinct=True),
        )
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "-created_at", "-pk")


def access_case(user, pk) -> Case:
    return get_in_scope_or_404(
        Case.objects.visible_to(user).select_related(
            "community",
            "resident__household__building__area",
            "household__building__area",
            "companion",
            "team",
            "unit",
        ),
        pk,
    )


def access_entry(user, pk) -> LedgerEntry:
    return get_in_scope_or_404(
        LedgerEntry.objects.filter(case__in=Case.objects.visible_to(user)).select_related("case"), pk
    )


def access_milestone(user, pk) -> CaseMilestone:
    return get_in_scope_or_404(
        CaseMilestone.objects.filter(case__in=Case.objects.visible_to(user)).select_related("case"), pk
    )


def ledger(case):
    """The case's entries in date order, each with `balance_after` (the running balance of confirmed
    entries; an unconfirmed one is shown but does not move it), and the balance (one query)."""
    entries = list(
        case.entries.select_related("recorded_by", "confirmed_by", "reverses", "reversed_by").order_by(
            "occurred_on", "pk"
        )
    )
    balance = 0
    for entry in entries:
        if entry.confirmed_at is not None:
            balance += entry.signed_amount
        entry.balance_after = balance
    return entries, balance


def case_detail(case):
    """Milestones in order (with who marked them reached), linked visits and requests, helpers (four
    queries)."""
    return {
        "milestones": list(case.milestones.select_related("done_by").order_by("position", "pk")),
        "visits": list(
            case.visits.select_related("household__building__area").order_by("-visited_on", "-pk")[:50]
        ),
        "petitions": list(case.petitions.select_related("category").order_by("-created_at")[:50]),
        "helpers": list(case.helpers.order_by("pk")),
    }


def case_counts(user):
    """For officials: open and closed cases per community of their patch, no names (one query)."""
    return (
        Case.objects.filter(community__in=Community.objects.visible_to(user))
        .values("community_id", "community__name")
        .annotate(
            open_cases=Count("pk", filter=Q(status=Case.Status.OPEN)),
            closed_cases=Count("pk", filter=Q(status=Case.Status.CLOSED)),
        )
        .order_by("community__code")
    )


def public_summaries(community):
    return Case.objects.published().filter(community=community).order_by("-created_at", "-pk")
