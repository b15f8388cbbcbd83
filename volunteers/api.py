"""REST API of this app, registered on the /api/v1/ router by config.api_urls."""


def register(router):
    """Add this app's viewsets to the shared router."""
