"""The OpenAPI schema of /api/v1/ builds and validates with no warning at all; /api/docs/ serves it without
a CDN; `check --deploy` regenerates it, so a new warning shows up on the server too."""

import re

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.settings import spectacular_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema_text(tmp_path):
    """Run `manage.py spectacular --fail-on-warn --validate` and return the schema it wrote."""
    GENERATOR_STATS.reset()
    target = tmp_path / "schema.yml"
    try:
        with GENERATOR_STATS.silence():
            call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(target))
    except Exception as exc:  # SchemaGenerationError names no warning: list them instead.
        problems = list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache)
        pytest.fail(f"schema generation failed ({exc}): {problems}")
    finally:
        problems = list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache)
        GENERATOR_STATS.reset()
    assert not problems, problems
    return target.read_text()


def test_schema_builds_and_validates_without_warnings(schema_text):
    assert "/api/v1/" in schema_text


def test_choice_enums_have_stable_names(schema_text):
    # Several models call a choice field `kind` or `status`: each enum gets a readable name from
    # ENUM_NAME_OVERRIDES, never a generated hash that changes whenever a choice list does.
    for name in ("PetitionKindEnum", "PetitionStatusEnum", "OfferKindEnum", "CouponStatusEnum"):
        assert f"    {name}:\n" in schema_text, name
    assert not re.findall(r"^    \w+?\d+Enum:$", schema_text, flags=re.M)


def test_action_responses_are_typed(schema_text):
    # The small JSON answers of actions are described, not a free-form object.
    for name in ("NotificationsMarked", "NotificationsUnread", "CouponRedeemed", "Error", "FieldErrors"):
        assert f"    {name}:\n" in schema_text, name


def test_deploy_check_generates_the_schema_and_finds_nothing():
    assert spectacular_settings.ENABLE_DJANGO_DEPLOY_CHECK
    GENERATOR_STATS.reset()
    messages = [m for m in run_checks(include_deployment_checks=True) if m.id.startswith("drf_spectacular")]
    assert messages == []


def test_api_docs_use_the_vendored_swagger_ui(client, world):
    client.force_login(world.alice)
    body = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in body
    assert "cdn" not in body.lower()
