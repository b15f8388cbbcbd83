"""The phone pages of the project ledger: the responsible person (or community staff) adds a milestone
photo or marks a milestone done. Read through projects.selectors, write through projects.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import may_record_milestones
from projects import selectors
from projects.forms import MilestoneRecordForm

PAGE_SIZE = 20


@login_required
def project_list(request):
    page = Paginator(selectors.my_projects(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dashboard/project_list.html", {"page": page})


@login_required
def project_detail(request, pk):
    project = selectors.access_project(request.user, pk)
    milestones, _petitions = selectors.project_detail(project)
    return render(
        request,
        "dashboard/project_detail.html",
        {
            "project": project,
            "milestones": milestones,
            "may_record": may_record_milestones(request.user, project) and project.status != "cancelled",
        },
    )


@require_POST
@login_required
def milestone_record(request, pk):
    milestone = selectors.access_milestone(request.user, pk)
    form = MilestoneRecordForm(request.POST, request.FILES)
    if form.is_valid() and form.save(milestone=milestone, by=request.user):
        messages.success(request, _("Saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("dashboard:project", pk=milestone.project_id)
