"""The grid leader's mobile dashboard. Thin views: parse a form, call one service, render.

Every list starts from `visible_to(request.user)` and is paginated; every detail goes through an
`access_*` helper, so another patch's id answers 404.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.permissions import (
    is_staff_of,
    may_record_visits,
    may_reveal,
    may_see_coverage,
    may_start_campaign,
)
from config.media import private_file_response
from config.paging import CappedPaginator, capped_count, page_of_rows, rows_in_order
from grids.models import Household, Resident
from grids.pii import carries_clear_value
from grids.selectors import access_household, tags_visible_to
from grids.services import resident_reveal
from notifications.models import Notification
from visits import selectors
from visits.ledger import visit_ledger_xlsx
from visits.models import Campaign, Visit
from visits.selectors import access_campaign, access_visit
from visits.services import campaign_start, visit_record

from . import cards, items
from .forms import CampaignForm, ItemActionForm, OnBehalfForm, RevealForm, SearchForm, VisitForm
from .templatetags.dashboard_tags import remember_unread_count

PAGE_SIZE = 20
HOME_LIST = 5


def paginate(request, queryset, per_page=PAGE_SIZE):
    return CappedPaginator(queryset, per_page).get_page(request.GET.get("page"))


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _error_text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


# --- Home --------------------------------------------------------------------------------------


@login_required
def home(request):
    """The patch at a glance. A constant number of queries whatever the size of the patch."""
    user = request.user
    scope = user.scope
    today = timezone.localdate()
    worker = cards.works_a_patch(user)
    ctx = {"scope": scope, "today": today, "worker": worker, "cards": cards.cards_for(user)}
    if worker:
        households = selectors.patch_households(user)
        ctx["household_count"] = households.count()
        attention_tags = tags_visible_to(user).filter(needs_attention=True)
        attention = (
            Resident.objects.visible_to(user)
            .filter(tags__in=attention_tags)
            .distinct()
            .select_related("household__building")
            .prefetch_related(Prefetch("tags", queryset=attention_tags, to_attr="attention_tags"))
            .order_by("name", "pk")
        )
        ctx["attention_count"] = attention.count()
        ctx["attention"] = attention[:HOME_LIST]
        patch = items.patch_items(user)
        open_keys = items.open_item_keys(patch).values_list("pk", flat=True)
        ctx["items"] = rows_in_order(items.item_rows(), open_keys[:HOME_LIST])
        # Tiles of a patch that can hold a community's whole backlog: "1000+" is as actionable as 41,300.
        ctx["item_count"] = capped_count(open_keys)
        ctx["overdue_count"] = capped_count(items.overdue_items(patch))
        follow_ups = items.follow_ups_due(patch).values_list("pk", flat=True)
        ctx["follow_ups"] = rows_in_order(items.item_rows(), follow_ups[:HOME_LIST])
        ctx["follow_up_count"] = capped_count(follow_ups)
        campaign = selectors.running_campaigns(user, today).first()
        ctx["campaign"] = campaign
        if campaign is not None:
            to_visit = selectors.to_visit_for(user, campaign).select_related("building")
            ctx["to_visit_count"] = to_visit.count()
            ctx["to_visit"] = to_visit.order_by("code")[:HOME_LIST]
    unread = Notification.objects.for_user(user).unread()
    ctx["unread_count"] = unread.count()
    remember_unread_count(request, ctx["unread_count"])  # the bell in the header asks no more
    ctx["notifications"] = unread[:3]
    return render(request, "dashboard/home.html", ctx)


# --- Households --------------------------------------------------------------------------------


@login_required
def household_list(request):
    """Search the patch by building/room, a resident's name or the last 4 digits of their phone. Queries:
    session, user, scope, count, page of households with their building (one join)."""
    if not request.user.scope.sees_registry:
        raise Http404
    form = SearchForm(request.GET)
    households = selectors.patch_households(request.user).select_related("building").order_by("code")
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if query:
        condition = Q(room__icontains=query) | Q(building__name__icontains=query) | Q(code=query)
        condition |= Q(
            pk__in=Resident.objects.visible_to(request.user).matching(query).values("household_id")
        )
        # "1栋101" or "1栋 101": a building and a room together.
        for split in range(1, len(query)):
            head, tail = query[:split].strip(), query[split:].strip()
            if head and tail and head[-1] in "栋幢号楼":
                condition |= Q(building__name=head, room=tail)
        households = households.filter(condition)
    page = paginate(request, households)
    return render(request, "dashboard/household_list.html", {"form": form, "page": page, "query": query})


@login_required
def household_detail(request, pk):
    return _household_page(request, access_household(request.user, pk))


def _household_page(request, household, revealed=None):
    user = request.user
    visible_tags = tags_visible_to(user)
    residents = (
        Resident.objects.visible_to(user)
        .filter(household=household)
        .prefetch_related(Prefetch("tags", queryset=visible_tags, to_attr="visible_tags"))
        .order_by("name", "pk")
    )
    visits = paginate(
        request,
        household.visits.prefetch_related("visitors")
        .select_related("recorded_by")
        .order_by("-visited_on", "-pk"),
        per_page=10,
    )
    ctx = {
        "household": household,
        "residents": residents,
        "visits": visits,
        "items": items.household_items(user, household)[:20],
        "can_reveal": may_reveal(user),
        "can_visit": may_record_visits(user),
        "revealed": revealed,
        # The reveal answer is served at the reveal URL (POST only): page links go to the household page.
        "page_base": reverse("dashboard:household", args=[household.pk]),
    }
    return render(request, "dashboard/household_detail.html", ctx)


@carries_clear_value
@login_required
@require_POST
def resident_reveal_view(request, pk, resident_pk):
    """Reveal one resident's phone or ID number once, with a reason; grids.services logs it."""
    household = access_household(request.user, pk)
    resident = Resident.objects.visible_to(request.user).filter(household=household, pk=resident_pk).first()
    if resident is None:
        raise Http404
    form = RevealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why you need to see this."))
        return redirect("dashboard:household", pk=household.pk)
    try:
        value = resident_reveal(
            resident=resident,
            field=form.cleaned_data["field"],
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("dashboard:household", pk=household.pk)
    # Shown in this answer only: never kept in the session, the URL or a cache.
    revealed = {"resident": resident.pk, "field": form.cleaned_data["field"], "value": value}
    return _household_page(request, household, revealed=revealed)


# --- Visits ------------------------------------------------------------------------------------


def _visit_json(visit, created):
    return {
        "id": visit.pk,
        "created": created,
        "url": reverse("dashboard:visit", args=[visit.pk]),
        "household": visit.household_id,
        "visited_on": visit.visited_on.isoformat(),
        "client_key": str(visit.client_key) if visit.client_key else None,
    }


@login_required
def visit_new(request, pk):
    """The visit diary form. The phone's script posts it with Accept: application/json (and resends an
    offline draft the same way); without script it is a plain form."""
    household = access_household(request.user, pk)
    if not may_record_visits(request.user):
        raise PermissionDenied
    form = VisitForm(request.POST or None, request.FILES or None, household=household, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                visit, created = visit_record(
                    household=household,
                    visited_on=data["visited_on"],
                    outcome=data["outcome"],
                    visitors=data["co_visitors"],
                    residents_met=data["residents_met"],
                    others_met=data["others_met"] or 0,
                    topics=data["topics"],
                    situation=data["situation"],
                    follow_up_needed=data["follow_up_needed"],
                    photo=data["photo"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    client_key=data["client_key"],
                    raise_item=form.raise_item(),
                    by=request.user,
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for name, errors in exc.error_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                if wants_json(request):
                    return JsonResponse(_visit_json(visit, created), status=201 if created else 200)
                if created:
                    messages.success(request, _("The visit is recorded."))
                return redirect("dashboard:visit", pk=visit.pk)
        if wants_json(request):
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    return render(request, "dashboard/visit_form.html", {"form": form, "household": household})


def _ledger_period(request):
    today = timezone.localdate()
    try:
        start = parse_date(request.GET.get("start") or "") or today.replace(day=1)
        end = parse_date(request.GET.get("end") or "") or today
    except ValueError:  # well-formed but impossible, e.g. 2026-02-31
        start, end = today.replace(day=1), today
    return start, end


@login_required
def visit_list(request):
    """The visit ledger of a period. Queries: session, user, scope, count, page, visitors prefetch."""
    if not request.user.scope.sees_registry:
        raise Http404
    start, end = _ledger_period(request)
    visits = (
        Visit.objects.visible_to(request.user)
        .between(start, end)
        .select_related("household__building", "recorded_by")
        .prefetch_related("visitors")
        .order_by("-visited_on", "-pk")
    )
    if request.GET.get("mine"):
        visits = visits.filter(visitors=request.user)
    page = paginate(request, visits)
    return render(
        request,
        "dashboard/visit_list.html",
        {"page": page, "start": start, "end": end, "can_export": may_see_coverage(request.user)},
    )


@login_required
def visit_export(request):
    if not may_see_coverage(request.user):
        raise Http404
    start, end = _ledger_period(request)
    content = visit_ledger_xlsx(request.user, start, end)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="visits-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
    return response


@login_required
def visit_detail(request, pk):
    visit = access_visit(request.user, pk)
    ctx = {
        "visit": visit,
        "visitors": visit.visitors.all(),
        "residents_met": visit.residents_met.all(),
        "raised": [link.petition for link in visit.items.select_related("petition__category")],
        "may_deliberate": is_staff_of(request.user, visit.household.building.community_id),
    }
    return render(request, "dashboard/visit_detail.html", ctx)


@login_required
def visit_photo(request, pk):
    visit = access_visit(request.user, pk)
    # Through the one private-file path: a signed redirect on S3, X-Accel-Redirect behind nginx.
    return private_file_response(visit.photo)


# --- Campaigns ---------------------------------------------------------------------------------


@login_required
def campaign_list(request):
    campaigns = Campaign.objects.visible_to(request.user).select_related("grid", "community", "district")
    page = paginate(request, campaigns.order_by("-starts_on", "-pk"))
    ctx = {"page": page, "can_start": may_start_campaign(request.user)}
    return render(request, "dashboard/campaign_list.html", ctx)


@login_required
def campaign_new(request):
    form = CampaignForm(request.POST or None, user=request.user)
    if not form.fields["patch"].choices:
        raise Http404
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = campaign_start(
                name=data["name"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                note=data["note"],
                by=request.user,
                **form.patch_kwargs(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The campaign has started."))
            return redirect("dashboard:campaign", pk=campaign.pk)
    return render(request, "dashboard/campaign_form.html", {"form": form})


@login_required
def campaign_detail(request, pk):
    """A leader sees the dwellings still to visit; staff see coverage per grid, per leader, and for a
    district-wide campaign the ranking of communities."""
    campaign = access_campaign(request.user, pk)
    # Read-only officials see what is left to visit, without the visit buttons they cannot use.
    ctx = {"campaign": campaign, "can_visit": may_record_visits(request.user)}
    if may_see_coverage(request.user):
        ctx["totals"] = selectors.campaign_totals(campaign)
        ctx["by_grid"] = selectors.coverage_by_grid(campaign)
        ctx["by_leader"] = selectors.coverage_by_leader(campaign)
        if campaign.is_district_wide:
            ctx["by_community"] = selectors.coverage_by_community(campaign)
    if request.user.scope.sees_registry:
        to_visit = selectors.to_visit_for(request.user, campaign).select_related("building").order_by("code")
        ctx["to_visit"] = paginate(request, to_visit)
    return render(request, "dashboard/campaign_detail.html", ctx)


@login_required
def campaign_never_visited(request, pk):
    """Dwellings of the patch never visited in the period. Queries: session, user, scope, campaign,
    count, page."""
    campaign = access_campaign(request.user, pk)
    if not may_see_coverage(request.user):
        raise Http404
    households = (
        selectors.never_visited(campaign)
        .filter(pk__in=Household.objects.visible_to(request.user).values("pk"))
        .select_related("building__grid")
        .order_by("code")
    )
    page = paginate(request, households)
    return render(request, "dashboard/campaign_never_visited.html", {"campaign": campaign, "page": page})


# --- Items (requests) --------------------------------------------------------------------------


@login_required
def item_list(request):
    """Open items, overdue first. Queries: session, user, scope, count, page (category, building,
    dwelling joined)."""
    if not request.user.scope.sees_registry:
        raise Http404
    keys = items.open_item_keys(items.patch_items(request.user)).values_list("pk", flat=True)
    page = page_of_rows(paginate(request, keys), items.item_rows())
    return render(request, "dashboard/item_list.html", {"page": page})


def _item_context(request, item, **extra):
    """Everything the item card shows: contact, photos, the actions the rule table allows, the timeline.
    Queries past the item: photos, events with actors, their roles (a constant number)."""
    user = request.user
    return {
        "item": item,
        "form": ItemActionForm(),
        "reveal_form": RevealForm(initial={"field": "phone"}),
        "actions": items.phone_actions(user, item),
        "can_reveal_phone": items.may_reveal_phone(user, item),
        "photos": items.photos(item),
        "events": items.timeline(item),
        **extra,
    }


@login_required
def item_detail(request, pk):
    item = items.access_item(request.user, pk)
    return render(request, "dashboard/item_detail.html", _item_context(request, item))


# What the phone says after each action went through.
ACTION_DONE = {
    "annotate": gettext_lazy("Progress recorded."),
    "follow_up": gettext_lazy("Follow-up recorded."),
}


@login_required
@require_POST
def item_action(request, pk, action):
    item = items.access_item(request.user, pk)
    if action not in items.PHONE_ACTIONS:
        raise Http404
    form = ItemActionForm(request.POST, request.FILES)
    error = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            items.act(
                item=item,
                action=action,
                by=request.user,
                note=data["note"],
                photos=[data["photo"]] if data["photo"] else (),
                solved=data["solved"],
                satisfaction=data["satisfaction"],
            )
        except ValidationError as exc:
            error = _error_text(exc)
        except PermissionDenied as exc:
            error = str(exc) or _("You may not do this.")
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    done = str(ACTION_DONE.get(action, _("Saved.")))
    item = items.access_item(request.user, pk)
    if request.htmx:
        ctx = _item_context(request, item, error=error, notice=None if error else done)
        return render(request, "dashboard/_item_card.html", ctx)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect("dashboard:item", pk=item.pk)


@carries_clear_value
@login_required
@require_POST
def item_reveal_phone(request, pk):
    """The resident's full number, to call them: shown in this answer only (never in a URL, the session
    or a cache), and the reveal is an event of the item's history with the reason given."""
    item = items.access_item(request.user, pk)
    form = RevealForm(request.POST)
    if not form.is_valid() or form.cleaned_data["field"] != "phone":
        messages.error(request, _("Say why you need to see this."))
        return redirect("dashboard:item", pk=item.pk)
    try:
        phone = items.reveal_phone(item=item, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("dashboard:item", pk=item.pk)
    return render(request, "dashboard/item_detail.html", _item_context(request, item, revealed_phone=phone))


@login_required
def item_new(request, pk):
    """Record a request on a resident's behalf (channel = visit), prefilled with the dwelling."""
    household = access_household(request.user, pk)
    if not may_record_visits(request.user):
        raise PermissionDenied
    form = OnBehalfForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        try:
            petition = items.submit_on_behalf(
                household=household,
                by=request.user,
                category=form.cleaned_data["item_category"],
                description=form.cleaned_data["description"],
                resident=form.cleaned_data["resident"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The request is recorded."))
            return redirect("dashboard:item", pk=petition.pk)
    return render(request, "dashboard/item_form.html", {"form": form, "household": household})


# --- PWA ---------------------------------------------------------------------------------------


def manifest(request):
    data = {
        "name": _("Linli grid dashboard"),
        "short_name": _("Linli"),
        "lang": "zh-CN",
        "start_url": reverse("dashboard:home"),
        "scope": reverse("dashboard:home"),
        "display": "standalone",
        "background_color": "#faf7f5",
        "theme_color": "#c8102e",
        "icons": [
            {
                "src": f"/static/dashboard/icons/icon-{size}.png",
                "sizes": f"{size}x{size}",
                "type": "image/png",
            }
            for size in (192, 512)
        ]
        + [
            {
                "src": "/static/dashboard/icons/icon-maskable-512.png",
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            }
        ],
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")


SW_VERSION = "linli-dashboard-v1"


@never_cache
def service_worker(request):
    """Served under /dashboard/ so that its scope is the dashboard. It only caches the offline page and
    the static files it needs: every other request goes to the network."""
    offline = reverse("dashboard:offline")
    precache = [
        offline,
        "/static/linli/linli.css",
        "/static/linli/linli.js",
        "/static/dashboard/dashboard.css",
        "/static/dashboard/drafts.js",
    ]
    # The values are written as JSON literals (the template turns autoescaping off: it is not HTML).
    ctx = {
        "cache": json.dumps(SW_VERSION),
        "offline": json.dumps(offline),
        "precache": json.dumps(precache),
    }
    response = render(request, "dashboard/sw.js", ctx, content_type="application/javascript")
    response["Service-Worker-Allowed"] = reverse("dashboard:home")
    return response


def offline(request):
    return render(request, "dashboard/offline.html")
