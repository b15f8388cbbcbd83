"""The project's URLs plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def forbidden(request):
    raise PermissionDenied


def bad_request(request):
    raise SuspiciousOperation("bad")


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("test-errors/403/", forbidden),
    path("test-errors/400/", bad_request),
    path("test-errors/500/", broken),
    *project_urlpatterns,
]
