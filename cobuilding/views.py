"""Staff pages of the co-building units and the three lists. Thin views: read through selectors, write
through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.admin_mixins import add_service_errors
from accounts.permissions import is_staff_of, may_see_cobuilding
from petitions.inputs import petitions_from_codes

from . import report, selectors, services
from .forms import (
    AgreementForm,
    ConfirmForm,
    NeedForm,
    ReportedMemberForm,
    ResourceForm,
    UnitEventForm,
    UnitForm,
)
from .models import CoBuildingUnit, Kind, Need

PAGE_SIZE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(user):
    if not may_see_cobuilding(user):
        raise PermissionDenied


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


@require_GET
@login_required
def unit_list(request):
    _require(request.user)
    page = _page(request, selectors.unit_list(request.user))
    may_add = request.user.is_superuser or bool(request.user.scope.writable_community_ids)
    return render(request, "cobuilding/unit_list.html", {"page": page, "may_add": may_add})


@require_GET
@login_required
def unit_detail(request, pk):
    _require(request.user)
    unit = selectors.access_unit(request.user, pk)
    staff = is_staff_of(request.user, unit.community_id)
    context = {"unit": unit, "staff": staff, **selectors.unit_detail(unit)}
    return render(request, "cobuilding/unit_detail.html", context)


def _edit_page(request, form, *, title, save, back):
    """A staff form page: the form's input goes to one service; its refusal shows on the form."""
    if form.is_bound and form.is_valid():
        try:
            saved = save(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("cobuilding:unit", pk=saved)
    return render(
        request,
        "cobuilding/edit.html",
        {"form": form, "title": title, "back": back},
        status=400 if form.is_bound else 200,
    )


def _data(request):
    return request.POST if request.method == "POST" else None


@login_required
def unit_edit(request, pk=None):
    """Create a unit (with its organisation) or change one: the community's staff only."""
    _require(request.user)
    unit = selectors.access_editable_unit(request.user, pk) if pk else CoBuildingUnit()
    form = UnitForm(_data(request), instance=unit, user=request.user)

    def save(form):
        return services.unit_with_organisation_save(
            unit=form.instance,
            name=form.cleaned_data["name"],
            community=form.cleaned_data.get("community"),
            by=request.user,
        ).pk

    title = _("Change %(name)s") % {"name": unit.organisation.name} if pk else _("New co-building unit")
    back = reverse("cobuilding:unit", args=[pk]) if pk else reverse("cobuilding:units")
    return _edit_page(request, form, title=title, save=save, back=back)


@login_required
def agreement_edit(request, unit_pk=None, pk=None):
    _require(request.user)
    if pk:
        agreement = selectors.access_editable_agreement(request.user, pk)
        unit = agreement.unit
    else:
        unit = selectors.access_editable_unit(request.user, unit_pk)
        agreement = None
    form = AgreementForm(_data(request), instance=agreement, unit=unit)

    def save(form):
        services.agreement_save(
            agreement=form.save(commit=False), projects=form.cleaned_data["projects"], by=request.user
        )
        return unit.pk

    title = _("Co-building agreement of %(name)s") % {"name": unit.organisation.name}
    return _edit_page(request, form, title=title, save=save, back=reverse("cobuilding:unit", args=[unit.pk]))


@login_required
def member_edit(request, unit_pk=None, pk=None):
    """A reporting party member (双报到) of a unit."""
    _require(request.user)
    if pk:
        report_row = selectors.access_editable_report(request.user, pk)
        unit = report_row.unit
    else:
        unit = selectors.access_editable_unit(request.user, unit_pk)
        report_row = None
    form = ReportedMemberForm(_data(request), instance=report_row, unit=unit)

    def save(form):
        services.reported_member_save(report=form.save(commit=False), by=request.user)
        return unit.pk

    title = _("Reporting party member of %(name)s") % {"name": unit.organisation.name}
    return _edit_page(request, form, title=title, save=save, back=reverse("cobuilding:unit", args=[unit.pk]))


def _filters(request):
    kind = request.GET.get("kind") if request.GET.get("kind") in Kind.values else None
    return kind


@login_required
def need_list(request):
    """The needs list, and the form that adds a need (from tracking codes of wishes or requests)."""
    _require(request.user)
    form = NeedForm(request.POST if request.method == "POST" else None, user=request.user)
    if form.is_bound and form.is_valid():
        try:
            with transaction.atomic():
                petitions = petitions_from_codes(request.user, form.cleaned_data["petition_codes"])
                need = services.need_save(need=form.save(commit=False), petitions=petitions, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The need is added."))
            return redirect("cobuilding:need", pk=need.pk)
    status = request.GET.get("status") if request.GET.get("status") in Need.Status.values else None
    page = _page(request, selectors.need_list(request.user, status=status, kind=_filters(request)))
    return render(
        request,
        "cobuilding/need_list.html",
        {"page": page, "form": form, "kinds": Kind.choices, "statuses": Need.Status.choices},
        status=400 if form.is_bound else 200,
    )


@login_required
def need_detail(request, pk):
    """A need with the resources suggested for it; staff confirm a match, which creates or extends a
    project."""
    _require(request.user)
    need = selectors.access_need(request.user, pk)
    staff = is_staff_of(request.user, need.community_id)
    if request.method == "POST" and not staff:
        raise PermissionDenied
    form = ConfirmForm(
        request.POST if request.method == "POST" else None,
        resources=selectors.matchable_resources(need),
        projects=selectors.active_projects(need),
    )
    if form.is_bound and form.is_valid():
        try:
            match = services.match_confirm(
                need=need,
                resource=form.cleaned_data["resource"],
                project=form.cleaned_data["project"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The match is confirmed: project “%(name)s”.") % {"name": match.project}
            )
            return redirect("cobuilding:need", pk=need.pk)
    return render(
        request,
        "cobuilding/need_detail.html",
        {
            "need": need,
            "staff": staff,
            "form": form,
            "suggestions": list(selectors.suggest_resources(need)),
            "matches": selectors.need_matches(need),
            "petitions": list(need.petitions.order_by("pk")),
            "projects": list(form.fields["project"].queryset[:50]) if staff else [],
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def resource_list(request):
    _require(request.user)
    form = ResourceForm(request.POST if request.method == "POST" else None, user=request.user)
    if form.is_bound and form.is_valid():
        try:
            services.resource_save(resource=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The resource is added."))
            return redirect("cobuilding:resources")
    available = request.GET.get("available") == "1"
    page = _page(request, selectors.resource_list(request.user, kind=_filters(request), available=available))
    return render(
        request,
        "cobuilding/resource_list.html",
        {"page": page, "form": form, "kinds": Kind.choices},
        status=400 if form.is_bound else 200,
    )


def _year(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@require_GET
@login_required
def unit_report(request, pk):
    """A unit's yearly report: agreements, projects, wishes claimed, hours served and events held;
    ?format=xlsx or ?format=pdf."""
    _require(request.user)
    year = _year(request)
    unit = selectors.access_unit(request.user, pk, year)
    data = selectors.unit_year_report(unit, year)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(report.unit_report_xlsx(unit, year, data), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="cobuilding-unit-{unit.pk}-{year}.xlsx"'
        return response
    if request.GET.get("format") == "pdf":
        response = HttpResponse(report.unit_report_pdf(unit, year, data), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="cobuilding-unit-{unit.pk}-{year}.pdf"'
        return response
    context = {"unit": unit, "year": year, "summary": report.summary_rows(unit, data), **data}
    return render(request, "cobuilding/unit_report.html", context)


@login_required
def unit_events(request, pk):
    """The events a unit held in a year (?year=, what its report counts as "events held"); its
    community's staff record one (an activity of the community, its kind and the unit's part) or take
    one off."""
    _require(request.user)
    year = _year(request)
    if request.method == "POST":
        unit = selectors.access_editable_unit(request.user, pk)
    else:
        unit = selectors.access_unit(request.user, pk)
    staff = is_staff_of(request.user, unit.community_id)
    form = None
    if staff:
        activities = selectors.event_activity_choices(unit)
        form = UnitEventForm(_data(request), unit=unit, activities=activities)
    if form is not None and form.is_bound and form.is_valid():
        try:
            event = services.unit_event_save(event=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The event is recorded."))
            held = timezone.localtime(event.activity.starts_at).year
            return redirect(f"{reverse('cobuilding:unit_events', args=[unit.pk])}?year={held}")
    events = list(selectors.unit_events(unit, year))
    context = {
        "unit": unit,
        "year": year,
        "staff": staff,
        "form": form,
        "events": events,
        "events_by_kind": selectors.events_by_kind(events),
    }
    return render(
        request,
        "cobuilding/unit_events.html",
        context,
        status=400 if form is not None and form.is_bound else 200,
    )


@require_POST
@login_required
def unit_event_remove(request, pk):
    _require(request.user)
    event = selectors.access_editable_event(request.user, pk)
    year = timezone.localtime(event.activity.starts_at).year
    services.unit_event_remove(event=event, by=request.user)
    messages.success(request, _("The event is taken off the unit's list."))
    return redirect(f"{reverse('cobuilding:unit_events', args=[event.unit_id])}?year={year}")
