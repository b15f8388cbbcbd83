"""The ledger pages for staff, the officials' view of every community in their patch, and the public page
of the projects a community publishes. Thin views: read through selectors, write through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.admin_mixins import add_service_errors
from accounts.permissions import is_staff_of, may_see_project_ledger
from config.media import private_file_response
from grids.models import Community

from . import ledger, selectors, services
from .forms import LedgerFilterForm, MilestoneForm, MilestoneRecordForm, StatusForm
from .models import Evidence

PAGE_SIZE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_ledger(user):
    if not may_see_project_ledger(user):
        raise PermissionDenied


def _filtered(request):
    communities, organisations = selectors.filter_choices(request.user)
    form = LedgerFilterForm(request.GET, communities=communities, organisations=organisations)
    return form, communities, selectors.ledger_projects(request.user, **form.filters())


@require_GET
@login_required
def project_list(request):
    """The ledger: projects by organisation and status, overdue milestones marked. Officials above the
    community see every community of their street or district."""
    _require_ledger(request.user)
    form, communities, projects = _filtered(request)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/project_list.html",
        {
            "form": form,
            "page": page,
            "query_string": query.urlencode(),
            "many_communities": len(communities) > 1,
        },
    )


@require_GET
@login_required
def project_export(request):
    _require_ledger(request.user)
    _form, _communities, projects = _filtered(request)
    response = HttpResponse(ledger.project_ledger_xlsx(projects), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="project-ledger.xlsx"'
    return response


@login_required
def project_detail(request, pk):
    project = selectors.access_project(request.user, pk)
    staff = is_staff_of(request.user, project.community_id)
    posted = request.POST if request.method == "POST" else None
    if posted is not None and not staff:
        raise PermissionDenied
    # Only the form that was sent is bound: the other one shows no errors.
    status_form = StatusForm(posted if posted and "status-status" in posted else None, prefix="status")
    milestone_form = MilestoneForm(
        posted if posted and "milestone-title" in posted else None, prefix="milestone"
    )
    if posted is not None:
        if status_form.is_bound and status_form.is_valid():
            d = status_form.cleaned_data
            try:
                services.project_set_status(
                    project=project,
                    status=d["status"],
                    note=d["status_note"],
                    open_milestones_confirmed=d["open_milestones_confirmed"],
                    by=request.user,
                )
            except ValidationError as exc:
                add_service_errors(status_form, exc)
            else:
                messages.success(request, _("The project's status is changed."))
                return redirect("projects:detail", pk=project.pk)
        elif milestone_form.is_bound and milestone_form.is_valid():
            milestone = milestone_form.save(commit=False)
            milestone.project = project
            try:
                services.milestone_save(milestone=milestone, by=request.user)
            except ValidationError as exc:
                add_service_errors(milestone_form, exc)
            else:
                messages.success(request, _("The milestone is added."))
                return redirect("projects:detail", pk=project.pk)
    milestones, petitions = selectors.project_detail(project)
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "milestones": milestones,
            "petitions": petitions,
            "staff": staff,
            "status_form": status_form,
            "milestone_form": milestone_form,
            "record_form": MilestoneRecordForm(),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def milestone_record(request, pk):
    """Evidence for a milestone (or marking it done), from the staff page."""
    milestone = selectors.access_milestone(request.user, pk)
    form = MilestoneRecordForm(request.POST, request.FILES)
    if form.is_valid() and form.save(milestone=milestone, by=request.user):
        messages.success(request, _("Saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("projects:detail", pk=milestone.project_id)


@require_GET
@login_required
def evidence_file(request, pk):
    evidence = selectors.access_evidence(request.user, pk)
    return private_file_response(evidence.file, as_attachment=evidence.kind == Evidence.Kind.FILE)


# --- Public -----------------------------------------------------------------------------------------


@require_GET
def public_projects(request, community_pk):
    """The projects a community publishes: progress, milestones and evidence photos; no names."""
    community = get_object_or_404(Community.objects.select_related("street"), pk=community_pk)
    page = Paginator(selectors.public_projects(community), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/public.html", {"community": community, "page": page})


@require_GET
def public_photo(request, pk):
    evidence = get_object_or_404(Evidence.objects.public(), pk=pk)
    return private_file_response(evidence.file)
