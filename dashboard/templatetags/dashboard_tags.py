"""`{% unread_notifications_count %}`: the bell's number, one query per request at most.

The count is kept on the request, so a page that shows the bell twice (site header and dashboard) or a
view that already counted (the dashboard home) does not ask the database again.
"""

from django import template
from django.conf import settings

from notifications.models import Notification

register = template.Library()

CACHE_ATTR = "_linli_unread_notifications"


def unread_count_for(request) -> int:
    """The user's unread notifications, counted once per request (0 for anonymous visitors)."""
    if request is None:
        return 0
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    if not hasattr(request, CACHE_ATTR):
        setattr(request, CACHE_ATTR, Notification.objects.for_user(user).unread().count())
    return getattr(request, CACHE_ATTR)


def remember_unread_count(request, count: int) -> None:
    """A view that has just counted tells the tag, which then runs no query."""
    setattr(request, CACHE_ATTR, count)


@register.simple_tag(takes_context=True)
def unread_notifications_count(context) -> int:
    return unread_count_for(context.get("request"))


@register.simple_tag
def map_link(latitude, longitude) -> str:
    """The map link of a GPS point from settings.MAP_LINK_TEMPLATE; empty when no map is configured or
    the point is missing."""
    template_ = settings.MAP_LINK_TEMPLATE
    if not template_ or latitude is None or longitude is None:
        return ""
    return template_.format(lat=latitude, lon=longitude)
