"""Reads of the service map: the community's points and its alliance merchants as one list, sorted by
straight-line distance from where the walk starts.

The merchants are a read-only union (no copied rows): `volunteers.Merchant` in the alliance, with their
`MerchantLocation` when one is recorded. Two queries for the points whatever their number; distances are
computed in Python (haversine), so the same code runs on PostgreSQL and SQLite.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.scoping import get_in_scope_or_404
from grids.models import Building, Community
from volunteers.models import Merchant

from .models import KIND_COLOURS, BuildingLocation, Kind, ServicePoint
from .validators import china_coordinate_errors

EARTH_RADIUS_M = 6371008.8


def haversine_m(lat1, lng1, lat2, lng2) -> float:
    """The great-circle distance in metres between two points given in degrees."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lng2) - float(lng1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def format_distance(metres) -> str:
    """A distance as people say it: to the nearest 10 m, or in km with one decimal."""
    if metres is None:
        return _("position not recorded")
    if metres < 1000:
        return _("%(m)s m") % {"m": int(round(metres, -1))}
    return _("%(km)s km") % {"km": f"{metres / 1000:.1f}"}


def walk_metres() -> int:
    return settings.SERVICE_MAP_WALK_METRES


@dataclass
class Origin:
    """Where the walk starts: the community centre, a building, or the user's position."""

    latitude: float
    longitude: float
    label: str
    source: str  # "community", "building" or "position"
    building_id: int | None = None


@dataclass
class Entry:
    key: str  # "point-12" or "merchant-5": unique across the two sources
    source: str  # "point" or "merchant"
    pk: int
    kind: str
    kind_label: str
    colour: str
    name: str
    address: str
    latitude: float | None
    longitude: float | None
    opening_hours: str
    phone: str
    note: str
    distance_m: float | None = None

    @property
    def has_location(self) -> bool:
        return self.latitude is not None

    @property
    def within_walk(self) -> bool:
        return self.distance_m is not None and self.distance_m <= walk_metres()

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "kind": self.kind,
            "kind_label": self.kind_label,
            "colour": self.colour,
            "name": self.name,
            "address": self.address,
            "lat": self.latitude,
            "lng": self.longitude,
            "hours": self.opening_hours,
            "phone": self.phone,
            "distance": round(self.distance_m) if self.distance_m is not None else None,
            "distance_text": format_distance(self.distance_m),
        }


@dataclass
class ServiceMap:
    community: Community
    origin: Origin | None
    entries: list  # every entry of the chosen kinds, nearest first, those without a position last
    kinds: list  # the kinds chosen ([] = all)
    walk_metres: int
    buildings: list = field(default_factory=list)  # buildings with a position, for the start choice

    @property
    def within_count(self) -> int:
        return sum(1 for e in self.entries if e.within_walk)


def _f(value):
    return float(value) if value is not None else None


def _point_entries(community, kinds):
    points = ServicePoint.objects.active().filter(community=community)
    if kinds:
        points = points.filter(kind__in=kinds)
    return [
        Entry(
            key=f"point-{p.pk}",
            source="point",
            pk=p.pk,
            kind=p.kind,
            kind_label=p.get_kind_display(),
            colour=KIND_COLOURS[p.kind],
            name=p.name,
            address=p.address,
            latitude=_f(p.latitude),
            longitude=_f(p.longitude),
            opening_hours=p.opening_hours,
            phone=p.phone,
            note=p.note,
        )
        for p in points.order_by("name", "pk")
    ]


def _merchant_entries(community, kinds):
    if kinds and Kind.ALLIANCE_MERCHANT not in kinds:
        return []
    merchants = (
        Merchant.objects.in_alliance()
        .filter(community=community)
        .select_related("map_location")
        .order_by("shop_name", "pk")
    )
    entries = []
    for m in merchants:
        location = getattr(m, "map_location", None)
        entries.append(
            Entry(
                key=f"merchant-{m.pk}",
                source="merchant",
                pk=m.pk,
                kind=Kind.ALLIANCE_MERCHANT,
                kind_label=Kind.ALLIANCE_MERCHANT.label,
                colour=KIND_COLOURS[Kind.ALLIANCE_MERCHANT],
                name=m.shop_name,
                address=m.address,
                latitude=_f(location.latitude) if location else None,
                longitude=_f(location.longitude) if location else None,
                opening_hours=location.opening_hours if location else "",
                # The owner's mobile on the merchant is personal; only the shop's work phone is shown.
                phone=location.phone if location else "",
                note=m.get_category_display(),
            )
        )
    return entries


def community_centre(community, entries=()) -> Origin | None:
    """The community's recorded centre, else the middle of its points, else None."""
    if community.latitude is not None and community.longitude is not None:
        return Origin(_f(community.latitude), _f(community.longitude), community.name, "community")
    placed = [e for e in entries if e.has_location]
    if not placed:
        return None
    return Origin(
        sum(e.latitude for e in placed) / len(placed),
        sum(e.longitude for e in placed) / len(placed),
        community.name,
        "community",
    )


def parse_kinds(values) -> list:
    return [v for v in dict.fromkeys(values) if v in Kind.values]


def parse_position(latitude, longitude):
    """The user's position from the query string, or None when absent or not a point in China."""
    if latitude in (None, "") or longitude in (None, ""):
        return None
    try:
        lat, lng = Decimal(latitude), Decimal(longitude)
    except (InvalidOperation, ValueError, TypeError):
        return None
    if china_coordinate_errors(lat, lng):
        return None
    return float(lat), float(lng)


def building_choices(community) -> list:
    return list(
        BuildingLocation.objects.filter(building__community=community)
        .select_related("building__area")
        .order_by("building__code")
    )


def service_map(community, *, kinds=(), building_id=None, position=None) -> ServiceMap:
    """Every point of `community` of the chosen kinds, with its distance from the start (a position, else
    the chosen building, else the community centre). Queries: buildings (1), points (1), merchants (1)."""
    kinds = parse_kinds(kinds)
    buildings = building_choices(community)
    entries = _point_entries(community, kinds) + _merchant_entries(community, kinds)
    origin = None
    if position is not None:
        origin = Origin(position[0], position[1], _("Your position"), "position")
    elif building_id not in (None, ""):
        chosen = next((b for b in buildings if str(b.building_id) == str(building_id)), None)
        if chosen is not None:
            label = f"{chosen.building.area.name} {chosen.building.name}"
            origin = Origin(
                _f(chosen.latitude), _f(chosen.longitude), label, "building", building_id=chosen.building_id
            )
    if origin is None:
        origin = community_centre(community, entries)
    if origin is not None:
        for e in entries:
            if e.has_location:
                e.distance_m = haversine_m(origin.latitude, origin.longitude, e.latitude, e.longitude)
    entries.sort(key=lambda e: (e.distance_m is None, e.distance_m or 0, e.name))
    return ServiceMap(
        community=community,
        origin=origin,
        entries=entries,
        kinds=kinds,
        walk_metres=walk_metres(),
        buildings=buildings,
    )


# --- Access ------------------------------------------------------------------------------------


def public_community(pk) -> Community:
    """Any community, for the residents' public page (the service points are public information)."""
    return get_in_scope_or_404(Community.objects.select_related("street"), pk)


def public_communities():
    return Community.objects.select_related("street").order_by("street__code", "code")


def map_communities(user):
    """The communities whose map a logged-in user may open: those in their scope or that they belong to."""
    if user.is_superuser:
        return Community.objects.all()
    scope = user.scope
    ids = scope.all_community_ids | ({user.community_id} if user.community_id else set())
    return Community.objects.filter(Q(pk__in=ids) | Q(pk__in=Community.objects.visible_to(user).values("pk")))


def access_map_community(user, pk=None) -> tuple[Community, list]:
    """The community the dashboard map shows (the one asked for, else the user's first) and the choices."""
    communities = list(map_communities(user).select_related("street").order_by("code")[:200])
    if pk in (None, ""):
        if not communities:
            raise Http404
        return communities[0], communities
    for community in communities:
        if str(community.pk) == str(pk):
            return community, communities
    raise Http404


def staff_communities(user):
    """The communities whose service points the user may change."""
    if user.is_superuser:
        return Community.objects.all()
    return Community.objects.filter(pk__in=user.scope.writable_community_ids)


def access_staff_community(user, pk=None) -> tuple[Community, list]:
    communities = list(staff_communities(user).order_by("code")[:200])
    if pk in (None, ""):
        if not communities:
            raise Http404
        return communities[0], communities
    for community in communities:
        if str(community.pk) == str(pk):
            return community, communities
    raise Http404


def access_service_point(user, pk) -> ServicePoint:
    return get_in_scope_or_404(ServicePoint.objects.visible_to(user).select_related("community"), pk)


def access_editable_service_point(user, pk) -> ServicePoint:
    return get_in_scope_or_404(ServicePoint.objects.editable_by(user).select_related("community"), pk)


def access_building_for_map(user, pk) -> Building:
    return get_in_scope_or_404(Building.objects.editable_by(user), pk)
