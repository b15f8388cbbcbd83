"""seed_cobuilding after seed_demo and seed_projects: the demo community has units, resources, needs and
one match that made a project; a second run changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from cobuilding.models import Agreement, CoBuildingUnit, Match, Need, Resource

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (CoBuildingUnit, Resource, Agreement, Need, Match)]


def test_seed_cobuilding_is_idempotent():
    call_command("seed_demo", "--scale", "tiny", stdout=StringIO())
    call_command("seed_projects", stdout=StringIO())
    call_command("seed_cobuilding", stdout=StringIO())
    first = counts()
    assert first[0] >= 3 and first[4] >= 1
    out = StringIO()
    call_command("seed_cobuilding", stdout=out)
    assert counts() == first and "nothing to do" in out.getvalue()
    match = Match.objects.select_related("project").first()
    assert match.project.community_id == match.need.community_id
    assert Agreement.objects.filter(projects__isnull=False).exists()
