"""The statistics pages: /stats/ picks the user's area, /stats/<level>/<pk>/ shows one area's figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import may_see_workbench
from config.media import private_file_response

from . import inputs, selectors, services
from .selectors import LEVELS


@login_required
def home(request):
    """The user's own area (or the list of them, when there are several). The old page's links,
    /stats/?community=…&grid=…&start=…&end=…, show that area over that range."""
    if not may_see_workbench(request.user):
        raise Http404
    for name in ("grid", "community"):
        if request.GET.get(name):
            return _area_page(
                request, *selectors.access_area(request.user, name, _int_or_404(request.GET[name]))
            )
    level, areas = selectors.top_areas(request.user)
    if len(areas) == 1:
        return _area_page(request, *selectors.access_area(request.user, level.name, areas[0].pk))
    return render(request, "stats/home.html", {"level": level, "areas": areas})


def _int_or_404(value):
    if not str(value).isdigit():
        raise Http404
    return int(value)


def chart_labels() -> dict:
    """The words the charts draw (the tables below them carry the same words from the template)."""
    return {
        "received": _("Received"),
        "resolved": _("Resolved"),
        "on_time_rate": _("On-time rate"),
        "satisfaction_rate": _("Satisfaction"),
        "coverage": _("Visit coverage"),
        "overdue": _("Overdue now"),
    }


@login_required
def area(request, level, pk):
    return _area_page(request, *selectors.access_area(request.user, level, pk))


def _area_page(request, level, place):
    today = timezone.localdate()
    try:
        period = inputs.period_from(request.GET, today)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        period = selectors.month_period(today)
    sort = inputs.sort_from(request.GET)
    figures = selectors.area_statistics(level, place, period, sort=sort)
    query = urlencode(period.query())
    return render(
        request,
        "stats/area.html",
        {
            "level": level,
            "place": place,
            "parents": selectors.parents_of(request.user, level, place),
            "child_level": LEVELS.get(level.child),
            "period": period,
            "query": query,
            "sort": sort,
            "sorts": list(selectors.LEAGUE_SORTS),
            "figures": figures,
            "data_url": reverse("api-stats-area", args=[level.name, place.pk]) + "?" + query,
            "chart_labels": chart_labels(),
            "today": today,
            "reports": selectors.reports_of(level, place),
        },
    )


@require_POST
@login_required
def report_new(request, level, pk):
    """Ask the worker for the monthly report of an area; the page lists it, ready or not."""
    level, place = selectors.access_area(request.user, level, pk)
    try:
        month = inputs.month_from(request.POST.get("month"), timezone.localdate())
        services.report_request(level=level, area=place, month=month, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The report is being prepared: it appears below when ready."))
    return redirect(reverse("stats:area", args=[level.name, place.pk]) + "#reports")


@login_required
def report_file(request, pk, kind):
    report = selectors.access_report(request.user, pk)
    if kind not in ("xlsx", "pdf"):
        raise Http404
    return private_file_response(getattr(report, kind), as_attachment=True)
