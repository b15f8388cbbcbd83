"""The rule table: for each action, the states it starts from, who may do it, whether it needs a note,
its own extra check and its handler. `allowed_actions` (what the pages offer) and `petition_transition`
(what is done) read the same table."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

from ..models import Petition, PetitionEvent
from . import actions
from .actions import MAX_ESCALATION

S = Petition.Status
A = PetitionEvent.Action

# Who may see a resident's full number to call them (first contact, follow-up visits).
PHONE_READERS = frozenset({"staff", "grid", "microgrid", "assignee"})


def relations(user, petition) -> set[str]:
    """The capacities in which `user` may act on `petition`."""
    if user is None or not user.is_authenticated:
        return set()
    scope = user.scope
    rel = set()
    if scope.is_superuser or petition.community_id in scope.writable_community_ids:
        rel.add("staff")
    if (
        petition.grid_id
        and petition.grid_id in scope.grid_ids
        and scope.roles & {Role.GRID_LEADER, Role.GRID_WORKER}
    ):
        rel.add("grid")
    if petition.microgrid_id and petition.microgrid_id in scope.microgrid_ids:
        rel.add("microgrid")
    if Role.STREET_OFFICIAL in scope.roles and petition.community_id in scope.community_ids:
        rel.add("street")
    if petition.community_id in scope.community_ids:
        rel.add("official")
    if petition.assignee_id == user.pk or (
        petition.assignee_org_id and petition.assignee_org.members.filter(pk=user.pk).exists()
    ):
        rel.add("assignee")
    volunteering = petition.community_id in scope.member_community_ids and scope.roles & {
        Role.PARTY_MEMBER,
        Role.VOLUNTEER,
    }
    if volunteering or user.organisations.filter(community_id=petition.community_id, active=True).exists():
        rel.add("member")
    if petition.submitter_id == user.pk:
        rel.add("submitter")
    return rel


# --- Extra checks: beyond state and capacity; each returns an error message or None ---------------------


def check_claim(petition, user, rel):
    if petition.kind != Petition.Kind.WISH or not petition.wish_published:
        return _("Only wishes on the wish wall can be claimed.")
    return None


def check_publish_wish(petition, user, rel):
    if petition.kind != Petition.Kind.WISH or petition.wish_published:
        return _("Only a micro-wish not yet on the wall can be published.")
    return None


def check_reassign(petition, user, rel):
    if "street" in rel and "staff" not in rel and petition.escalation_level < MAX_ESCALATION:
        return _("Street officials may reassign only items escalated to the street.")
    return None


def check_annotate(petition, user, rel):
    if rel == {"street", "official"} and petition.escalation_level < MAX_ESCALATION:
        return _("Street officials may annotate only items escalated to the street.")
    return None


def check_extension_decision(petition, user, rel):
    if not petition.extension_requested_until:
        return _("No extension has been requested.")
    if user is not None and petition.assignee_id == user.pk:
        return _("An extension is approved by the level above, not by the person asking.")
    # Officials above the community only read, unless the item was escalated past the grid.
    if "staff" not in rel and petition.escalation_level < 1:
        return _("An extension is approved by the level above, not by the person asking.")
    return None


def check_request_extension(petition, user, rel):
    if petition.extension_requested_until:
        return _("An extension request is already waiting for a decision.")
    return None


def check_follow_up(petition, user, rel):
    if user is not None and petition.resolved_by_id == user.pk:
        return _("The follow-up must be made by someone other than the person who resolved it.")
    return None


def no_check(petition, user, rel):
    return None


@dataclass(frozen=True)
class Rule:
    sources: tuple
    who: frozenset
    handler: Callable
    needs_note: bool = False
    check: Callable = no_check
    # Shown on the resident's tracking page (status changes and these notes, never internal notes).
    public: bool = True
    # Ends or refuses something the resident or a colleague waits on: the pages ask to confirm it.
    destructive: bool = False


# A short name for the table below; the set itself is defined once, on the model.
WORKING = Petition.WORKING_STATUSES
STAFF_OR_GRID = frozenset({"staff", "grid"})
FOLLOWERS_UP = frozenset({"staff", "grid", "microgrid"})

RULES = {
    A.ACCEPT: Rule((S.SUBMITTED,), STAFF_OR_GRID, actions.accept),
    A.DECLINE: Rule((S.SUBMITTED,), STAFF_OR_GRID, actions.decline, needs_note=True, destructive=True),
    A.DISPATCH: Rule((S.ACCEPTED,), STAFF_OR_GRID, actions.assign),
    A.REASSIGN: Rule(WORKING, frozenset({"staff", "street"}), actions.assign, check=check_reassign),
    # The note is the public text of the wish: written by staff, without names or room numbers.
    A.PUBLISH_WISH: Rule(
        (S.ACCEPTED,),
        STAFF_OR_GRID,
        actions.publish_wish,
        needs_note=True,
        check=check_publish_wish,
        public=False,
    ),
    A.CLAIM: Rule(
        (S.ACCEPTED,), frozenset({"member", "staff", "grid", "microgrid"}), actions.claim, check=check_claim
    ),
    # From "accepted" a grid leader or staff member takes it on themselves.
    A.START: Rule((S.ACCEPTED, *WORKING), frozenset({"assignee", "staff", "grid"}), actions.start),
    A.SEND_BACK: Rule(WORKING, frozenset({"assignee"}), actions.send_back, needs_note=True, public=False),
    A.REPORT_UP: Rule(
        (S.SUBMITTED, S.ACCEPTED, *WORKING),
        frozenset({"assignee", "grid", "staff"}),
        actions.report_up,
        needs_note=True,
        public=False,
    ),
    A.REQUEST_EXTENSION: Rule(
        WORKING,
        frozenset({"assignee"}),
        actions.request_extension,
        needs_note=True,
        check=check_request_extension,
        public=False,
    ),
    A.APPROVE_EXTENSION: Rule(
        WORKING,
        frozenset({"staff", "street"}),
        actions.approve_extension,
        check=check_extension_decision,
        public=False,
    ),
    A.REJECT_EXTENSION: Rule(
        WORKING,
        frozenset({"staff", "street"}),
        actions.reject_extension,
        check=check_extension_decision,
        public=False,
        destructive=True,
    ),
    A.SUSPEND: Rule((S.ACCEPTED, *WORKING), frozenset({"staff"}), actions.suspend, needs_note=True),
    A.RESUME: Rule((S.SUSPENDED,), frozenset({"staff"}), actions.resume),
    A.CONTACT: Rule(
        (S.SUBMITTED, S.ACCEPTED, *WORKING),
        frozenset({"staff", "grid", "assignee"}),
        actions.contact,
        public=False,
    ),
    A.ANNOTATE: Rule(
        (*Petition.NOT_CLOSED, S.CLOSED),
        frozenset({"staff", "grid", "street", "assignee"}),
        actions.annotate,
        needs_note=True,
        check=check_annotate,
        public=False,
    ),
    A.RESOLVE: Rule(WORKING, frozenset({"assignee", "staff"}), actions.resolve, needs_note=True),
    A.RESOLVE_ON_THE_SPOT: Rule(
        (S.SUBMITTED, S.ACCEPTED), frozenset({"grid"}), actions.resolve_on_the_spot, needs_note=True
    ),
    A.FOLLOW_UP: Rule((S.RESOLVED,), FOLLOWERS_UP, actions.record_follow_up, check=check_follow_up),
    A.FOLLOW_UP_UNREACHABLE: Rule(
        (S.RESOLVED,), FOLLOWERS_UP, actions.follow_up_unreachable, check=check_follow_up
    ),
    A.RATE: Rule((S.RESOLVED,), frozenset({"resident"}), actions.rate),
    A.REVIEW_CLOSE: Rule(
        (S.REVIEW,), frozenset({"staff"}), actions.review_close, needs_note=True, destructive=True
    ),
    A.REVIEW_REDISPATCH: Rule((S.REVIEW,), frozenset({"staff"}), actions.review_redispatch, needs_note=True),
    A.MERGE: Rule(
        (S.SUBMITTED, S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS, S.SUSPENDED),
        frozenset({"staff"}),
        actions.merge,
        destructive=True,
    ),
    A.SET_SUMMARY: Rule(
        (*Petition.NOT_CLOSED, S.CLOSED, S.DECLINED), frozenset({"staff"}), actions.set_summary, public=False
    ),
}

# The resident's tracking page also shows the receipt of the item.
PUBLIC_ACTIONS = frozenset({A.SUBMIT, *(name for name, rule in RULES.items() if rule.public)})


DESTRUCTIVE_ACTIONS = frozenset(name for name, rule in RULES.items() if rule.destructive)

# The step that moves an item on from each status: offered first, as the one primary button.
PRIMARY_ACTIONS = {
    S.SUBMITTED: A.ACCEPT,
    S.ACCEPTED: A.DISPATCH,
    S.DISPATCHED: A.START,
    S.IN_PROGRESS: A.RESOLVE,
    S.SUSPENDED: A.RESUME,
    S.RESOLVED: A.FOLLOW_UP,
    S.REVIEW: A.REVIEW_REDISPATCH,
}


def allowed_actions(user, petition) -> list[str]:
    rel = relations(user, petition)
    return [
        name
        for name, rule in RULES.items()
        if petition.status in rule.sources and rel & rule.who and rule.check(petition, user, rel) is None
    ]


def grouped_actions(user, petition) -> dict[str, list[str]]:
    """What the item page offers, grouped: the primary step for the current status (when the user may take
    it), the other actions, and the destructive ones last."""
    allowed = allowed_actions(user, petition)
    primary = PRIMARY_ACTIONS.get(petition.status)
    return {
        "primary": [a for a in allowed if a == primary],
        "secondary": [a for a in allowed if a != primary and a not in DESTRUCTIVE_ACTIONS],
        "destructive": [a for a in allowed if a in DESTRUCTIVE_ACTIONS],
    }
