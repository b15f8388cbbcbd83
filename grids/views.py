"""Registry pages: the building page (both hierarchies side by side), the household page with its
reveal form, and the list of dwellings no grid covers. Thin views: read through `grids.selectors`, write
through `grids.services`."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from accounts.models import RevealLog
from accounts.permissions import may_reveal, may_see_coverage

from . import selectors, services
from .forms import RevealForm
from .pii import carries_clear_value


@require_GET
@login_required
def building_detail(request, pk):
    building = selectors.access_building(request.user, pk)
    page = selectors.building_page(request.user, building, request.GET.get("page"))
    return render(request, "grids/building_detail.html", {"page": page, "building": building})


def _household_context(request, household, **extra):
    return {
        "household": household,
        "members": selectors.household_members(request.user, household),
        "can_reveal": may_reveal(request.user),
        "field_choices": RevealLog.Field.choices,
        **extra,
    }


@require_GET
@login_required
def household_detail(request, pk):
    household = selectors.access_household(request.user, pk)
    return render(request, "grids/household_detail.html", _household_context(request, household))


@carries_clear_value
@require_POST
@login_required
def resident_reveal(request, pk):
    """Show one masked value once, on this response only; the service checks the role and logs the reveal."""
    resident = selectors.access_resident(request.user, pk)
    if resident.household_id is None:
        raise PermissionDenied
    household = selectors.access_household(request.user, resident.household_id)
    form = RevealForm(request.POST)
    revealed, status = None, 200
    if form.is_valid():
        try:
            value = services.resident_reveal(
                resident=resident,
                field=form.cleaned_data["field"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
            status = 400
        else:
            revealed = {
                "resident": resident.pk,
                "field": form.cleaned_data["field"],
                "label": RevealLog.Field(form.cleaned_data["field"]).label,
                "value": value,
            }
    else:
        status = 400
    context = _household_context(
        request, household, revealed=revealed, reveal_form=form, reveal_for=resident.pk
    )
    return render(request, "grids/household_detail.html", context, status=status)


@require_GET
@login_required
def uncovered(request):
    if not may_see_coverage(request.user):
        raise PermissionDenied
    page = selectors.page_of(selectors.uncovered_households(request.user), request.GET.get("page"))
    microgrids = selectors.page_of(selectors.microgrids_with_coverage(request.user), request.GET.get("mpage"))
    selectors.attach_buildings(microgrids.object_list)
    return render(
        request,
        "grids/uncovered.html",
        {
            "page": page,
            "coverage": selectors.microgrid_coverage(request.user),
            "leaderless_grids": selectors.page_of(
                selectors.leaderless_grids(request.user), request.GET.get("gpage")
            ),
            "microgrids": microgrids,
        },
    )
