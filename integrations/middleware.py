"""Every use of an API key is logged with the client and the answer it got; a write also leaves a row
(the audit staff read in the admin). Reads only log: a row per read would double the cost of a read that
the key's limiter already writes for."""

import logging

from rest_framework.permissions import SAFE_METHODS

from .services import api_client_use_record

logger = logging.getLogger("linli.integrations")


class ApiClientUseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Set by the key's authentication (DRF) or the Open311 views once the key was accepted.
        client = getattr(request, "api_client", None)
        if client is None:
            return response
        logger.info(
            "api_client=%s %s %s status=%s", client.pk, request.method, request.path, response.status_code
        )
        if request.method not in SAFE_METHODS:
            api_client_use_record(
                client=client, method=request.method, path=request.path, status_code=response.status_code
            )
        return response
