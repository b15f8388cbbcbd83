"""seed_demo: realistic, valid, covering, idempotent demo data with a login for every role."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import RoleAssignment, User
from accounts.roles import Role
from governance.models import Organisation, PartyMember, PartyOrganisation
from grids.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERS, Loader, years_after
from grids.models import Building, Community, Grid, Household, MicroGrid, Residence, Resident, ResidentTag
from grids.validators import parse_id_number

pytestmark = [pytest.mark.sqlite, pytest.mark.django_db]

MODELS = [
    Community,
    Building,
    Grid,
    MicroGrid,
    Household,
    Resident,
    Residence,
    ResidentTag,
    PartyOrganisation,
    PartyMember,
    Organisation,
    User,
    RoleAssignment,
]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def seed(scale):
    out = StringIO()
    call_command("seed_demo", "--scale", scale, stdout=out)
    return out.getvalue()


def test_small_scale_twice_changes_nothing():
    first_output = seed("small")
    first = counts()
    second_output = seed("small")
    assert counts() == first
    assert "already loaded" in second_output and "already loaded" not in first_output
    # The sizes the issue asks for: two communities, ~25 buildings, ~500 dwellings, ~1,400 residents.
    assert first["Community"] == 2
    assert 20 <= first["Building"] <= 30
    assert 450 <= first["Household"] <= 550
    assert 1200 <= first["Resident"] <= 1600
    # Every login is printed, with the shared password.
    for username, *_ in DEMO_USERS:
        assert username in first_output
    assert DEMO_PASSWORD in first_output


def test_small_scale_is_valid_and_covering():
    seed("small")
    # Every building is in a grid, every dwelling in a micro-grid of that grid.
    assert not Building.objects.filter(grid__isnull=True).exists()
    assert not Household.objects.uncovered().exists()
    assert not Household.objects.filter(microgrid__isnull=True).exists()
    for household in Household.objects.select_related("building", "microgrid")[:50]:
        assert household.code.startswith(household.building.code) and len(household.code) == 24
        assert household.microgrid.grid_id == household.building.grid_id
    for grid in Grid.objects.select_related("community"):
        assert len(grid.code) == 20 and grid.code[2:14] == grid.community.code and grid.code.endswith("000")
    for micro in MicroGrid.objects.select_related("grid"):
        assert micro.code[:17] == micro.grid.code[:17]
    # A phone search by its last 4 digits finds the demo residents too.
    resident = Resident.objects.exclude(phone_encrypted="").first()
    assert resident.phone_last4 == resident.phone[-4:]
    # Residents: valid ID numbers that match birth date and gender, a current residence row each.
    residents = list(Resident.objects.all()[:200])
    for resident in residents:
        birth, gender = parse_id_number(resident.reveal_id_number())
        assert (birth, gender) == (resident.birth_date, resident.gender)
        assert resident.phone == "" or resident.phone_masked.count("*") == 4
    assert Residence.objects.current().count() == Resident.objects.filter(household__isnull=False).count()
    assert set(Residence.objects.values_list("kind", flat=True)) == {"hukou", "permanent", "floating"}
    assert Household.objects.filter(use="vacant", residents__isnull=True).exists()
    assert Resident.objects.filter(tags__code="elderly_alone").exists()
    assert ResidentTag.objects.filter(sensitive=True).count() >= 3
    # The party organisation at four levels, with members, some in service.
    assert set(PartyOrganisation.objects.values_list("level", flat=True)) == {1, 2, 3, 4}
    assert PartyOrganisation.objects.filter(outside_territory=True).exists()
    assert PartyMember.objects.filter(in_service=True).exists()
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert {"community_department", "property_company", "co_building_unit", "owners_committee"} <= kinds


def test_demo_users_hold_every_role_and_can_log_in():
    seed("small")
    roles = set(RoleAssignment.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    for username, role, *_ in DEMO_USERS:
        user = User.objects.get(username=username)
        assert user.is_active and user.check_password(DEMO_PASSWORD), username
        assert user.has_role(role), username
    staff = User.objects.get(username="staff")
    assert Household.objects.visible_to(staff).count() > 0
    assert User.objects.get(username="partymember").party_member is not None
    assert User.objects.get(username="resident").resident is not None


def test_tiny_scale_beside_small():
    seed("small")
    before = counts()
    seed("tiny")
    seed("tiny")
    after = counts()
    assert after["Household"] == before["Household"] + 24
    assert User.objects.filter(username="t_staff").exists()


@pytest.mark.parametrize("today", [datetime.date(2028, 2, 29), datetime.date(2027, 3, 1)])
def test_seed_across_a_leap_day(monkeypatch, today):
    # Everyone born on 29 February (a spouse is the head moved by some days, so the seed can make one),
    # loaded on a leap day and on the day after one: a party member's joining day in a common year and
    # every date derived from today must still exist.
    monkeypatch.setattr(Loader, "birth", lambda self, age_from, age_to: datetime.date(1960, 2, 29))
    monkeypatch.setattr(timezone, "localdate", lambda *args: today)
    seed("tiny")
    joined = set(PartyMember.objects.values_list("joined_party_on", flat=True))
    assert joined and all(day.month == 2 and day.day in (28, 29) for day in joined)
    assert any(day.day == 28 for day in joined)  # a common year, where 29 February would have crashed


def test_years_after():
    assert years_after(datetime.date(2000, 2, 29), 1) == datetime.date(2001, 2, 28)
    assert years_after(datetime.date(2000, 2, 29), 4) == datetime.date(2004, 2, 29)
    assert years_after(datetime.date(2001, 3, 1), 20) == datetime.date(2021, 3, 1)
