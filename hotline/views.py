"""Staff pages of the 12345 exchange: upload → columns → preview → confirm → reply file.
Thin views: read through `hotline.selectors`, write through `hotline.services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import may_see_workbench
from grids.models import Community

from . import selectors, services
from .documents import XLSX, replies_xlsx, template_xlsx
from .forms import MappingForm, UploadForm
from .models import HotlineImport, HotlineImportRow

PAGE_SIZE = 50


def _require_page(user):
    if not may_see_workbench(user):
        raise PermissionDenied


def _errors(error):
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def _xlsx_response(content, filename):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def job_list(request):
    _require_page(request.user)
    communities = Community.objects.editable_by(request.user).order_by("code")
    form = UploadForm(request.POST or None, request.FILES or None, communities=communities)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.hotline_import_create(
                community=form.cleaned_data["community"], file=form.cleaned_data["file"], by=request.user
            )
        except ValidationError as error:
            for field, errors in _errors(error).items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            return redirect("hotline:detail", pk=job.pk)
    jobs = Paginator(selectors.hotline_imports(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    can_upload = communities.exists()
    return render(request, "hotline/list.html", {"jobs": jobs, "form": form if can_upload else None})


@require_GET
@login_required
def template(request):
    _require_page(request.user)
    return _xlsx_response(template_xlsx(), "12345-work-orders-template.xlsx")


def _detail_context(request, job, **extra):
    context = {"job": job, **extra}
    if job.status == HotlineImport.Status.MAPPING and "mapping_form" not in context:
        context["mapping_form"] = MappingForm(
            headers=services.hotline_import_headers(job), mapping=job.mapping
        )
    if job.status != HotlineImport.Status.MAPPING:
        rows = job.rows.order_by("line")
        shown = request.GET.get("show", "error" if job.error_count else "all")
        if shown in HotlineImportRow.Outcome.values:
            rows = rows.filter(outcome=shown)
        context["rows"] = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        context["shown"] = shown
        context["outcomes"] = HotlineImportRow.Outcome.choices
    return context


@require_GET
@login_required
def job_detail(request, pk):
    job = selectors.access_hotline_import(request.user, pk)
    return render(request, "hotline/detail.html", _detail_context(request, job))


@require_POST
@login_required
def job_mapping(request, pk):
    job = selectors.access_hotline_import(request.user, pk)
    form = MappingForm(request.POST, headers=services.hotline_import_headers(job), mapping=job.mapping)
    if form.is_valid():
        try:
            services.hotline_import_set_mapping(job=job, mapping=form.mapping(), by=request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect("hotline:detail", pk=job.pk)
    return render(
        request, "hotline/detail.html", _detail_context(request, job, mapping_form=form), status=400
    )


@require_POST
@login_required
def job_confirm(request, pk):
    job = selectors.access_hotline_import(request.user, pk)
    try:
        services.hotline_import_confirm(job=job, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("hotline:detail", pk=job.pk)


@require_GET
@login_required
def replies(request, pk):
    job = selectors.access_hotline_import(request.user, pk)
    content = replies_xlsx(job, selectors.reply_orders(job))
    return _xlsx_response(content, f"12345-replies-{job.pk}.xlsx")
