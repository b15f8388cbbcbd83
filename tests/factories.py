"""factory-boy factories for the registry. Codes follow the hierarchy (a child's starts with its parent's); each
level's 3-digit part wraps (1-999), so a long suite's sequences never outgrow the code's length."""

import datetime

import factory
from django.utils import timezone

from accounts.models import RoleAssignment, User
from governance.models import Organisation, PartyMember, PartyOrganisation
from grids.models import (
    Building,
    Community,
    District,
    Grid,
    Household,
    MicroGrid,
    Residence,
    Resident,
    ResidentialArea,
    Street,
)
from grids.validators import id_check_digit


def other_id_number(seq: int) -> str:
    """A valid ID number that no resident of the `world` fixture has (born on another day)."""
    return make_id_number(seq, birth=datetime.date(1980, 1, 1) + datetime.timedelta(days=seq))


def make_id_number(seq: int, birth=None, male=True, region="330199") -> str:
    """A valid 18-digit resident ID number (GB 11643 check digit) with the given birth date and gender.

    Without a birth date, one is derived from `seq` so that numbers stay unique past 500 residents.
    """
    if birth is None:
        birth = datetime.date(1960, 5, 17) + datetime.timedelta(days=seq // 500)
    order = f"{(seq * 2 + (1 if male else 0)) % 1000:03d}"
    first17 = f"{region}{birth:%Y%m%d}{order}"
    return first17 + id_check_digit(first17)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = "330199"
    name = "示范区"


class StreetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Street

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"330199{n % 900 + 100:03d}")
    name = factory.Sequence(lambda n: f"和平街道{n}")


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    street = factory.SubFactory(StreetFactory)
    # Street and community codes have a fixed length and a long suite run makes over 999 of each: they
    # wrap, in 100-999, clear of the world's own 001 and 002.
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.street.code}{n % 900 + 100:03d}")
    name = factory.Sequence(lambda n: f"桂花社区{n}")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidentialArea

    community = factory.SubFactory(CommunityFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.community.code}{n % 999 + 1:03d}")
    name = factory.Sequence(lambda n: f"桂花苑{n}")


class GridFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grid

    community = factory.SubFactory(CommunityFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"01{o.community.code}{n % 999 + 1:03d}000")
    name = factory.Sequence(lambda n: f"第{n + 1}网格")


class MicroGridFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MicroGrid

    grid = factory.SubFactory(GridFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.grid.code[:17]}{n % 999 + 1:03d}")
    name = factory.Sequence(lambda n: f"微网格{n + 1}")


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    area = factory.SubFactory(AreaFactory)
    community = factory.SelfAttribute("area.community")
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.area.code}{n % 999 + 1:03d}")
    name = factory.Sequence(lambda n: f"{n + 1}栋")
    unit_count = 2
    floor_count = 6


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    building = factory.SubFactory(BuildingFactory)
    unit = 1
    room = factory.Sequence(lambda n: f"{(n % 6) + 1}{n % 100:02d}")
    floor = factory.LazyAttribute(lambda o: int(o.room[0]))
    code = factory.LazyAttribute(lambda o: f"{o.building.code}{o.unit:02d}{int(o.room):04d}")


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"居民{n}")
    gender = "M"
    birth_date = datetime.date(1960, 5, 17)
    phone = factory.Sequence(lambda n: f"138{n:08d}")

    @factory.post_generation
    def id_number(obj, create, extracted, **kwargs):
        number = extracted if extracted is not None else make_id_number(obj.pk or 0)
        obj.set_id_number(number)
        if create:
            obj.save()

    @factory.post_generation
    def home(obj, create, extracted, **kwargs):
        """Pass home=<Household> to move the resident in (a Residence row and the current pointer)."""
        if extracted is not None and create:
            Residence.objects.create(
                resident=obj,
                household=extracted,
                moved_in=timezone.localdate() - datetime.timedelta(days=365),
            )
            obj.household = extracted
            obj.save(update_fields=["household"])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.LazyAttribute(lambda o: o.username)
    password = factory.PostGenerationMethodCall("set_password", "linli-pass-2024")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def assign(user, role, place, **extra):
    """Give `user` a role at `place` (a District, Street, Community, Grid or MicroGrid)."""
    field = type(place).__name__.lower()
    return RoleAssignment.objects.create(user=user, role=role, **{field: place}, **extra)


class PartyOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyOrganisation

    name = factory.Sequence(lambda n: f"党组织{n}")
    level = PartyOrganisation.Level.COMMUNITY_COMMITTEE
    org_type = PartyOrganisation.OrgType.COMMITTEE
    community = factory.SubFactory(CommunityFactory)


class PartyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyMember

    resident = factory.SubFactory(ResidentFactory)
    organisation = factory.SubFactory(PartyOrganisationFactory)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"承办单位{n}")
    kind = Organisation.Kind.COMMUNITY_DEPARTMENT
    community = factory.SubFactory(CommunityFactory)
