"""Reads of the party organisation that span models. Every read starts from `visible_to(user)`."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404

from grids.models import Community

from .models import PartyOrganisation

PAGE_SIZE = 10


def access_community(user, pk=None) -> tuple[Community, list[Community]]:
    """The community the party page shows (the one asked for, or the user's first), and the communities the
    user may switch to, in one query."""
    communities = list(Community.objects.visible_to(user).select_related("street").order_by("code")[:200])
    if pk in (None, ""):
        if not communities:
            raise Http404
        return communities[0], communities
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404
    for community in communities:
        if community.pk == pk:
            return community, communities
    raise Http404


@dataclass
class PartyTree:
    community: Community
    committees: list
    page: object  # a Page of top organisations, each with .sub_organisations (and grandchildren)


def _with_details(queryset):
    return queryset.select_related("secretary__resident", "building", "household").annotate(
        member_count=Count("members", distinct=True)
    )


def party_tree(user, community, page_number=1) -> PartyTree:
    """The four levels of one community. Queries: committees (1), the page of branches: count (1) and rows
    (1), then their groups and central households together (1). Users who see the whole community page
    through its branches; a grid leader pages through the building groups of their grid."""
    organisations = PartyOrganisation.objects.visible_to(user).filter(community=community)
    committees = list(
        _with_details(organisations.filter(level=PartyOrganisation.Level.COMMUNITY_COMMITTEE)).order_by(
            "name"
        )
    )
    whole = user.is_superuser or community.pk in user.scope.community_ids
    top_level = PartyOrganisation.Level.AREA_BRANCH if whole else PartyOrganisation.Level.BUILDING_GROUP
    top = _with_details(organisations.filter(level=top_level)).order_by("outside_territory", "name")
    page = Paginator(top, PAGE_SIZE).get_page(page_number)
    ids = [o.pk for o in page]
    below = list(
        _with_details(organisations.filter(Q(parent__in=ids) | Q(parent__parent__in=ids))).order_by(
            "level", "name"
        )
    )
    children = {}
    for org in below:
        children.setdefault(org.parent_id, []).append(org)
    for org in [*page, *below]:
        org.sub_organisations = children.get(org.pk, [])
    return PartyTree(community=community, committees=committees, page=page)
