"""Open311 GeoReport v2 at the spec's paths, each in .json and .xml."""

from django.urls import re_path

from . import open311

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^discovery" + FMT, open311.discovery, name="open311-discovery"),
    re_path(r"^services" + FMT, open311.services, name="open311-services"),
    re_path(r"^services/(?P<code>[^/.]+)" + FMT, open311.service_definition, name="open311-service"),
    re_path(r"^requests" + FMT, open311.requests, name="open311-requests"),
    re_path(r"^requests/(?P<pk>[0-9]{1,9})" + FMT, open311.request_detail, name="open311-request"),
    re_path(r"^tokens/(?P<token>[0-9a-zA-Z]{1,32})" + FMT, open311.token, name="open311-token"),
]
