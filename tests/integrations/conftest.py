import datetime

import pytest
from django.utils import timezone

from integrations import services
from integrations.models import ApiClient, ApiScope
from petitions.models import Category

ALL_SCOPES = list(ApiScope.values)


@pytest.fixture
def category(db):
    return Category.objects.create(name="公共设施", accept_within=24, resolve_within=72)


@pytest.fixture
def make_key(world):
    """make_key(**fields) -> (client, raw key): a client of c1 with every scope, issued by alice."""

    def make(*, by=None, **fields):
        data = {
            "name": "城市服务平台",
            "community": world.c1,
            "scopes": ALL_SCOPES,
            "expires_at": timezone.now() + datetime.timedelta(days=30),
        }
        data.update(fields)
        client = ApiClient(**data)
        raw = services.api_client_save(client=client, by=by or world.alice)
        return client, raw

    return make


@pytest.fixture
def keyed():
    """keyed(raw) -> a DRF test client sending this API key."""
    from rest_framework.test import APIClient

    def make(raw):
        c = APIClient()
        c.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
        return c

    return make
