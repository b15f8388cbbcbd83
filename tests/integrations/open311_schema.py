"""JSON Schemas of the GeoReport v2 responses, written from the specification's field lists
(wiki.open311.org/GeoReport_v2): each response's fields with their types, required where the spec always
returns them. `XML_FIELDS` names the same fields for the XML documents (root, item element, fields)."""

STR = {"type": "string"}
STR_OR_NULL = {"type": ["string", "null"]}
W3C = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$"}
NUM_OR_NULL = {"type": ["number", "null"]}


def _array(item):
    return {"type": "array", "items": item}


def _object(properties, required=None):
    return {
        "type": "object",
        "properties": properties,
        "required": sorted(required if required is not None else properties),
        "additionalProperties": False,
    }


ERRORS = _array(_object({"code": {"type": "integer"}, "description": STR}))

DISCOVERY = _object(
    {
        "changeset": W3C,
        "contact": STR,
        "key_service": STR,
        "endpoints": _array(
            _object(
                {
                    "specification": {"const": "http://wiki.open311.org/GeoReport_v2"},
                    "url": STR,
                    "changeset": W3C,
                    "type": {"enum": ["production", "test"]},
                    "formats": _array({"enum": ["text/xml", "application/json"]}),
                }
            )
        ),
    }
)

SERVICES = _array(
    _object(
        {
            "service_code": STR,
            "service_name": STR,
            "description": STR_OR_NULL,
            "metadata": {"type": "boolean"},
            "type": {"enum": ["realtime", "batch", "blackbox"]},
            "keywords": STR_OR_NULL,
            "group": STR_OR_NULL,
        }
    )
)

SERVICE_DEFINITION = _object(
    {
        "service_code": STR,
        "attributes": _array(
            _object(
                {
                    "variable": {"type": "boolean"},
                    "code": STR,
                    "datatype": {
                        "enum": ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
                    },
                    "required": {"type": "boolean"},
                    "datatype_description": STR_OR_NULL,
                    "order": {"type": "integer"},
                    "description": STR,
                    "values": _array(_object({"key": STR, "name": STR})),
                }
            )
        ),
    }
)

REQUESTS = _array(
    _object(
        {
            "service_request_id": STR,
            "status": {"enum": ["open", "closed"]},
            "status_notes": STR_OR_NULL,
            "service_name": STR,
            "service_code": STR,
            "description": STR_OR_NULL,
            "agency_responsible": STR_OR_NULL,
            "service_notice": STR_OR_NULL,
            "requested_datetime": W3C,
            "updated_datetime": W3C,
            "expected_datetime": W3C,
            "address": STR_OR_NULL,
            "address_id": STR_OR_NULL,
            "zipcode": STR_OR_NULL,
            "lat": NUM_OR_NULL,
            "long": NUM_OR_NULL,
            "media_url": STR_OR_NULL,
        }
    )
)

POSTED = _array(
    _object(
        {"service_request_id": STR, "token": STR, "service_notice": STR_OR_NULL, "account_id": STR_OR_NULL},
        required=["service_request_id"],
    )
)

TOKENS = _array(_object({"service_request_id": STR, "token": STR}))

# name: (JSON schema, XML root, XML item element or None for a single object)
SCHEMAS = {
    "errors": (ERRORS, "errors", "error"),
    "discovery": (DISCOVERY, "discovery", None),
    "services": (SERVICES, "services", "service"),
    "service_definition": (SERVICE_DEFINITION, "service_definition", None),
    "requests": (REQUESTS, "service_requests", "request"),
    "posted": (POSTED, "service_requests", "request"),
    "tokens": (TOKENS, "service_requests", "request"),
}
