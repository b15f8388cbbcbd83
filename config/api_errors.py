"""One shape for every error the API answers, documented once in the schema.

- `{"detail": "…"}`: a refusal that names no field, and every 401, 403, 404, 405, 409, 415 and 429
  (DRF's own shape for its exceptions);
- `{"<field>": ["…", …], "non_field_errors": ["…"]}`: a 400 that names the fields at fault (DRF's
  serializer errors; a form's errors are turned into the same).

Views may simply let a service's `django.core.exceptions.ValidationError` propagate: the exception handler
answers it in this shape. The schema side: config.api_schema documents the usual codes of each operation
by itself (400 when it takes input, 403 when it needs a login or CSRF, 404 with a path parameter or a page
number, 415 with a body, 429 when throttled); an operation that can answer something else (a 409, or a 429
it enforces by hand) adds it with `errors()`:

    @extend_schema(request=In, responses={201: Out, **errors(409, 429)})
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.views import defaults
from drf_spectacular.utils import OpenApiResponse
from rest_framework import status as http
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

ERROR_REF = {"$ref": "#/components/schemas/Error"}
FIELD_ERRORS_REF = {"$ref": "#/components/schemas/FieldErrors"}

# The schema's components of the two shapes (registered by config.api_schema).
COMPONENTS = {
    "Error": {
        "type": "object",
        "description": "An error that names no field: a translated message.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "FieldErrors": {
        "type": "object",
        "description": (
            "Refused input: either `detail` (a message naming no field) or, for each field at fault, its "
            "translated messages (`non_field_errors` for the input as a whole; a nested field's value is "
            "an object or list of the same)."
        ),
        "properties": {
            "detail": {"type": "string"},
            "non_field_errors": {"type": "array", "items": {"type": "string"}},
        },
        "additionalProperties": {"oneOf": [{"type": "array"}, {"type": "object"}]},
    },
}

DESCRIPTIONS = {
    400: "Refused input (field errors or a message).",
    401: "No or invalid credentials.",
    403: "Not allowed: not logged in, no permission or a missing CSRF token.",
    404: "Not found, outside the user's patch, or no such page.",
    405: "Method not allowed.",
    409: "Conflicts with the current state.",
    415: "Unsupported media type.",
    429: "Too many requests: wait a while.",
    503: "A service it needs (an SMS provider) is unavailable just now: try again later.",
}


def error_response(code: int, description: str | None = None) -> OpenApiResponse:
    """The documented response of one error status code, in the shared shape."""
    return OpenApiResponse(
        FIELD_ERRORS_REF if code == 400 else ERROR_REF, description=description or DESCRIPTIONS[code]
    )


def errors(*codes: int) -> dict:
    """`responses={200: Out, **errors(409)}`: error codes an operation answers beyond the usual ones."""
    return {code: error_response(code) for code in codes}


def error_body(exc: DjangoValidationError) -> dict:
    """A service's ValidationError in the shared shape: by field when it names fields, else one message."""
    if hasattr(exc, "error_dict"):
        fields = exc.message_dict
        if set(fields) == {NON_FIELD_ERRORS}:
            return {"detail": " ".join(fields[NON_FIELD_ERRORS])}
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if k == NON_FIELD_ERRORS else k): [str(m) for m in v]
            for k, v in fields.items()
        }
    return {"detail": " ".join(str(m) for m in exc.messages)}


def form_errors(form) -> dict:
    """A Django form's errors in the shared shape (`__all__` becomes non_field_errors)."""
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if k == NON_FIELD_ERRORS else k): [str(m) for m in v]
        for k, v in form.errors.items()
    }


def refused(exc: DjangoValidationError, status: int = http.HTTP_400_BAD_REQUEST) -> Response:
    return Response(error_body(exc), status=status)


def exception_handler(exc, context):
    """DRF's handler, with a service's ValidationError answered as a 400 and every body an object."""
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(error_body(exc))
    response = drf_exception_handler(exc, context)
    if response is not None and not isinstance(response.data, dict):
        # `raise ValidationError("…")` or a list of messages: one message naming no field.
        messages = response.data if isinstance(response.data, list) else [response.data]
        response.data = {"detail": " ".join(str(m) for m in messages)}
    return response


def page_not_found(request, exception=None):
    """handler404: an address under /api/ that no route takes (an id with a dot, say) answers in the API's
    shape; every other address gets the site's 404 page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=http.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """handler500, in the API's shape under /api/ like handler404."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(APIException.default_detail)}, status=500)
    return defaults.server_error(request)
