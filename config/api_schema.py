"""The schema class of the API: every operation documents the error codes it can really answer, in the
shared shape of config.api_errors, without each view listing them (and so do endpoints added later)."""

from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.permissions import AllowAny

from .api_errors import COMPONENTS, ERROR_REF, FIELD_ERRORS_REF, error_response

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        for name, schema in COMPONENTS.items():
            registry.register_on_missing(
                ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
            )
        responses = operation.setdefault("responses", {})
        for code in self._error_codes(operation):
            existing = responses.get(str(code))
            if existing is None or not existing.get("content"):
                documented = error_response(code, (existing or {}).get("description"))
                ref = FIELD_ERRORS_REF if code == 400 else ERROR_REF
                responses[str(code)] = {
                    "description": documented.description,
                    "content": {"application/json": {"schema": ref}},
                }
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _error_codes(self, operation):
        params = operation.get("parameters", [])
        query = {p["name"] for p in params if p["in"] == "query"}
        has_body = "requestBody" in operation
        public = all(isinstance(p, AllowAny) for p in self.view.get_permissions())
        codes = set()
        if has_body or query - {"page"}:
            codes.add(400)  # a serializer, a form or a filter refuses the input
        if not public and any(a.authenticate_header(None) for a in self.view.get_authenticators()):
            codes.add(401)  # an authentication that challenges (a key); a session answers 403 instead
        if not public or self.method not in SAFE_METHODS:
            codes.add(403)  # no login or permission; a logged-in session's unsafe request without CSRF
        if any(p["in"] == "path" for p in params) or "page" in query:
            codes.add(404)  # an object outside the user's patch, or a page past the end
        if has_body:
            codes.add(415)  # a body in a media type no parser takes
        if self.view.get_throttles() or (
            not public and any(getattr(a, "may_throttle", False) for a in self.view.get_authenticators())
        ):
            codes.add(429)  # a throttle, or an API key over its hourly allowance
        return codes
