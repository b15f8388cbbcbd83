"""The factories' codes keep their fixed width however many tests ran before in the session."""

import pytest

from tests import factories as f


@pytest.mark.django_db
def test_codes_keep_their_width_after_a_thousand_calls():
    for factory_class in (f.CommunityFactory, f.AreaFactory, f.GridFactory, f.BuildingFactory):
        factory_class.reset_sequence(999)
    household = f.HouseholdFactory()
    building = household.building
    assert (len(building.community.code), len(building.area.code), len(building.code)) == (12, 15, 18)
    assert len(f.GridFactory(community=building.community).code) == 20
