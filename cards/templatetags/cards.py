"""The building page's contact card panel: its QR code, token, and (for staff) the card and token buttons."""

from django import template

from accounts.permissions import may_see_coverage
from config.qr import qr_svg

from .. import selectors
from ..links import absolute

register = template.Library()


@register.inclusion_tag("cards/_building_panel.html", takes_context=True)
def building_card_panel(context, building):
    request = context["request"]
    user = request.user
    url = absolute(request, selectors.Card(building.community, building.area, building).path)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "building": building,
        "qr": qr_svg(url) if building.qr_token else "",
        "url": url,
        "may_see_card": may_see_coverage(user),
        "may_manage": selectors.may_manage_cards(user, building.community_id),
    }
