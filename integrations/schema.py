"""The API key as a security scheme of the OpenAPI schema, listed on the operations a key may call."""

import re

from django.urls import Resolver404, resolve
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .auth import required_scope


def _url_name(auto_schema) -> str:
    basename = getattr(auto_schema.view, "basename", None)
    if basename:
        return basename
    try:
        return resolve(re.sub(r"\{[^}]+\}", "1", auto_schema.path)).url_name or ""
    except Resolver404:
        return ""


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "integrations.auth.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_requirement(self, auto_schema):
        # Only where a key's scopes can open the operation (integrations.auth.ROUTES).
        if required_scope(_url_name(auto_schema), auto_schema.method) is None:
            return None
        return {self.name: []}

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "An API client's key, sent as `Authorization: Api-Key lk_…`. Keys are issued in the admin, "
                "bound to a community, street or district and to scopes (read registry, read requests, "
                "write requests, Open311); each operation that accepts a key lists this scheme."
            ),
        }
