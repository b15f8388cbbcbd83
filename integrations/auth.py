"""The API key for DRF: `Authorization: Api-Key lk_…`. The request then acts as the client's own account
with the scope of integrations.selectors.client_scope, and a key opens only the endpoints its scopes name."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import ApiClient, ApiScope
from .selectors import client_scope
from .services import KeyRefused, api_client_for_key

KEYWORD = "Api-Key"

# The route names (router basenames, or a plain path's name) a key may call, and the scope each needs to
# read; writes need the write scope named here (None: a key never writes there). Anything else is closed
# to keys, so a new endpoint is not opened to systems by accident.
ROUTES = {
    "household": (ApiScope.READ_REGISTRY, None),
    "resident": (ApiScope.READ_REGISTRY, None),
    "building": (ApiScope.READ_REGISTRY, None),
    "grid": (ApiScope.READ_REGISTRY, None),
    "petition": (ApiScope.READ_PETITIONS, ApiScope.WRITE_PETITIONS),
    "api-petition-stats": (ApiScope.READ_PETITIONS, None),
}


def required_scope(url_name: str, method: str):
    """The scope a call needs, or None when keys may not make it."""
    route = ROUTES.get(url_name) or ROUTES.get(url_name.rsplit("-", 1)[0])
    if route is None:
        return None
    read, write = route
    return read if method in SAFE_METHODS else write


def key_may_call(client, request) -> bool:
    match = request._request.resolver_match
    scope = required_scope(match.url_name if match and match.url_name else "", request.method)
    return scope is not None and client.has_scope(scope)


def _key_parts(request) -> list:
    """The Authorization header's parts when it names the Api-Key scheme, else []."""
    parts = get_authorization_header(request).split()
    return parts if parts and parts[0].decode(errors="replace").lower() == KEYWORD.lower() else []


class ApiKeyAuthentication(BaseAuthentication):
    """First in DEFAULT_AUTHENTICATION_CLASSES, since DRF asks the first class for the challenge: a bad,
    unknown, revoked or expired key answers 401 with `WWW-Authenticate: Api-Key`; a request without a
    key goes on to the session, and without a login stays 403 as before (a browser session has no
    challenge to send). A valid key lacking the scope is 403, over its allowance 429."""

    # config.api_schema documents 429 on the operations of an authentication that refuses over a limit.
    may_throttle = True

    def authenticate(self, request):
        parts = _key_parts(request)
        if not parts:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the key as: Authorization: Api-Key <key>."))
        try:
            client = api_client_for_key(parts[1].decode(errors="replace"))
        except KeyRefused as exc:
            if exc.status == 429:
                raise exceptions.Throttled(detail=exc.message) from None
            raise exceptions.AuthenticationFailed(exc.message) from None
        # Read by integrations.middleware, which logs each write with the client (refused ones too).
        request._request.api_client = client
        if not key_may_call(client, request):
            raise exceptions.PermissionDenied(_("This API key's scopes do not include this endpoint."))
        user = client.user
        user._linli_scope = client_scope(client)
        return user, client

    def authenticate_header(self, request):
        # None (the schema asking) documents the challenge; a real request gets it only with a key.
        return KEYWORD if request is None or _key_parts(request) else None


class KeyScopePermission(BasePermission):
    """A key calls only the endpoints its scopes open. Listed first in DEFAULT_PERMISSION_CLASSES; the
    authentication checks it too, so a view with permission classes of its own (AllowAny, its own
    get_permissions) cannot drop it."""

    def has_permission(self, request, view):
        client = request.auth
        return not isinstance(client, ApiClient) or key_may_call(client, request)
