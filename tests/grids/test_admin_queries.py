"""The resident and household changelists run a constant number of queries, at 1 row and at 50."""

import datetime

import pytest

from grids.models import ResidentTag
from tests import factories as f


def fill(world, n):
    """Community two starts with one dwelling and one resident; grow both to n."""
    tag = ResidentTag.objects.create(code="elderly", name="高龄老人")
    world.r3.tags.add(tag)
    for i in range(n - 1):
        home = f.HouseholdFactory(building=world.b3, unit=1, room=f"{5 + i // 90}{i % 90 + 10:02d}")
        # Distinct birth dates keep the generated ID numbers unique whatever the primary keys are.
        birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=i)
        resident = f.ResidentFactory(home=home, id_number=f.make_id_number(i, birth=birth), birth_date=birth)
        resident.tags.add(tag)


@pytest.mark.parametrize("rows", [1, 50])
def test_resident_changelist_queries(world, client, django_assert_num_queries, rows):
    fill(world, rows)
    client.force_login(world.erin)
    # 1 session, 2 user, 3 role assignments (scope), 4 visible tags (tag filter), 5 areas, 6 buildings and
    # 7 grids (related-only filters), 8 count, 9-10 user and group permissions (unfold's sidebar), 11 the
    # page of residents with household and building, 12 their visible tags (prefetch).
    with django_assert_num_queries(12):
        response = client.get("/admin/grids/resident/")
    assert response.status_code == 200
    assert response.context["cl"].result_count == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_household_changelist_queries(world, client, django_assert_num_queries, rows):
    fill(world, rows)
    client.force_login(world.erin)
    # 1 session, 2 user, 3 role assignments (scope), 4 areas, 5 buildings and 6 grids (related-only
    # filters), 7 count, 8-9 user and group permissions, 10 the page of dwellings with building, grid and
    # resident count.
    with django_assert_num_queries(10):
        response = client.get("/admin/grids/household/")
    assert response.status_code == 200
    assert response.context["cl"].result_count == rows
