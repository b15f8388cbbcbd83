"""Absolute links printed on paper (QR codes)."""

from django.conf import settings


def absolute(request, path):
    """The configured public address, else the one this request came in on."""
    base = settings.PUBLIC_BASE_URL
    return f"{base}{path}" if base else request.build_absolute_uri(path)
