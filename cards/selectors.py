"""What a contact card carries, drawn from the people's current records, for one card or a whole community.

The five posts come from their own homes: the area's party branch secretary (governance), the owners'
committee and property company serving the area (governance organisations, their contact), the grid
leader (a role assignment) and the building leader (the building). The phone printed is always a work
number: a login account's `work_phone` or an organisation's `contact_phone`, never a resident's mobile.

`build_cards` runs a fixed number of queries whatever the number of buildings (the tests pin it).
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import RoleAssignment
from accounts.permissions import is_staff_of, may_see_coverage
from accounts.roles import Role
from accounts.scoping import get_in_scope_or_404
from governance.models import Organisation, PartyOrganisation
from grids.models import Building, Community, Grid, ResidentialArea

from .models import CardPrint, RetiredQrToken

PAGE_SIZE = 30


class Post:
    SECRETARY = "secretary"
    OWNERS_CHAIR = "owners_chair"
    PROPERTY_MANAGER = "property_manager"
    GRID_LEADER = "grid_leader"
    BUILDING_LEADER = "building_leader"


@dataclass
class Contact:
    post: str
    title: str
    name: str
    phone: str
    organisation: str = ""


@dataclass
class Card:
    community: Community
    area: ResidentialArea
    building: Building | None
    contacts: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    last_print: CardPrint | None = None

    @property
    def key(self):
        return (self.area.pk, self.building.pk if self.building else None)

    @property
    def heading(self):
        return f"{self.area.name}{self.building.name}" if self.building else self.area.name

    @property
    def path(self):
        """The link its QR code carries: the building's token link, or the plain form for an area."""
        if self.building is not None and self.building.qr_token:
            return reverse("cards:scan", args=[self.building.qr_token])
        return reverse("petitions:new")

    @property
    def fingerprint(self):
        data = [[c.post, c.title, c.name, c.phone, c.organisation] for c in self.contacts]
        data.append(self.path)
        return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()

    @property
    def changed_since_print(self):
        return self.last_print is not None and self.last_print.fingerprint != self.fingerprint


# --- Access ------------------------------------------------------------------------------------------


def _require_card_reader(user):
    if not may_see_coverage(user):
        raise PermissionDenied


def access_community(user, pk) -> Community:
    """A community whose cards the user may see (staff and officials above): 404 outside their patch."""
    _require_card_reader(user)
    return get_in_scope_or_404(Community.objects.visible_to(user).select_related("street"), pk)


def access_area(user, pk) -> ResidentialArea:
    _require_card_reader(user)
    return get_in_scope_or_404(ResidentialArea.objects.visible_to(user).select_related("community"), pk)


def access_building(user, pk) -> Building:
    _require_card_reader(user)
    return get_in_scope_or_404(
        Building.objects.visible_to(user).select_related("area", "community", "grid"), pk
    )


def may_manage_cards(user, community_id) -> bool:
    return is_staff_of(user, community_id)


# --- Building the cards ------------------------------------------------------------------------------


def _person_phone(user):
    return (user.work_phone or "").strip() if user is not None else ""


def _secretary_contact(branch, card):
    member = branch.secretary if branch else None
    if member is None:
        card.missing.append(_("No party branch secretary recorded for %(area)s.") % {"area": card.area.name})
        return
    account = member.user or member.resident.user
    phone = _person_phone(account)
    card.contacts.append(
        Contact(Post.SECRETARY, _("Party branch secretary"), member.resident.name, phone, branch.name)
    )
    if not phone:
        card.missing.append(
            _("The branch secretary %(name)s has no work phone (set it on their login account).")
            % {"name": member.resident.name}
        )


ORGANISATION_POSTS = [
    (Organisation.Kind.OWNERS_COMMITTEE, Post.OWNERS_CHAIR),
    (Organisation.Kind.PROPERTY_COMPANY, Post.PROPERTY_MANAGER),
]


def _post_title(post):
    return {
        Post.OWNERS_CHAIR: _("Owners' committee chair"),
        Post.PROPERTY_MANAGER: _("Property manager"),
    }[post]


def _organisation_contacts(organisations, post, card):
    if not organisations:
        missing = {
            Post.OWNERS_CHAIR: _("No owners' committee serves %(area)s (set its areas in the admin)."),
            Post.PROPERTY_MANAGER: _("No property company serves %(area)s (set its areas in the admin)."),
        }[post]
        card.missing.append(missing % {"area": card.area.name})
        return
    for org in organisations:
        if not org.contact_name:
            card.missing.append(_("%(organisation)s has no contact person.") % {"organisation": org.name})
            continue
        phone = org.contact_phone.strip()
        title = org.contact_title or _post_title(post)
        card.contacts.append(Contact(post, title, org.contact_name, phone, org.name))
        if not phone:
            card.missing.append(_("%(organisation)s has no contact phone.") % {"organisation": org.name})


def _grid_contacts(grids, leaders_by_grid, card):
    if not grids:
        card.missing.append(_("This building is not in any grid."))
        return
    for grid in grids:
        leaders = leaders_by_grid.get(grid.pk, [])
        if not leaders:
            card.missing.append(_("No grid leader assigned to %(grid)s.") % {"grid": grid.name})
        for user in leaders:
            phone = _person_phone(user)
            card.contacts.append(Contact(Post.GRID_LEADER, _("Grid leader"), str(user), phone, grid.name))
            if not phone:
                card.missing.append(
                    _("The grid leader %(name)s has no work phone (set it on their login account).")
                    % {"name": user}
                )


def _building_leader_contact(building, card):
    leader = building.leader
    if leader is None:
        card.missing.append(_("No building leader recorded for this building."))
        return
    phone = _person_phone(leader.user)
    card.contacts.append(Contact(Post.BUILDING_LEADER, _("Building leader"), leader.name, phone))
    if not phone:
        card.missing.append(
            _("The building leader %(name)s has no work phone (give them a login account with one).")
            % {"name": leader.name}
        )


def _last_prints(community, areas):
    """The latest print of every card of these areas, in one query."""
    latest = (
        CardPrint.objects.filter(community=community, area__in=areas)
        .values("area_id", "building_id")
        .annotate(last=Max("pk"))
        .values("last")
    )
    prints = CardPrint.objects.filter(pk__in=latest).select_related("printed_by")
    return {(p.area_id, p.building_id): p for p in prints}


def build_cards(community, *, areas, buildings, area_cards=True) -> list[Card]:
    """The cards of these areas (when `area_cards`) and buildings of one community, in that order.

    `buildings` must carry area, grid and leader__user (see `buildings_for_cards`). Queries: branches (1),
    organisations with their areas (2), grid leaders (1), last prints (1), the areas' grids (1)."""
    areas = list(areas)
    buildings = list(buildings)
    area_ids = {a.pk for a in areas} | {b.area_id for b in buildings}
    branches = {}
    for branch in (
        PartyOrganisation.objects.filter(
            community=community, level=PartyOrganisation.Level.AREA_BRANCH, area__in=area_ids
        )
        .select_related("secretary__user", "secretary__resident__user")
        .order_by("pk")
    ):
        branches.setdefault(branch.area_id, branch)
    organisations = {}
    for org in (
        Organisation.objects.filter(
            community=community,
            active=True,
            kind__in=[kind for kind, _post in ORGANISATION_POSTS],
            areas__in=area_ids,
        )
        .distinct()
        .prefetch_related("areas")
        .order_by("name")
    ):
        for area in org.areas.all():
            organisations.setdefault((area.pk, org.kind), []).append(org)
    leaders_by_grid = {}
    for assignment in (
        RoleAssignment.objects.active()
        .filter(role=Role.GRID_LEADER, grid__community=community, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    ):
        leaders_by_grid.setdefault(assignment.grid_id, []).append(assignment.user)
    prints = _last_prints(community, area_ids)
    grids_by_area = {}
    if area_cards and areas:
        for area_id, grid_id, name, code in (
            Building.objects.filter(area__in=areas, grid__isnull=False)
            .values_list("area_id", "grid_id", "grid__name", "grid__code")
            .distinct()
        ):
            grids_by_area.setdefault(area_id, {})[grid_id] = Grid(pk=grid_id, name=name, code=code)

    def area_part(card):
        _secretary_contact(branches.get(card.area.pk), card)
        for kind, post in ORGANISATION_POSTS:
            _organisation_contacts(organisations.get((card.area.pk, kind), []), post, card)

    cards = []
    if area_cards:
        for area in areas:
            card = Card(community=community, area=area, building=None)
            area_part(card)
            grids = sorted(grids_by_area.get(area.pk, {}).values(), key=lambda g: g.code)
            if grids:
                _grid_contacts(grids, leaders_by_grid, card)
            card.last_print = prints.get(card.key)
            cards.append(card)
    for building in buildings:
        card = Card(community=community, area=building.area, building=building)
        area_part(card)
        _grid_contacts([building.grid] if building.grid else [], leaders_by_grid, card)
        _building_leader_contact(building, card)
        if not building.qr_token:
            card.missing.append(_("No QR code issued yet: it is issued when the card is printed."))
        card.last_print = prints.get(card.key)
        cards.append(card)
    return cards


def buildings_for_cards(queryset):
    return queryset.select_related("area", "grid", "leader__user").order_by("area__code", "code")


def community_cards(community, *, page_number=1):
    """The community's card page: its areas' cards, then a page of its buildings' cards."""
    page = Paginator(buildings_for_cards(Building.objects.filter(community=community)), PAGE_SIZE).get_page(
        page_number
    )
    areas = ResidentialArea.objects.filter(community=community).order_by("code")
    cards = build_cards(community, areas=areas if page.number == 1 else [], buildings=page)
    return page, cards


def all_community_cards(community) -> list[Card]:
    """Every card of a community, for printing them in one go."""
    return build_cards(
        community,
        areas=ResidentialArea.objects.filter(community=community).order_by("code"),
        buildings=buildings_for_cards(Building.objects.filter(community=community)),
    )


def building_card(building) -> Card:
    (card,) = build_cards(
        building.community,
        areas=[],
        buildings=buildings_for_cards(Building.objects.filter(pk=building.pk)),
    )
    return card


def area_card(area) -> Card:
    """An area's card; it names the grid leaders of every grid its buildings lie in."""
    return build_cards(area.community, areas=[area], buildings=[])[0]


def building_for_token(token):
    """The building a scanned token names now, or None (a token is never a building code)."""
    if not token or len(token) > 16:
        return None
    return Building.objects.filter(qr_token=token).first()


def retired_token(token):
    """The retired token row for a scanned token, or None."""
    return RetiredQrToken.objects.filter(token=token).select_related("building__area").first()


def print_history(*, area, building, limit=10):
    return list(CardPrint.objects.filter(area=area, building=building).select_related("printed_by")[:limit])
