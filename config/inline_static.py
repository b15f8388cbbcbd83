"""`{% inline_stylesheets "linli/linli.css" "petitions/petitions.css" %}`: the stylesheets of the pages a
resident opens from a QR code, sent inside the HTML. On a slow phone network each render-blocking file
costs a round trip before anything is drawn (bench/phone_form.py); these files are small (a few KB) and
a resident rarely comes back, so the browser cache would not have saved that trip anyway. Staff pages
keep linking the files, which their browsers cache.

A builtin of the template engine (config.settings TEMPLATES), so no app owns it."""

from functools import cache

from django import template
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils.safestring import mark_safe

register = template.Library()


@cache
def _cached(path: str) -> str:
    return _read(path)


def _read(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise template.TemplateSyntaxError(f"inline_stylesheets: no static file {path!r}")
    with open(found, encoding="utf-8") as css:
        text = css.read()
    # A <style> element's text is not HTML-escaped (a ">" selector must stay ">"); it only must not
    # close the element. These are the project's own files, never user input.
    if "</" in text:
        raise template.TemplateSyntaxError(f"inline_stylesheets: {path!r} contains '</'")
    return text


@register.simple_tag
def inline_stylesheets(*paths):
    read = _read if settings.DEBUG else _cached  # an edit shows at once while developing
    return mark_safe("".join(f"<style>{read(path)}</style>" for path in paths))  # noqa: S308  # nosec B308 B703 # the project's own files
