"""Reads of this app: the scope a key acts with, and what Open311 shows."""

from django.db.models import Exists, OuterRef, Q

from accounts.roles import Role
from accounts.scoping import Scope
from grids.models import Community
from petitions.models import Category, Petition

from .models import ApiScope, ServiceAttribute


def area_community_ids(*, community=None, street=None, district=None) -> set:
    """The communities a client bound there reads: the one, or every community of the street/district."""
    if community is not None:
        return {community.pk}
    q = Q(street=street) if street is not None else Q(street__district=district)
    return set(Community.objects.filter(q).values_list("pk", flat=True))


def client_scope(client) -> Scope:
    """What a key sees: what a street official over the client's area sees (the registry and requests
    masked, and no role that may reveal a phone or ID number), and, with the write-requests scope, the
    requests of that area to act on."""
    ids = frozenset(
        area_community_ids(community=client.community, street=client.street, district=client.district)
    )
    return Scope(
        roles=frozenset({Role.STREET_OFFICIAL}),
        community_ids=ids,
        writable_community_ids=ids if client.has_scope(ApiScope.WRITE_PETITIONS) else frozenset(),
    )


# --- Open311 ------------------------------------------------------------------------------------------


def open311_jurisdiction(code):
    """The community a jurisdiction_id names (its statistical code), or None."""
    return Community.objects.filter(code=str(code or "").strip()).first() if code else None


def open311_services(community):
    """The categories a client may post to in this community: active, shared or its own, never private (a
    neighbour dispute is not for a city platform's list). Each carries `has_attributes`; one query."""
    return (
        Category.objects.offered_in(community.pk)
        .filter(private=False)
        .annotate(has_attributes=Exists(ServiceAttribute.objects.filter(category=OuterRef("pk"))))
        .order_by("position", "name", "pk")
    )


def open311_service(community, code):
    if not str(code).isdigit() or len(str(code)) > 9:
        return None
    return open311_services(community).filter(pk=int(code)).first()


def open311_requests(community):
    """What GET shows of a community's requests: never 信访, never a private category; the fields read
    are those `integrations.open311.request_row` prints (no name, phone, room or resident's text)."""
    return (
        Petition.objects.filter(community=community, is_xinfang=False, category__private=False)
        .select_related("category", "community", "building__area", "assignee_org", "open311")
        .order_by("-created_at", "-pk")
    )
