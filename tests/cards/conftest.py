"""A community whose first building has every post of a contact card filled in."""

import pytest

from governance.models import Organisation, PartyOrganisation
from tests import factories as f

# Work phones printed on the card; the private mobiles below must never be.
PHONES = {
    "secretary": "0571-86001001",
    "owners": "0571-86001002",
    "property": "0571-86001003",
    "grid": "0571-86001004",
    "leader": "0571-86001005",
}
PRIVATE = ["13911112222", "13600001111", "13812345678"]


@pytest.fixture
def card_world(world):
    w = world
    secretary_account = f.UserFactory(
        username="zhouhm", display_name="周红梅", community=w.c1, work_phone=PHONES["secretary"]
    )
    secretary = f.ResidentFactory(name="周红梅", phone="13911112222", home=f.HouseholdFactory(building=w.b2))
    branch = f.PartyOrganisationFactory(
        community=w.c1,
        name="桂花苑党支部",
        level=PartyOrganisation.Level.AREA_BRANCH,
        org_type=PartyOrganisation.OrgType.BRANCH,
        parent=w.committee,
        area=w.area1,
    )
    branch.secretary = f.PartyMemberFactory(resident=secretary, user=secretary_account, organisation=branch)
    branch.save()
    owners = f.OrganisationFactory(
        community=w.c1,
        name="桂花苑业主委员会",
        kind=Organisation.Kind.OWNERS_COMMITTEE,
        contact_name="陈志强",
        contact_phone=PHONES["owners"],
    )
    owners.areas.add(w.area1)
    company = f.OrganisationFactory(
        community=w.c1,
        name="绿城物业",
        kind=Organisation.Kind.PROPERTY_COMPANY,
        contact_name="刘海燕",
        contact_title="项目经理",
        contact_phone=PHONES["property"],
    )
    company.areas.add(w.area1)
    w.bob.display_name, w.bob.phone, w.bob.work_phone = "赵国庆", "13600001111", PHONES["grid"]
    w.bob.save()
    w.carol.work_phone = PHONES["leader"]
    w.carol.save()
    w.b1.leader = w.r1  # 张桂兰, whose account is carol's
    w.b1.save()
    w.branch, w.owners, w.company, w.secretary = branch, owners, company, secretary
    return w
