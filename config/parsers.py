"""The API's JSON parser: every endpoint takes an object (its fields by name), so a body that is valid
JSON but not an object ([…], "x", 42) is refused here with the API's error shape, before a view or a
form reads fields from it."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class ObjectJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            raise ParseError(_("The request body must be a JSON object with named fields."))
        return data
