"""The OpenAPI schema of /api/v1/ builds and validates; /api/docs/ serves it without a CDN."""

import pytest
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS

pytestmark = pytest.mark.django_db


def test_schema_builds_and_validates_without_errors(tmp_path):
    GENERATOR_STATS._error_cache.clear()
    GENERATOR_STATS._warn_cache.clear()
    with GENERATOR_STATS.silence():
        call_command("spectacular", "--validate", "--file", str(tmp_path / "schema.yml"))
    assert not GENERATOR_STATS._error_cache, list(GENERATOR_STATS._error_cache)
    assert "/api/v1/" in (tmp_path / "schema.yml").read_text()


def test_api_docs_use_the_vendored_swagger_ui(client, world):
    client.force_login(world.alice)
    body = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in body
    assert "cdn" not in body.lower()
