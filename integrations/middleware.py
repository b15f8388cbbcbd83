"""Every write made with an API key leaves a row naming the client, with the answer it got."""

from rest_framework.permissions import SAFE_METHODS

from .services import api_client_use_record


class ApiClientUseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Set by the key's authentication (DRF) or the Open311 views once the key was accepted.
        client = getattr(request, "api_client", None)
        if client is not None and request.method not in SAFE_METHODS:
            api_client_use_record(
                client=client, method=request.method, path=request.path, status_code=response.status_code
            )
        return response
