"""Registry services: ID rules, moves that keep history, reveals that are logged, codes that keep history."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404

from accounts.models import RevealLog
from grids import services
from grids.models import CodeChange, Residence, Resident
from tests.factories import make_id_number

# The services run on both databases (select_for_update is a no-op on SQLite).
pytestmark = pytest.mark.sqlite

DAY = datetime.date(2024, 3, 1)


def new_resident(world, **kw):
    params = dict(
        by=world.alice,
        household=world.h1,
        kind=Residence.Kind.PERMANENT,
        relation=Residence.Relation.SPOUSE,
        moved_in=DAY,
        id_type=Resident.IdType.RESIDENT_ID,
        id_number=make_id_number(77, birth=datetime.date(1955, 2, 3), male=False),
        name="赵美华",
        phone="13600001234",
    )
    params.update(kw)
    return services.resident_create(**params)


def test_create_fills_birth_and_gender_and_encrypts(world):
    r = new_resident(world)
    assert (r.birth_date, r.gender) == (datetime.date(1955, 2, 3), "F")
    assert r.household == world.h1
    assert r.residences.get().moved_in == DAY
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number_encrypted, id_number_masked FROM grids_resident WHERE id = %s", [r.pk]
        )
        encrypted, masked = cursor.fetchone()
    number = make_id_number(77, birth=datetime.date(1955, 2, 3), male=False)
    assert number not in encrypted and masked == number[:4] + "*" * 10 + number[-4:]


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"id_number": "12345"}, "id_number"),
        (
            {"id_number": make_id_number(77)[:17] + ("0" if make_id_number(77)[17] != "0" else "1")},
            "id_number",
        ),
        ({"birth_date": datetime.date(1956, 2, 3)}, "birth_date"),
        ({"gender": "M"}, "gender"),
        ({"phone": "12345678901"}, "phone"),
        ({"id_type": Resident.IdType.PERMANENT_RESIDENCE}, "id_number"),
    ],
)
def test_bad_input_refused_and_nothing_saved(world, kw, field):
    before = Resident.objects.count()
    with pytest.raises(ValidationError) as error:
        new_resident(world, **kw)
    assert field in error.value.message_dict
    assert Resident.objects.count() == before


def test_permanent_residence_id_starting_with_9(world):
    first17 = "9" + make_id_number(5)[1:17]
    from grids.validators import id_check_digit

    r = new_resident(
        world, id_type=Resident.IdType.PERMANENT_RESIDENCE, id_number=first17 + id_check_digit(first17)
    )
    assert r.birth_date == datetime.date(1960, 5, 17)


def test_duplicate_id_number_refused(world):
    with pytest.raises(ValidationError) as error:
        new_resident(world, id_number=make_id_number(1, male=False), birth_date=None)
    assert "already registered" in str(error.value) or "已登记" in str(error.value)


def test_scope_of_create(world):
    with pytest.raises(Http404):
        new_resident(world, household=world.h3)
    with pytest.raises(PermissionDenied):
        new_resident(world, by=world.sam)


def test_move_keeps_history(world):
    r = world.r1
    world.h1.head = r
    world.h1.save()
    moved_in = r.residences.get().moved_in
    day = moved_in + datetime.timedelta(days=10)
    services.resident_move(resident=r, to_household=world.h2, on=day, by=world.alice)
    with pytest.raises(ValidationError):  # a move cannot predate the current move-in
        services.resident_move(
            resident=r, to_household=world.h1, on=day - datetime.timedelta(days=1), by=world.alice
        )
    services.resident_move(
        resident=r, to_household=None, on=day + datetime.timedelta(days=30), by=world.alice
    )
    r.refresh_from_db()
    world.h1.refresh_from_db()
    assert r.household is None and world.h1.head is None
    rows = list(r.residences.order_by("moved_in").values_list("household_id", "moved_in", "moved_out"))
    assert rows == [
        (world.h1.pk, moved_in, day),
        (world.h2.pk, day, day + datetime.timedelta(days=30)),
    ]


def test_move_outside_scope_is_404(world):
    with pytest.raises(Http404):
        services.resident_move(resident=world.r1, to_household=world.h3, by=world.alice)
    assert world.r1.residences.current().get().household == world.h1


def test_reveal_logs_and_checks_role(world):
    value = services.resident_reveal(resident=world.r1, field="id_number", by=world.alice, reason="上门核实")
    assert value == make_id_number(1, male=False)
    log = RevealLog.objects.get()
    assert (log.user, log.resident, log.field, log.reason) == (world.alice, world.r1, "id_number", "上门核实")
    for user in (world.vera, world.pete):
        with pytest.raises((PermissionDenied, Http404)):
            services.resident_reveal(resident=world.r1, field="phone", by=user, reason="看看")
    with pytest.raises(Http404):
        services.resident_reveal(resident=world.r3, field="phone", by=world.alice, reason="看看")
    with pytest.raises(PermissionDenied):
        services.resident_reveal(resident=world.r1, field="phone", by=world.sam, reason="看看")
    assert RevealLog.objects.count() == 1


def test_recode_keeps_history(world):
    services.place_recode(
        place=world.b1, new_code="330199001001001009", by=world.alice, reason="楼栋重新编号"
    )
    world.b1.refresh_from_db()
    change = CodeChange.objects.get(content_type__model="building")
    assert (change.old_code, change.new_code, change.place) == (
        "330199001001001001",
        "330199001001001009",
        world.b1,
    )
    with pytest.raises(ValidationError):
        services.place_recode(place=world.b1, new_code="999", by=world.alice, reason="x")
    with pytest.raises(PermissionDenied):
        services.place_recode(place=world.b1, new_code="330199001001001008", by=world.sam, reason="x")
    # The building's row and its dwelling's (whose code embeds the building's), no more.
    assert CodeChange.objects.count() == 2
    world.h1.refresh_from_db()
    assert world.h1.code.startswith("330199001001001009")


def test_recode_community_rewrites_the_codes_below_it(world):
    from grids.models import Building, Grid, Household, MicroGrid, ResidentialArea

    services.place_recode(place=world.c1, new_code="330199001009", by=world.alice, reason="社区合并调整")
    world.c1.refresh_from_db()
    assert world.c1.code == "330199001009"
    assert ResidentialArea.objects.get(pk=world.area1.pk).code == "330199001009001"
    assert Building.objects.get(pk=world.b1.pk).code == "330199001009001001"
    assert Household.objects.get(pk=world.h1.pk).code.startswith("330199001009001001")
    assert Grid.objects.get(pk=world.g1.pk).code == "01330199001009001000"
    assert MicroGrid.objects.get(pk=world.m1.pk).code == "01330199001009001001"
    # Community two is untouched, and every rewritten code still validates.
    assert Building.objects.get(pk=world.b3.pk).code == "330199001002001001"
    for model in (ResidentialArea, Building, Household, Grid, MicroGrid):
        for row in model.objects.all():
            row.full_clean()
    # One history row per rewritten code, the old code kept.
    household_change = CodeChange.objects.get(object_id=world.h1.pk, content_type__model="household")
    assert household_change.old_code == world.h1.code


def test_recode_refuses_a_code_collision(world):
    with pytest.raises(ValidationError):
        services.place_recode(place=world.c1, new_code="330199001002", by=world.alice, reason="x")
    from tests import factories as f

    f.BuildingFactory(area=world.area1, code="330199001001001007", name="7栋")
    f.HouseholdFactory(building=world.b1, unit=1, room="701")
    with pytest.raises(ValidationError):
        services.place_recode(place=world.b2, new_code="330199001001001007", by=world.alice, reason="x")
    assert not CodeChange.objects.exists()


def test_duplicate_lost_race_is_a_validation_error(world, monkeypatch):
    # Two clerks registering the same person at once: both pass the look-up, the unique index decides.
    monkeypatch.setattr(
        services, "check_id_number", lambda **kw: (kw["id_number"], kw["birth_date"], kw["gender"])
    )
    before = Resident.objects.count()
    with pytest.raises(ValidationError) as error:
        new_resident(
            world, id_number=make_id_number(1, male=False), birth_date=datetime.date(1960, 5, 17), gender="F"
        )
    assert "id_number" in error.value.message_dict
    assert Resident.objects.count() == before
