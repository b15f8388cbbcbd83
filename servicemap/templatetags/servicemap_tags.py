from django import template

from ..models import KIND_COLOURS
from ..selectors import format_distance

register = template.Library()


@register.filter
def kind_colour(kind):
    return KIND_COLOURS.get(kind, "#666666")


@register.filter
def metres(value):
    return format_distance(value)
