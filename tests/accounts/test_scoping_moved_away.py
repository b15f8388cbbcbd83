import datetime

from grids.models import Resident
from grids.services import resident_move


def test_people_who_moved_away_stay_with_community_staff_not_with_the_grid(world):
    resident_move(resident=world.r1, to_household=None, on=datetime.date.today(), by=world.alice)

    assert world.r1 in Resident.objects.visible_to(world.alice)  # history stays with the community
    assert world.r1 in Resident.objects.editable_by(world.alice)  # so staff can move them back
    assert world.r1 not in Resident.objects.visible_to(world.bob)  # no longer in the grid leader's patch
    assert world.r1 not in Resident.objects.visible_to(world.erin)  # never lived in erin's community
    # A person with several past dwellings in the community is still listed once.
    assert Resident.objects.visible_to(world.alice).filter(pk=world.r1.pk).count() == 1
