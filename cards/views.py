"""Contact card pages for staff, the print downloads, the QR token buttons, and the public scan link.

Thin views: read through `cards.selectors`, write through `cards.services`, draw with `cards.pdf`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import may_see_coverage
from config.qr import qr_svg
from grids.models import Community

from . import pdf, selectors, services
from .links import absolute


def _layout(request):
    # A page posts a form; the API may post JSON (DRF's request.data).
    layout = getattr(request, "data", request.POST).get("layout", pdf.LAYOUT_A6)
    return layout if layout in pdf.LAYOUTS else pdf.LAYOUT_A6


def pdf_response(request, *, community, cards, filename, title):
    """Record the print (issuing missing QR tokens) and hand out the PDF. ValidationError when empty."""
    printed = services.cards_print(community=community, cards=cards, by=request.user)
    body = pdf.render(
        printed, lambda card: absolute(request, card.path), layout=_layout(request), title=title
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _card_context(request, card, **extra):
    return {
        "card": card,
        "qr": qr_svg(absolute(request, card.path)),
        "url": absolute(request, card.path),
        "may_manage": selectors.may_manage_cards(request.user, card.community.pk),
        "history": selectors.print_history(area=card.area, building=card.building),
        "layouts": [
            (pdf.LAYOUT_A6, _("A6, one card per page")),
            (pdf.LAYOUT_A4, _("A4, four cards a sheet")),
        ],
        **extra,
    }


# --- Staff pages ---------------------------------------------------------------------------------------


@require_GET
@login_required
def index(request):
    if not may_see_coverage(request.user):
        raise Http404
    communities = list(Community.objects.visible_to(request.user).order_by("code")[:200])
    if len(communities) == 1:
        return redirect("cards:community", pk=communities[0].pk)
    return render(request, "cards/index.html", {"communities": communities})


@require_GET
@login_required
def community(request, pk):
    community = selectors.access_community(request.user, pk)
    page, cards = selectors.community_cards(community, page_number=request.GET.get("page"))
    return render(request, "cards/community.html", _community_context(request, community, page, cards))


def _community_context(request, community, page, cards, **extra):
    return {
        "community": community,
        "page": page,
        "cards": cards,
        "may_manage": selectors.may_manage_cards(request.user, community.pk),
        "layouts": [
            (pdf.LAYOUT_A4, _("A4, four cards a sheet")),
            (pdf.LAYOUT_A6, _("A6, one card per page")),
        ],
        **extra,
    }


@require_POST
@login_required
def community_print(request, pk):
    """Every card of the community in one PDF: its areas' cards, then its buildings' in code order."""
    community = selectors.access_community(request.user, pk)
    cards = selectors.all_community_cards(community)
    try:
        return pdf_response(
            request,
            community=community,
            cards=cards,
            filename=f"contact-cards-{community.code}.pdf",
            title=_("Contact cards of %(community)s") % {"community": community.name},
        )
    except ValidationError as error:
        page, shown = selectors.community_cards(community)
        context = _community_context(request, community, page, shown, error=" ".join(error.messages))
        return render(request, "cards/community.html", context, status=400)


@require_GET
@login_required
def area(request, pk):
    card = selectors.area_card(selectors.access_area(request.user, pk))
    return render(request, "cards/card.html", _card_context(request, card))


@require_POST
@login_required
def area_print(request, pk):
    card = selectors.area_card(selectors.access_area(request.user, pk))
    return _print_one(request, card, f"contact-card-{card.area.code}.pdf")


@require_GET
@login_required
def building(request, pk):
    card = selectors.building_card(selectors.access_building(request.user, pk))
    return render(request, "cards/card.html", _card_context(request, card))


@require_POST
@login_required
def building_print(request, pk):
    card = selectors.building_card(selectors.access_building(request.user, pk))
    return _print_one(request, card, f"contact-card-{card.building.code}.pdf")


def _print_one(request, card, filename):
    try:
        return pdf_response(
            request,
            community=card.community,
            cards=[card],
            filename=filename,
            title=_("Contact card of %(place)s") % {"place": card.heading},
        )
    except ValidationError as error:
        context = _card_context(request, card, error=" ".join(error.messages))
        return render(request, "cards/card.html", context, status=400)


@require_POST
@login_required
def building_qr(request, pk):
    """Issue a building's first QR token, or replace it (`action=rotate`): the old one stops working."""
    building = selectors.access_building(request.user, pk)
    rotate = request.POST.get("action") == "rotate"
    try:
        if rotate:
            services.qr_token_rotate(building=building, by=request.user)
        else:
            services.qr_token_issue(building=building, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The QR code was replaced: the old one no longer fills in this building. Print the new card.")
            if rotate
            else _("The QR code was issued."),
        )
    back = request.POST.get("next", "")
    allowed = {reverse("cards:building", args=[building.pk]), reverse("grids:building", args=[building.pk])}
    return redirect(back if back in allowed else reverse("cards:building", args=[building.pk]))


# --- Public --------------------------------------------------------------------------------------------


@require_GET
def scan(request, token):
    """What a building's QR code opens: the request form with the building filled in, or, for a replaced
    or unknown code, a kind word and the plain form."""
    token = (token or "").strip()
    if selectors.building_for_token(token) is not None:
        return redirect(f"{reverse('petitions:new')}?{urlencode({'building': token})}")
    retired = selectors.retired_token(token)
    return render(
        request,
        "cards/scan_replaced.html",
        {"retired": retired, "form_url": reverse("petitions:new")},
        status=410 if retired else 404,
    )
