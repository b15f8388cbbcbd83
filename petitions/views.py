"""HTML pages: the public form, tracking, the public board, the wish wall, the staff workbench, statistics.

Views are thin: they parse input with a form and call one service."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.forms.utils import ErrorDict
from django.http import Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.admin_mixins import add_service_errors
from accounts.permissions import is_staff_of, may_enter_items, may_see_workbench
from config.media import private_file_response
from config.paging import CappedPaginator
from grids.exports import XLSX
from grids.models import Community, Grid, ResidentialArea
from grids.pii import carries_clear_value
from notifications.outbound import ChannelError
from notifications.wechat import enabled as wechat_enabled

from . import antispam, inputs, ledger, selectors, services
from .forms import (
    ActionForm,
    PhoneCodeForm,
    PublicPetitionForm,
    RateForm,
    StaffEntryForm,
    WorkbenchFilterForm,
    confirm_label,
    find_building,
)
from .models import Category, PendingPhoto, Petition, PetitionEvent, PetitionPhoto
from .services.pending import new_photo_key, photo_key_token

PAGE_SIZE = 20


def _query_without(request, *names):
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode() + "&" if query else ""


def _query_without_page(request):
    return _query_without(request, "page")


def _error_text(exc):
    return " ".join(exc.messages)


# --- Public ------------------------------------------------------------------------------------------


def _community_of(building):
    return building.community_id if building else None


def petition_new(request):
    ip = antispam.client_ip(request)
    building = find_building(request.GET.get("building") or request.POST.get("building"))
    code_sent = False
    if request.method == "POST":
        form = PublicPetitionForm(request.POST, request.FILES, ip=ip, community_id=_community_of(building))
        if request.POST.get("remove_photo", "").isdigit():
            # A kept photo taken back: nothing else is checked, the rest is kept as typed.
            form._errors, form.cleaned_data = ErrorDict(), {}
            services.pending_photo_remove(key=form.photo_key, pk=int(request.POST["remove_photo"]))
            _keep_photos(form, ip)
            form.fresh_token()
        elif request.POST.get("send_code"):
            # Only the phone is checked now; the rest of the form is kept as typed.
            form._errors, form.cleaned_data = ErrorDict(), {}
            code_form = PhoneCodeForm({"phone": request.POST.get("phone", "")})
            if not code_form.is_valid():
                form.add_error("phone", _("Enter an 11-digit mobile number."))
            elif antispam.rate_limited("code_ip", ip) or antispam.rate_limited(
                "code_phone", code_form.cleaned_data["phone"]
            ):
                form.add_error("phone", _("Too many codes requested. Please wait a while."))
            else:
                try:
                    antispam.send_phone_code(code_form.cleaned_data["phone"])
                except ChannelError:
                    form.add_error(
                        "phone", _("The code could not be sent just now. Please try again in a minute.")
                    )
                else:
                    code_sent = True
            _keep_photos(form, ip)
            form.fresh_token()
        elif form.is_valid():
            if _keep_photos(form, ip):
                try:
                    petition = services.petition_submit_public(
                        data=form.cleaned_data, user=request.user, photo_key=form.photo_key
                    )
                except ValidationError as exc:
                    form.add_error(None, _error_text(exc))
                else:
                    request.session["petitions_new"] = petition.tracking_code
                    return redirect("petitions:track", code=petition.tracking_code)
            form.fresh_token()
        else:
            _keep_photos(form, ip)
            form.fresh_token()
    elif not request.user.is_authenticated and not len(messages.get_messages(request)):
        return _blank_form(request, ip, building)
    else:
        form = PublicPetitionForm(
            ip=ip, initial={"building": request.GET.get("building", "")}, community_id=_community_of(building)
        )
    return render(
        request,
        "petitions/new.html",
        {
            "form": form,
            "building": building,
            "bad_building": bool(request.GET.get("building")) and building is None,
            "code_sent": code_sent,
            "kept_photos": PendingPhoto.objects.kept_for(form.photo_key),
        },
        status=200,
    )


# A blank form is the same page for every anonymous visitor but for its CSRF token, anti-spam question
# and photo key: it is rendered once a minute (per language, query and building) with markers that each
# visit's own values replace, rather than building a dozen widgets from templates for every visit.
FORM_CACHE_SECONDS = 60
MARKS = {name: f"linli-mark-{name}-7f3a" for name in ("csrf", "token", "question", "photo")}


def _page_key(request, page, version):
    """A cached public page's key: the page, what it depends on, the language and the whole query."""
    parts = f"{get_language()}|{version}|{request.GET.urlencode()}"
    return f"petitions:{page}:" + hashlib.sha256(parts.encode()).hexdigest()


def _blank_form(request, ip, building):
    key = _page_key(request, "new", building.pk if building else "")
    page = cache.get(key)
    if page is None:
        form = PublicPetitionForm(ip=ip, initial={"building": request.GET.get("building", "")})
        form.fields["captcha_token"].initial = MARKS["token"]
        form.fields["captcha_answer"].label = _("Anti-spam check: %(question)s") % {
            "question": MARKS["question"]
        }
        form.photo_key_token = MARKS["photo"]
        context = {
            "form": form,
            "building": building,
            "bad_building": bool(request.GET.get("building")) and building is None,
            "csrf_token": MARKS["csrf"],
        }
        page = render_to_string("petitions/new.html", context, request=request)
        cache.set(key, page, FORM_CACHE_SECONDS)
    token, question = antispam.new_challenge()
    for name, value in (
        ("csrf", get_token(request)),
        ("token", token),
        ("question", escape(question)),
        ("photo", photo_key_token(new_photo_key())),
    ):
        page = page.replace(MARKS[name], value)
    return HttpResponse(page)


def _keep_photos(form, ip):
    """Keep this post's photos under the form's key, whatever else happens to the post (nothing a
    resident chose is lost when the form shows again). False when they could not be kept."""
    try:
        services.pending_photos_keep(key=form.photo_key, uploads=form.new_photos(), ip=ip)
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    return True


def track_lookup(request):
    typed = (request.GET.get("code") or "").strip()
    if not typed:
        return render(request, "petitions/track_lookup.html")
    petition = selectors.find_by_tracking_code(typed)
    if petition is None:
        return _code_not_found(request, typed)
    return redirect("petitions:track", code=petition.tracking_code)


def _code_not_found(request, typed):
    # A page of our own with the code kept to correct, not a bare 404 (Django's debug page in DEBUG).
    return render(
        request, "petitions/track_lookup.html", {"typed": typed[:40], "not_found": True}, status=404
    )


def _public_timeline(petition):
    return petition.events.filter(public=True).only(
        "action", "to_status", "note", "created_at", "from_status"
    )


def track(request, code):
    petition = selectors.find_by_tracking_code(code)
    if petition is None:
        return _code_not_found(request, code)
    if request.method == "GET" and code != petition.tracking_code:
        return redirect("petitions:track", code=petition.tracking_code)
    rate_form = None
    if request.method == "POST" and petition.status == Petition.Status.RESOLVED:
        rate_form = RateForm(request.POST)
        if rate_form.is_valid():
            try:
                services.petition_rate(petition=petition, **rate_form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, _error_text(exc))
            else:
                messages.success(request, _("Thank you for your feedback."))
            return redirect("petitions:track", code=petition.tracking_code)
    elif petition.status == Petition.Status.RESOLVED:
        rate_form = RateForm()
    just_created = request.session.pop("petitions_new", None) == petition.tracking_code
    return render(
        request,
        "petitions/track.html",
        {
            "petition": petition,
            "events": _public_timeline(petition),
            "photos": petition.photos.filter(Q(event__isnull=True) | Q(event__public=True)),
            "rate_form": rate_form,
            "just_created": just_created,
            "wechat_follow": wechat_enabled(),
        },
    )


def track_photo(request, code, pk):
    petition = selectors.access_by_tracking_code(code)
    # Only what the tracking page shows: the resident's own photos and those of public steps.
    photo = get_object_or_404(
        PetitionPhoto.objects.filter(Q(event__isnull=True) | Q(event__public=True)), pk=pk, petition=petition
    )
    return private_file_response(photo.image)


# The board is the same for every visitor with the same filters: its list is rendered once per change and
# kept for a minute (edits that do not touch an item's updated_at, such as a category made private or an
# area renamed, show within that minute).
BOARD_CACHE_SECONDS = 60


def board(request):
    """两公开: what was asked and what was done, from staff-written summaries only."""
    key = _page_key(request, "board", selectors.board_version())
    body = cache.get(key)
    if body is None:
        body = render_to_string("petitions/_board_list.html", _board_context(request), request=request)
        cache.set(key, body, BOARD_CACHE_SECONDS)
    return render(request, "petitions/board.html", {"body": body})


def _board_context(request):
    qs = Petition.objects.public().select_related("category", "community", "building__area")
    qs = qs.only(
        "status", "created_at", "public_summary", "category__name", "community__name", "building__area__name"
    )
    area = request.GET.get("area")
    if area and area.isdigit():
        qs = qs.filter(building__area_id=area)
    category = request.GET.get("category")
    if category and category.isdigit():
        qs = qs.filter(category_id=category)
    status = request.GET.get("status")
    if status in Petition.Status.values:
        qs = qs.filter(status=status)
    page = CappedPaginator(qs.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "page": page,
        "areas": ResidentialArea.objects.order_by("name").only("pk", "name"),
        "categories": Category.objects.filter(private=False, active=True).only("pk", "name"),
        "statuses": [
            (v, label) for v, label in Petition.Status.choices if v not in ("submitted", "declined", "merged")
        ],
        "filters": {"area": area or "", "category": category or "", "status": status or ""},
        "query": _query_without_page(request),
    }


def wishes(request):
    qs = Petition.objects.on_wish_wall().select_related("category", "community", "building", "assignee")
    if request.user.is_authenticated:
        communities = request.user.scope.all_community_ids
        if not request.user.is_superuser and communities:
            qs = qs.filter(community_id__in=communities)
    page = CappedPaginator(qs.order_by("status", "-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "petitions/wishes.html", {"page": page})


@login_required
@require_POST
def wish_claim(request, pk):
    petition = get_object_or_404(Petition.objects.on_wish_wall(), pk=pk)
    try:
        services.petition_claim(petition=petition, by=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("You claimed this wish. Thank you!"))
    return redirect("petitions:wishes")


# --- Staff workbench ---------------------------------------------------------------------------------

TABS = {
    "unassigned": lambda qs, now: qs.unassigned(),
    "overdue": lambda qs, now: qs.overdue(now),
    "follow_up": lambda qs, now: qs.awaiting_follow_up(),
    "open": lambda qs, now: qs.open(),
    "all": lambda qs, now: qs,
}


# The workbench filters its ledger export keeps: a period and an area (not the tab or the search).
LEDGER_FILTERS = ("start", "end", "grid", "community")


@login_required
def workbench(request):
    if not may_see_workbench(request.user):
        raise Http404
    now = timezone.now()
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "unassigned"
    form = WorkbenchFilterForm(request.GET)
    filters = form.filters()
    qs = TABS[tab](Petition.objects.visible_to(request.user), now)
    qs = selectors.filter_petitions(qs, request.user, **filters)
    qs = qs.select_related("category", "building", "grid", "assignee", "assignee_org").order_by(
        "resolve_due_at", "accept_due_at", "-pk"
    )
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    ledger_query = QueryDict(mutable=True)
    ledger_query.update({k: request.GET[k] for k in LEDGER_FILTERS if request.GET.get(k)})
    return render(
        request,
        "petitions/workbench.html",
        {
            "page": page,
            "tab": tab,
            "tabs": [
                ("unassigned", _("Unassigned")),
                ("overdue", _("Overdue")),
                ("follow_up", _("Awaiting follow-up")),
                ("open", _("All open")),
                ("all", _("Everything")),
            ],
            "form": form,
            "grids": Grid.objects.visible_to(request.user).only("pk", "name"),
            "communities": Community.objects.visible_to(request.user).only("pk", "name"),
            "grid": request.GET.get("grid", ""),
            "community": request.GET.get("community", ""),
            "now": now,
            "query": _query_without_page(request),
            "tab_query": _query_without(request, "page", "tab"),
            "ledger_query": ledger_query.urlencode(),
            **inputs.dispatch_targets(request.user),
            "may_enter": may_enter_items(request.user),
        },
    )


@login_required
def workbench_new(request):
    """Staff record an item for a resident: any kind, from the desk, the phone, a meeting or a visit."""
    if not may_enter_items(request.user):
        raise Http404
    form = StaffEntryForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            petition = services.petition_record_by_staff(data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Recorded: tracking code %(code)s.") % {"code": petition.tracking_code}
            )
            return redirect("petitions:workbench_detail", pk=petition.pk)
    return render(request, "petitions/workbench_new.html", {"form": form})


@login_required
def workbench_import(request):
    """A past requests ledger is one kind of import: the imports pages run it (preview, then all or
    nothing)."""
    if not may_enter_items(request.user):
        raise Http404
    return redirect(reverse("imports:list") + "?kind=ledger")


@login_required
def workbench_ledger(request):
    """The request ledger (台账) of the workbench's period and area, as xlsx, of what the user may see."""
    if not may_see_workbench(request.user):
        raise Http404
    form = WorkbenchFilterForm(request.GET)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return HttpResponseRedirect(reverse("petitions:workbench") + "?" + request.GET.urlencode())
    filters = {k: form.cleaned_data[k] for k in LEDGER_FILTERS}
    petitions = selectors.filter_petitions(Petition.objects.visible_to(request.user), request.user, **filters)
    response = HttpResponse(ledger.petition_ledger_xlsx(petitions), content_type=XLSX)
    period = "-".join(f"{d:%Y%m%d}" for d in (filters["start"], filters["end"]) if d) or "all"
    response["Content-Disposition"] = f'attachment; filename="requests-ledger-{period}.xlsx"'
    return response


@login_required
@require_POST
def workbench_bulk_dispatch(request):
    ids = [i for i in request.POST.getlist("ids") if i.isdigit()][:100]
    petitions = list(Petition.objects.editable_by(request.user).filter(pk__in=ids).select_related("category"))
    try:
        targets = inputs.dispatch_kwargs(request.user, request.POST)
        done, errors = services.petition_bulk_dispatch(petitions=petitions, by=request.user, **targets)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("%(n)s items dispatched.") % {"n": done})
        for p, exc in errors:
            messages.error(request, f"{p.tracking_code}: {_error_text(exc)}")
    return HttpResponseRedirect(reverse("petitions:workbench") + "?" + request.GET.urlencode())


@carries_clear_value
@login_required
def workbench_detail(request, pk):
    petition = selectors.access_petition(request.user, pk)
    revealed_phone = ""
    if request.method == "POST" and request.POST.get("action") == "reveal_phone":
        # Shown in this answer only (never in a URL or a later page); the event records who looked.
        try:
            revealed_phone = services.petition_reveal_phone(petition=petition, by=request.user)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
    elif request.method == "POST":
        form = ActionForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                _act(request.user, petition, form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, _error_text(exc))
            else:
                messages.success(request, _("Done."))
        else:
            messages.error(request, " ".join(form.non_field_errors()) or _("Please check the form."))
        return redirect("petitions:workbench_detail", pk=petition.pk)
    events = petition.events.select_related("actor").prefetch_related(
        Prefetch("photos", queryset=PetitionPhoto.objects.only("pk", "event_id"))
    )
    return render(
        request,
        "petitions/detail.html",
        {
            "petition": petition,
            "events": events,
            "photos": petition.photos.all(),
            "action_groups": _action_groups(request.user, petition),
            "revealed_phone": revealed_phone,
            "may_reveal_phone": bool(petition.phone_encrypted)
            and bool(services.relations(request.user, petition) & services.PHONE_READERS),
            "satisfactions": Petition.Satisfaction.choices,
            # A topic of deliberation is opened by the community's staff (deliberation.views.topic_new).
            "may_deliberate": is_staff_of(request.user, petition.community_id),
            **inputs.dispatch_targets(request.user),
        },
    )


def _action_groups(user, petition):
    """(action, button label, confirmation label) per group of services.grouped_actions."""
    return {
        group: [
            (a, PetitionEvent.Action(a).label, confirm_label(a) if group == "destructive" else "")
            for a in names
        ]
        for group, names in services.grouped_actions(user, petition).items()
    }


def _act(user, petition, d):
    action = d["action"]
    services.petition_transition(
        petition=petition, action=action, by=user, **inputs.action_kwargs(user, action, d)
    )


@login_required
def photo(request, pk):
    photo = get_object_or_404(PetitionPhoto.objects.select_related("petition"), pk=pk)
    selectors.access_petition(request.user, photo.petition_id)
    return private_file_response(photo.image)
