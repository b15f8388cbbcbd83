"""Response headers that tell the browser what a page may load and use: the Content-Security-Policy
(django-csp, with the map tile hosts added from settings at request time) and the Permissions-Policy.

The policy itself is CONTENT_SECURITY_POLICY in settings; this module only adds what depends on the
request or on settings that tests and deployments change at run time."""

from urllib.parse import urlsplit

from csp.constants import UNSAFE_EVAL
from csp.middleware import CSPMiddleware
from django.conf import settings

# Leaflet's own default when a template has {s} and no subdomains are configured.
LEAFLET_SUBDOMAINS = "abc"


def tile_sources() -> list[str]:
    """The origins the service map's tiles and labels come from, as CSP sources (one per subdomain)."""
    subdomains = settings.SERVICE_MAP_TILE_SUBDOMAINS or LEAFLET_SUBDOMAINS
    sources = []
    for template in (settings.SERVICE_MAP_TILE_URL, settings.SERVICE_MAP_LABEL_URL):
        if not template:
            continue
        parts = urlsplit(template)
        if not parts.scheme or not parts.netloc:
            continue
        hosts = (
            [parts.netloc.replace("{s}", s) for s in subdomains] if "{s}" in parts.netloc else [parts.netloc]
        )
        for host in hosts:
            source = f"{parts.scheme}://{host}"
            if source not in sources:
                sources.append(source)
    return sources


class LinliCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        extra = {}
        tiles = tile_sources()
        if tiles:
            extra["img-src"] = tiles
        # The admin theme (unfold) runs Alpine.js, whose standard build compiles expressions with
        # new Function(): only the admin gets 'unsafe-eval'; it still loads no inline or foreign script.
        if request.path_info.startswith(settings.CSP_ADMIN_PREFIX):
            extra["script-src"] = [UNSAFE_EVAL]
        if extra:
            update = dict(parts.update or {})
            for directive, sources in extra.items():
                current = update.get(directive) or []
                current = [current] if isinstance(current, str) else list(current)
                update[directive] = current + [s for s in sources if s not in current]
            parts.update = update
        return parts


class PermissionsPolicyMiddleware:
    """Sets the Permissions-Policy header from settings.PERMISSIONS_POLICY ({feature: [origins]})."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = ", ".join(
                f"{feature}=({' '.join(origins)})" for feature, origins in settings.PERMISSIONS_POLICY.items()
            )
        return response
