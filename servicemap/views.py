"""The 15-minute service circle: a public page per community for residents, the same map on the
dashboard for grid leaders, the staff pages that keep the points, and the printable guide (PDF).

Thin views: the query string goes through `inputs.map_query`, reads through `selectors`, writes through
`services`.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.admin_mixins import add_service_errors
from accounts.permissions import is_staff_of
from cards.selectors import building_for_token, retired_token

from . import documents, selectors, services
from .forms import ServicePointForm
from .inputs import map_query, page_query_string
from .models import Kind, ServicePoint

PAGE_SIZE = 20


def tile_settings() -> dict | None:
    """The tile layer the map uses, or None: without tiles the page is a list and shows no map area."""
    if not settings.SERVICE_MAP_TILE_URL:
        return None
    return {
        "url": settings.SERVICE_MAP_TILE_URL,
        "subdomains": settings.SERVICE_MAP_TILE_SUBDOMAINS,
        "attribution": settings.SERVICE_MAP_TILE_ATTRIBUTION,
        "labels": settings.SERVICE_MAP_LABEL_URL,
    }


def _map_context(request, community, *, base_url, building_id=None):
    query = map_query(request.GET)
    if building_id is not None:
        query["building_id"] = building_id
    circle = selectors.service_map(community, **query)
    page = Paginator(circle.entries, PAGE_SIZE).get_page(request.GET.get("page"))
    tiles = tile_settings()
    data = None
    if tiles:
        origin = circle.origin
        data = {
            "tiles": tiles,
            "radius": circle.walk_metres,
            "origin": {"lat": origin.latitude, "lng": origin.longitude, "label": origin.label}
            if origin
            else None,
            "points": [e.as_json() for e in circle.entries if e.has_location],
        }
    return {
        "community": community,
        "circle": circle,
        "page": page,
        "tiles": tiles,
        "map_data": data,
        "kind_choices": Kind.choices,
        "query_string": page_query_string(request.GET),
        "base_url": base_url,
        "guide_url": reverse("servicemap:guide", args=[community.pk]),
    }


@require_GET
def index(request):
    """The communities with a service circle page, for a resident who arrives without a link."""
    page = Paginator(selectors.public_communities(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "servicemap/index.html", {"page": page, "query_string": ""})


@require_GET
def public_map(request, community_pk):
    community = selectors.public_community(community_pk)
    context = _map_context(request, community, base_url=reverse("servicemap:public", args=[community.pk]))
    return render(request, "servicemap/public_map.html", context)


@require_GET
def qr_map(request, token):
    """The map opened from a building's QR code: it starts the walk at that building. A replaced or
    unknown code says so kindly and offers the community's map (or the list of maps)."""
    token = (token or "").strip()
    building = building_for_token(token)
    if building is None:
        retired = retired_token(token)
        return render(
            request,
            "servicemap/qr_replaced.html",
            {
                "retired": retired,
                "map_url": reverse("servicemap:public", args=[retired.building.community_id])
                if retired
                else reverse("servicemap:index"),
            },
            status=410 if retired else 404,
        )
    community = selectors.public_community(building.community_id)
    context = _map_context(
        request,
        community,
        base_url=reverse("servicemap:public", args=[community.pk]),
        building_id=building.pk,
    )
    context["qr_building"] = building
    return render(request, "servicemap/public_map.html", context)


@require_GET
@login_required
def dashboard_map(request):
    community, communities = selectors.access_map_community(request.user, request.GET.get("community"))
    context = _map_context(request, community, base_url=reverse("servicemap:dashboard"))
    context["communities"] = communities
    context["perms_staff"] = is_staff_of(request.user, community.pk)
    return render(request, "servicemap/dashboard_map.html", context)


@require_GET
def guide(request, community_pk):
    community = selectors.public_community(community_pk)
    circle = selectors.service_map(community)
    response = HttpResponse(documents.guide_pdf(circle), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="service-circle-{community.code}.pdf"'
    return response


# --- Staff ---------------------------------------------------------------------------------------


@require_GET
@login_required
def staff_list(request):
    community, communities = selectors.access_staff_community(request.user, request.GET.get("community"))
    points = (
        ServicePoint.objects.editable_by(request.user)
        .filter(community=community)
        .order_by("kind", "name", "pk")
    )
    page = Paginator(points, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "community": community,
        "communities": communities,
        "page": page,
        "query_string": f"community={community.pk}",
    }
    return render(request, "servicemap/staff_list.html", context)


@login_required
def staff_edit(request, pk=None):
    if pk is None:
        community, _choices = selectors.access_staff_community(request.user, request.GET.get("community"))
        point = ServicePoint(community=community)
    else:
        point = selectors.access_editable_service_point(request.user, pk)
        community = point.community
    form = ServicePointForm(request.POST or None, instance=point)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_point_save(point=form.instance, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The service point %(name)s is saved.") % {"name": point.name})
            return redirect(f"{reverse('servicemap:staff')}?community={community.pk}")
    return render(
        request, "servicemap/staff_form.html", {"form": form, "point": point, "community": community}
    )
