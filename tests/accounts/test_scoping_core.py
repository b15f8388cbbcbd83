from grids.models import Household, Resident


def test_each_role_sees_only_its_patch(world):
    expect = {
        world.alice: {world.h1, world.h2},
        world.erin: {world.h3},
        world.sam: {world.h1, world.h2, world.h3},
        world.dana: {world.h1, world.h2, world.h3},
        world.bob: {world.h1},
        world.dave: {world.h2},
        world.gwen: {world.h3},
        world.mia: {world.h1},
        world.pete: set(),
        world.vera: set(),
        world.carol: set(),
    }
    for user, households in expect.items():
        assert set(Household.objects.visible_to(user)) == households, user.username


def test_officials_above_the_community_only_read(world):
    assert set(Household.objects.editable_by(world.sam)) == set()
    assert set(Household.objects.editable_by(world.alice)) == {world.h1, world.h2}


def test_residents_follow_their_dwelling(world):
    assert list(Resident.objects.visible_to(world.bob)) == [world.r1]
