"""Staff pages of the 12345 exchange. A work-order file goes through the imports pages (upload, columns,
preview, confirm: imports.views, kind "hotline"); here are the hotline's entry and its reply file."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from . import selectors
from .documents import XLSX, replies_xlsx


@require_GET
@login_required
def job_list(request):
    """The hotline's files: the imports page with the hotline kind chosen and only its files listed."""
    return redirect(f"{reverse('imports:list')}?{urlencode({'kind': selectors.KIND})}")


@require_GET
@login_required
def replies(request, pk):
    job = selectors.access_hotline_job(request.user, pk)
    response = HttpResponse(replies_xlsx(job, selectors.reply_orders(job)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="12345-replies-{job.pk}.xlsx"'
    return response
