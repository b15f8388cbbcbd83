import pytest

from cobuilding.models import CoBuildingUnit, Kind, Resource
from cobuilding.services import resource_save, unit_save
from governance.models import Organisation
from tests import factories as f
from tests.petitions.conftest import category, submit  # noqa: F401  (reused fixtures)
from tests.volunteers.conftest import vw  # noqa: F401


@pytest.fixture
def make_unit(world):
    """make_unit(name, community=c1): a co-building unit through the service, by that community's staff."""

    def make(name="桂花小学", community=None, **kw):
        community = community or world.c1
        org = f.OrganisationFactory(name=name, kind=Organisation.Kind.CO_BUILDING_UNIT, community=community)
        by = world.alice if community == world.c1 else world.erin
        kw.setdefault("unit_type", CoBuildingUnit.UnitType.SCHOOL)
        return unit_save(unit=CoBuildingUnit(organisation=org, **kw), by=by)

    return make


@pytest.fixture
def make_resource(world):
    def make(unit, title="多功能教室", kind=Kind.VENUE, **kw):
        by = world.alice if unit.community_id == world.c1.pk else world.erin
        return resource_save(resource=Resource(unit=unit, title=title, kind=kind, **kw), by=by)

    return make
