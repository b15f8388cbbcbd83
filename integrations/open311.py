"""Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2), in JSON and XML, under /open311/v2/.

jurisdiction_id is a community's statistical code; service_code a request category's id; a request's
service_request_id the petition's id (never its tracking code, which opens the resident's own page).
GET answers anyone and shows no personal data: no names, phones, rooms or the resident's own words (the
description is the summary staff wrote for the public board). POST needs an API key with the Open311
scope, bound to the jurisdiction. Errors are the spec's list of {code, description}."""

import datetime
import xml.etree.ElementTree as ET  # nosec B405 # only writes XML; nothing here parses input

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from config.client_ip import client_ip
from petitions.models import Petition

from . import selectors
from .models import Open311Request
from .services import KeyRefused, api_client_for_key, open311_request_submit

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this endpoint last changed what it serves (the discovery's changeset).
CHANGESET = "2026-12-02T00:00:00+08:00"
FORMATS = {"json": "application/json", "xml": "text/xml"}
MAX_REQUESTS = 1000  # the spec's ceiling on one answer
DEFAULT_WINDOW = datetime.timedelta(days=90)  # the spec's default period


class Open311Error(Exception):
    def __init__(self, status, description):
        super().__init__(description)
        self.status, self.description = status, str(description)


# --- rendering ----------------------------------------------------------------------------------------


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _xml_value(parent, name, value):
    node = ET.SubElement(parent, name)
    if isinstance(value, list):
        # <attributes><attribute>…, <values><value>…, <formats><format>…, <endpoints><endpoint>…
        child = name[:-1]
        for item in value:
            if isinstance(item, dict):
                _xml_dict(ET.SubElement(node, child), item)
            else:
                ET.SubElement(node, child).text = _text(item)
    else:
        node.text = _text(value)


def _xml_dict(node, data):
    for key, value in data.items():
        _xml_value(node, key, value)


def render(fmt, data, *, root, item=None, status=200):
    """The same rows in either format: JSON as the spec's arrays and objects, XML with `root` around one
    `item` element per row (or `root` holding one object's fields when `item` is None)."""
    if fmt == "json":
        return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    top = ET.Element(root)
    if item is None:
        _xml_dict(top, data)
    else:
        for row in data:
            _xml_dict(ET.SubElement(top, item), row)
    body = ET.tostring(top, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def error(fmt, status, description):
    rows = [{"code": status, "description": str(description)}]
    return render(fmt if fmt in FORMATS else "json", rows, root="errors", item="error", status=status)


def open311_view(methods):
    """Wraps a view(request, fmt, …): Open311Error becomes the spec's error list in the asked format."""

    def decorate(view):
        @csrf_exempt  # machines post with a key, not with a session cookie
        def wrapper(request, fmt, *args, **kwargs):
            if request.method not in methods:
                response = error(fmt, 405, _("This method is not allowed here."))
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, fmt, *args, **kwargs)
            except Open311Error as exc:
                return error(fmt, exc.status, exc.description)

        wrapper.__name__ = view.__name__
        return wrapper

    return decorate


def w3c(dt):
    return timezone.localtime(dt).isoformat(timespec="seconds") if dt else None


def _jurisdiction(request, *, required=True):
    code = request.POST.get("jurisdiction_id") if request.method == "POST" else None
    code = code or request.GET.get("jurisdiction_id")
    if not code:
        if required:
            raise Open311Error(400, _("jurisdiction_id was not provided."))
        return None
    community = selectors.open311_jurisdiction(code)
    if community is None:
        raise Open311Error(404, _("jurisdiction_id not found."))
    return community


# --- rows ---------------------------------------------------------------------------------------------


def service_row(category):
    return {
        "service_code": str(category.pk),
        "service_name": category.name,
        "description": category.name,
        "metadata": bool(category.has_attributes),
        "type": "realtime",
        "keywords": "",
        "group": "",
    }


def attribute_row(attribute):
    return {
        "variable": True,
        "code": attribute.code,
        "datatype": attribute.datatype,
        "required": attribute.required,
        "datatype_description": attribute.datatype_description or None,
        "order": attribute.order,
        "description": attribute.description,
        "values": [{"key": str(v.get("key")), "name": str(v.get("name"))} for v in attribute.values],
    }


def request_row(p):
    """A petition as the spec's service request, with nothing that names or reaches a person."""
    extra = getattr(p, "open311", None)  # None for requests that did not come through Open311
    lat = extra.latitude if extra and extra.latitude is not None else p.community.latitude
    long = extra.longitude if extra and extra.longitude is not None else p.community.longitude
    place = f"{p.building.area.name}{p.building.name}" if p.building_id else ""
    return {
        "service_request_id": str(p.pk),
        "status": "open" if p.status in Petition.OPEN_STATUSES else "closed",
        "status_notes": str(p.get_status_display()),
        "service_name": p.category.name,
        "service_code": str(p.category_id),
        "description": p.public_summary or None,
        "agency_responsible": p.assignee_org.name if p.assignee_org_id else p.community.name,
        "service_notice": None,
        "requested_datetime": w3c(p.created_at),
        "updated_datetime": w3c(p.updated_at),
        "expected_datetime": w3c(p.resolve_due_at or p.accept_due_at),
        "address": " ".join(x for x in (p.community.name, place) if x),
        "address_id": p.building.code if p.building_id else None,
        "zipcode": None,
        "lat": float(lat) if lat is not None else None,
        "long": float(long) if long is not None else None,
        "media_url": None,
    }


# --- views --------------------------------------------------------------------------------------------


@open311_view(["GET"])
def discovery(request, fmt):
    base = settings.PUBLIC_BASE_URL or request.build_absolute_uri("/").rstrip("/")
    data = {
        "changeset": CHANGESET,
        "contact": getattr(settings, "OPEN311_CONTACT", "") or _("Ask the community office for an API key."),
        "key_service": _("API keys are issued by community staff in the admin (API clients)."),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": f"{base}/open311/v2",
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(fmt, data, root="discovery")


@open311_view(["GET"])
def services(request, fmt):
    community = _jurisdiction(request)
    rows = [service_row(c) for c in selectors.open311_services(community)]
    return render(fmt, rows, root="services", item="service")


@open311_view(["GET"])
def service_definition(request, fmt, code):
    community = _jurisdiction(request)
    category = selectors.open311_service(community, code)
    if category is None:
        raise Open311Error(404, _("service_code not found."))
    data = {
        "service_code": str(category.pk),
        "attributes": [attribute_row(a) for a in category.open311_attributes.all()],
    }
    return render(fmt, data, root="service_definition")


def _dt(name):
    def parse(value):
        dt = parse_datetime(value)
        if dt is None:
            raise Open311Error(
                400, _("%(name)s is not a date and time such as 2026-05-01T09:30:00+08:00.") % {"name": name}
            )
        return dt if timezone.is_aware(dt) else timezone.make_aware(dt)

    return parse


def _list(value):
    return [v.strip() for v in value.split(",") if v.strip()]


def _ids(value, message):
    """A comma-separated list of ids (at most 9 digits each: a database id, not an overflow)."""
    ids = _list(value)
    if not ids or not all(i.isdigit() and len(i) <= 9 for i in ids):
        raise Open311Error(400, message)
    return [int(i) for i in ids]


def _requests_list(request, fmt):
    community = _jurisdiction(request)
    qs = selectors.open311_requests(community)
    q = request.GET
    if q.get("service_request_id"):
        # The spec: a list of ids overrides every other filter.
        ids = _ids(q["service_request_id"], _("service_request_id must be a comma-separated list of ids."))
        qs = qs.filter(pk__in=ids)
    else:
        if q.get("service_code"):
            qs = qs.filter(category_id__in=_ids(q["service_code"], _("service_code not found.")))
        start = _dt("start_date")(q["start_date"]) if q.get("start_date") else None
        end = _dt("end_date")(q["end_date"]) if q.get("end_date") else None
        if start and end and start > end:
            raise Open311Error(400, _("start_date must come before end_date."))
        if start is None and end is None:
            end = timezone.now()
        if start is None:
            start = end - DEFAULT_WINDOW
        qs = qs.filter(created_at__gte=start)
        if end is not None:
            qs = qs.filter(created_at__lte=end)
        if q.get("status"):
            statuses = set(_list(q["status"]))
            if not statuses <= {"open", "closed"}:
                raise Open311Error(400, _("status must be open, closed or both."))
            if statuses == {"open"}:
                qs = qs.filter(status__in=Petition.OPEN_STATUSES)
            elif statuses == {"closed"}:
                qs = qs.exclude(status__in=Petition.OPEN_STATUSES)
    rows = [request_row(p) for p in qs[:MAX_REQUESTS]]
    return render(fmt, rows, root="service_requests", item="request")


def _key(request):
    raw = request.POST.get("api_key") or ""
    header = request.headers.get("Authorization", "")
    if not raw and header.lower().startswith("api-key "):
        raw = header.split(None, 1)[1]
    if not raw:
        raise Open311Error(403, _("api_key was not provided."))
    try:
        client = api_client_for_key(raw)
    except KeyRefused as exc:
        raise Open311Error(exc.status, exc.message) from None
    request.api_client = client  # the write is logged with it (integrations.middleware)
    return client


def _attributes(post):
    out = {}
    for key in post:
        if key.startswith("attribute[") and key.endswith("]"):
            name = key[len("attribute[") : -1]
            # attribute[code][] is how the spec's examples send a multivaluelist.
            name = name.removesuffix("][")
            out.setdefault(name, []).extend(post.getlist(key))
    return out


def _requests_post(request, fmt):
    client = _key(request)
    community = _jurisdiction(request)
    code = request.POST.get("service_code")
    if not code:
        raise Open311Error(400, _("service_code was not provided."))
    category = selectors.open311_service(community, code)
    if category is None:
        raise Open311Error(404, _("service_code not found."))
    try:
        row = open311_request_submit(
            client=client,
            community=community,
            category=category,
            data=request.POST,
            attributes=_attributes(request.POST),
            ip=client_ip(request),
        )
    except KeyRefused as exc:
        raise Open311Error(exc.status, exc.message) from None
    except PermissionDenied as exc:
        raise Open311Error(403, str(exc)) from None
    except ValidationError as exc:
        raise Open311Error(400, _describe(exc)) from None
    rows = [
        {
            "service_request_id": str(row.petition_id),
            "token": row.token,
            "service_notice": _("Received. The community answers within its deadlines."),
            "account_id": None,
        }
    ]
    return render(fmt, rows, root="service_requests", item="request", status=201)


def _describe(exc):
    if hasattr(exc, "error_dict"):
        return " ".join(
            f"{field}: {' '.join(str(m) for e in errors for m in e.messages)}"
            for field, errors in exc.error_dict.items()
        )
    return " ".join(exc.messages)


@open311_view(["GET", "POST"])
def requests(request, fmt):
    if request.method == "POST":
        return _requests_post(request, fmt)
    return _requests_list(request, fmt)


@open311_view(["GET"])
def request_detail(request, fmt, pk):
    community = _jurisdiction(request)
    p = selectors.open311_requests(community).filter(pk=int(pk)).first()
    if p is None:
        raise Open311Error(404, _("service_request_id not found."))
    return render(fmt, [request_row(p)], root="service_requests", item="request")


@open311_view(["GET"])
def token(request, fmt, token):
    community = _jurisdiction(request, required=False)
    row = Open311Request.objects.filter(token=token).select_related("petition").first()
    if row is None or (community is not None and row.petition.community_id != community.pk):
        raise Open311Error(404, _("token not found."))
    rows = [{"service_request_id": str(row.petition_id), "token": row.token}]
    return render(fmt, rows, root="service_requests", item="request")
