"""The OpenAPI schema describes the registry and party endpoints without a warning."""

from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

OURS = (
    "grids/api.py",
    "governance/api.py",
    "ResidentViewSet",
    "HouseholdViewSet",
    "PartyOrganisation",
    "PartyMember",
)


def test_registry_schema_has_no_warnings():
    GENERATOR_STATS.reset()
    GENERATOR_STATS.enable_trace_lineno()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    messages = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    GENERATOR_STATS.reset()
    assert [m for m in messages if any(name in m for name in OURS)] == []
    paths = schema["paths"]
    assert "/api/v1/residents/{id}/reveal/" in paths
    assert "requestBody" in paths["/api/v1/residents/{id}/reveal/"]["post"]
    for path in ("households", "residents", "buildings", "grids", "party/organisations", "party/members"):
        assert f"/api/v1/{path}/" in paths
