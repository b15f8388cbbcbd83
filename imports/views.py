"""Staff pages of the imports (every kind of imports.kinds): upload → columns → preview → confirm → progress → result.
Thin views: read through `imports.selectors`, write through `imports.services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import may_see_workbench
from grids.models import Community

from . import kinds, selectors, services
from .documents import template_xlsx
from .forms import MappingForm, UploadForm
from .models import ImportJob, ImportRow

PAGE_SIZE = 50


def _require_page(user):
    if not may_see_workbench(user):
        raise PermissionDenied


def _errors(error):
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


@login_required
def job_list(request):
    _require_page(request.user)
    communities = Community.objects.editable_by(request.user).order_by("code")
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        communities=communities,
        initial={"kind": request.GET.get("kind", "registry")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = services.job_create(
                community=form.cleaned_data["community"],
                file=form.cleaned_data["file"],
                by=request.user,
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            for field, errors in _errors(error).items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            return redirect("imports:detail", pk=job.pk)
    # ?kind=hotline (the hotline's own entry): that kind chosen in the form and only its files listed.
    shown = request.GET.get("kind") if request.GET.get("kind") in {k.key for k in kinds.all_kinds()} else None
    jobs = Paginator(selectors.import_jobs(request.user, shown), PAGE_SIZE).get_page(request.GET.get("page"))
    can_upload = communities.exists()
    return render(
        request,
        "imports/list.html",
        {
            "jobs": jobs,
            "form": form if can_upload else None,
            "kinds": kinds.all_kinds(),
            "shown_kind": kinds.get(shown) if shown else None,
        },
    )


@require_GET
@login_required
def template(request, kind="registry"):
    _require_page(request.user)
    kind = kinds.get(kind)
    response = HttpResponse(
        template_xlsx(kind.fields, kind.example),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{kind.key}-import-template.xlsx"'
    return response


def _detail_context(request, job, **extra):
    kind = kinds.get(job.kind)
    context = {"job": job, "kind": kind, "links": kind.links_for(job), **extra}
    if job.status in (ImportJob.Status.READY, ImportJob.Status.REFUSED, ImportJob.Status.DONE):
        rows = job.rows.order_by("line")
        shown = request.GET.get("show", "error" if job.error_count else "all")
        if shown in ImportRow.Outcome.values:
            rows = rows.filter(outcome=shown)
        context["rows"] = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        context["shown"] = shown
        context["outcomes"] = ImportRow.Outcome.choices
        context["field_labels"] = kind.field_labels()
        context["field_labels"]["dwelling"] = _("Dwelling")
    if job.status == ImportJob.Status.MAPPING and "mapping_form" not in context:
        context["mapping_form"] = MappingForm(
            headers=services.job_headers(job), mapping=job.mapping, fields=kind.fields
        )
    return context


@require_GET
@login_required
def job_detail(request, pk):
    job = selectors.access_import_job(request.user, pk)
    return render(request, "imports/detail.html", _detail_context(request, job))


@require_GET
@login_required
def job_progress(request, pk):
    """The progress bar, polled by htmx; once the job stops working the page reloads to its result."""
    job = selectors.access_import_job(request.user, pk)
    response = render(request, "imports/_progress.html", {"job": job})
    if not job.working:
        response["HX-Refresh"] = "true"
    return response


@require_POST
@login_required
def job_mapping(request, pk):
    job = selectors.access_import_job(request.user, pk)
    form = MappingForm(
        request.POST,
        headers=services.job_headers(job),
        mapping=job.mapping,
        fields=kinds.get(job.kind).fields,
    )
    if form.is_valid():
        try:
            services.job_set_mapping(job=job, mapping=form.mapping(), by=request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect("imports:detail", pk=job.pk)
    return render(
        request, "imports/detail.html", _detail_context(request, job, mapping_form=form), status=400
    )


@require_POST
@login_required
def job_confirm(request, pk):
    job = selectors.access_import_job(request.user, pk)
    try:
        services.job_confirm(job=job, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("imports:detail", pk=job.pk)
