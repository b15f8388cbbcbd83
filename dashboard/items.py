"""The seam between the dashboard and the petition loop: the dashboard reads `Petition` through its
querysets and selectors and changes it only through `petitions.services`."""

from django.core.exceptions import ValidationError
from django.db.models import Case, Prefetch, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RoleAssignment
from petitions import inputs, selectors, services
from petitions.models import Category, Petition, PetitionEvent, PetitionPhoto


def patch_items(user):
    """The items assigned to the user or lying in their patch: resolve the scope once (two small
    queries) and derive each list of a page from it."""
    return Petition.objects.visible_to(user)


def open_item_keys(patch, now=None):
    """The open items of `patch_items(user)`; overdue first, then by deadline.

    Keys only: order and slice them, then read the rows with `config.paging.rows_in_order(item_rows(),
    keys)`. A community's whole open backlog (40,000 at district scale) is sorted on the narrow columns
    its covering index holds, not on joined rows."""
    return (
        patch.open()
        .with_overdue(now or timezone.now())
        .annotate(
            due_at=Case(
                When(status=Petition.Status.SUBMITTED, then=Coalesce("accept_due_at", "resolve_due_at")),
                default=Coalesce("resolve_due_at", "accept_due_at"),
            ),
        )
        .order_by("-is_overdue", "due_at", "pk")
    )


def item_rows(now=None):
    """What a row of the item lists shows, joined, each with `is_overdue` as the keys were ordered."""
    return Petition.objects.with_overdue(now or timezone.now()).select_related(
        "category", "building", "household__building"
    )


def overdue_items(patch, now=None):
    """What `open_item_keys` puts first, as a plain filter (its two partial indexes count it)."""
    return patch.overdue(now or timezone.now())


def follow_ups_due(patch, now=None):
    """Resolved items of `patch_items(user)` whose follow-up visit is due, the oldest first: keys only,
    like `open_item_keys` (read the rows with `rows_in_order(item_rows(), keys)`)."""
    return patch.follow_up_due(now or timezone.now()).order_by("follow_up_due_at", "pk")


def household_items(user, household):
    return (
        Petition.objects.visible_to(user)
        .filter(household=household)
        .select_related("category")
        .order_by("-created_at")
    )


def access_item(user, pk):
    return selectors.access_petition(user, pk)


def timeline(item):
    """The item's history, newest first, each step with its actor's current role labels (`actor_roles`).
    Queries: 1 events with their actors, 2 the actors' active role assignments."""
    events = list(
        PetitionEvent.objects.filter(petition=item)
        .select_related("actor")
        .prefetch_related(
            Prefetch("actor__assignments", queryset=RoleAssignment.objects.active(), to_attr="active_roles")
        )
        .order_by("-created_at", "-pk")
    )
    for event in events:
        roles = event.actor.active_roles if event.actor else ()
        event.actor_roles = list(dict.fromkeys(a.get_role_display() for a in roles))
    return events


def photos(item):
    """Every photo of the item (the resident's and those of its steps), served by the access-checked
    petitions:photo view."""
    return PetitionPhoto.objects.filter(petition=item).only("pk", "petition_id").order_by("pk")


def may_reveal_phone(user, item):
    return services.may_reveal_phone(user, item)


def reveal_phone(*, item, by, reason):
    return services.petition_reveal_phone(petition=item, by=by, reason=reason)


def categories(community_id):
    """What an item of this community can be filed under: the shared categories and its own."""
    return Category.objects.offered_in(community_id)


def satisfactions():
    return Petition.Satisfaction


def submit_on_behalf(*, household, by, category, description, kind="request", resident=None):
    """A request recorded by a grid leader for a resident (channel = visit), prefilled with the dwelling."""
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Describe the request.")})
    return services.petition_submit_for_household(
        household=household,
        by=by,
        category=category,
        description=description,
        kind=kind,
        phone=(resident.phone if resident is not None else ""),
        submitter_name=(resident.name if resident is not None else ""),
    )


# The actions the phone offers, in the order its buttons appear.
# "annotate" is the update: a progress note on the item's history.
PHONE_ACTIONS = (
    "accept",
    "start",
    "annotate",
    "resolve_on_the_spot",
    "resolve",
    "follow_up",
    "follow_up_unreachable",
)


def phone_actions(user, item):
    allowed = set(services.allowed_actions(user, item))
    return [a for a in PHONE_ACTIONS if a in allowed]


def act(*, item, action, by, note="", photos=(), solved=None, satisfaction=""):
    """One of the phone's actions on an item; petitions.services checks state, role and scope. The
    phone asks for the note and the follow-up answers itself (its own words); the arguments are mapped by
    petitions.inputs like the workbench's and the API's."""
    if action not in PHONE_ACTIONS:
        raise ValidationError(_("Unknown action."))
    if action == "annotate" and not note.strip():
        raise ValidationError({"note": _("Write the progress note.")})
    if action in ("resolve", "resolve_on_the_spot") and not note.strip():
        raise ValidationError({"note": _("Say what was done.")})
    if action == "follow_up" and (solved is None or not satisfaction):
        raise ValidationError(_("Record whether it is solved and how satisfied the resident is."))
    data = {"note": note, "photos": photos, "solved": solved, "satisfaction": satisfaction}
    return services.petition_transition(
        petition=item, action=action, by=by, **inputs.action_kwargs(by, action, data)
    )
