"""The work phones printed on cards are fields of their own, checked; organisations serve areas of their
own community only."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance import services
from governance.models import Organisation
from tests import factories as f


@pytest.mark.parametrize("phone", ["0571-86001001", "13812345678", "0571 8600 1001", "0571-86001001转123"])
def test_work_phones_accepted(world, phone):
    world.bob.work_phone = phone
    world.bob.full_clean()


@pytest.mark.parametrize("phone", ["12", "call me", "0571-8600100a", "=1+1"])
def test_bad_work_phone_is_refused_with_a_clear_message(world, phone):
    world.bob.work_phone = phone
    with pytest.raises(ValidationError) as error:
        world.bob.full_clean()
    assert "工作电话" in error.value.message_dict["work_phone"][0]


def test_user_admin_edits_the_work_phone(world, client_for):
    page = client_for(world.alice).get(reverse("admin:accounts_user_change", args=[world.bob.pk]))
    assert 'name="work_phone"' in page.content.decode()


def test_an_organisation_serves_areas_of_its_own_community_only(world):
    org = f.OrganisationFactory(community=world.c1, kind=Organisation.Kind.PROPERTY_COMPANY, name="绿城物业")
    with pytest.raises(ValidationError) as error:
        services.organisation_save(organisation=org, areas=[world.area1, world.area2], by=world.alice)
    assert "银杏里" in str(error.value)
    assert not org.areas.exists()
    services.organisation_save(organisation=org, areas=[world.area1], by=world.alice)
    assert list(org.areas.all()) == [world.area1]
