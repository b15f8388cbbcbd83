"""The address of the client a request comes from: the one answer that rate limits, django-axes, the
health check and audit records use.

Behind the reverse proxy REMOTE_ADDR is the proxy's own address. X-Forwarded-For is believed only when
the request comes from a proxy listed in TRUSTED_PROXIES, and then only as far as trusted proxies wrote
it: walking from the right, the first address that is not a trusted proxy is the client. Anything left of
it was sent by the client itself and could be made up.
"""

import functools
import ipaddress

from django.conf import settings


@functools.lru_cache(maxsize=8)
def _networks(cidrs: tuple[str, ...]):
    return tuple(ipaddress.ip_network(cidr.strip(), strict=False) for cidr in cidrs if cidr.strip())


def parse_trusted_proxies(cidrs) -> tuple:
    """The networks of TRUSTED_PROXIES; raises ValueError for an entry that is not an address or CIDR."""
    return _networks(tuple(cidrs))


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = parse_trusted_proxies(getattr(settings, "TRUSTED_PROXIES", ()))
    remote_address = _address(remote)
    if not trusted or remote_address is None or not _is_trusted(remote_address, trusted):
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    client = remote
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # A trusted proxy writes addresses only: the rest of the header is the client's own text.
            break
        client = str(address)
        if not _is_trusted(address, trusted):
            break
    return client


def _is_trusted(address, networks) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def is_local(request) -> bool:
    """The request comes from this machine (the container's own health check)."""
    address = _address(client_ip(request))
    return address is not None and address.is_loopback
