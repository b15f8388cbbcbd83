"""The query string of a map page → the arguments of `selectors.service_map`, one mapper for the public
page, the dashboard page, the guide PDF and the API."""

from .selectors import parse_kinds, parse_position


def map_query(data) -> dict:
    return {
        "kinds": parse_kinds(data.getlist("kind")),
        "building_id": (data.get("building") or "").strip() or None,
        "position": parse_position(data.get("lat"), data.get("lng")),
    }


def page_query_string(data) -> str:
    """The map's query string without the page number, for the pagination links."""
    params = data.copy()
    params.pop("page", None)
    return params.urlencode()
