"""The API key as a security scheme of the OpenAPI schema."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "integrations.auth.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "An API client's key, sent as `Authorization: Api-Key lk_…`. Keys are issued in the admin, "
                "bound to an area and to scopes (read registry, read requests, write requests, Open311)."
            ),
        }
