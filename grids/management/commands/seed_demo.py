"""Load demo data: a street with communities, buildings, households, residents, grids, the party
organisation, dispatch organisations and a demo user for every role.

    python manage.py seed_demo --scale small      # the default of `make run`
    python manage.py seed_demo --scale district   # >= 30,000 households, >= 100,000 residents, for bench/
    python manage.py seed_demo --scale tiny       # a few dozen households, for tests

It is a loader, so it bulk-inserts rows directly instead of going through the services one by one.
Running it twice changes nothing: each scale lives under its own district code, and a district that
already exists is left alone. Everything is written in one transaction, so a half-loaded scale cannot
exist. Every ID number is valid (GB 11643 check digit), consistent with the birth date and gender, and
encrypted like any other (Fernet costs about 2 s per 100,000 numbers here, so all of them are encrypted).
Measured on the shared 2-core machine with PostgreSQL: small about 1 s; district (38,400 dwellings,
about 114,000 residents) about 70 s.
"""

import datetime
import random
import time
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from faker import Faker
from faker.providers.person.zh_CN import Provider as PersonProvider

from accounts.models import RoleAssignment, User
from accounts.roles import Role
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
    ResidentTag,
    Street,
)
from grids.validators import id_check_digit

DEMO_PASSWORD = "linli-demo-2024"  # nosec B105 # the documented demo login

# The demo logins (username, role, where). The README cites this list; every one uses DEMO_PASSWORD.
# "first community" etc. refer to the small scale: 和平街道 → 桂花社区 (first) and 银杏社区 (second).
DEMO_USERS = [
    ("district", Role.DISTRICT_OFFICIAL, "district", "the district (read-only)"),
    ("street", Role.STREET_OFFICIAL, "street", "the street (read-only)"),
    ("staff", Role.COMMUNITY_STAFF, "community:0", "first community"),
    ("staff2", Role.COMMUNITY_STAFF, "community:1", "second community"),
    ("secretary", Role.BRANCH_SECRETARY, "community:0", "first community"),
    ("gridworker", Role.GRID_WORKER, "grid:0", "first grid of the first community"),
    ("gridleader", Role.GRID_LEADER, "grid:0", "first grid of the first community"),
    ("microleader", Role.MICROGRID_LEADER, "microgrid:0", "first micro-grid of the first grid"),
    ("partymember", Role.PARTY_MEMBER, "community:0", "first community"),
    ("volunteer", Role.VOLUNTEER, "community:0", "first community"),
    ("merchant", Role.MERCHANT, "community:0", "first community"),
    ("resident", Role.RESIDENT, "community:0", "first community"),
]


@dataclass(frozen=True)
class Scale:
    district_code: str
    district_name: str
    streets: int
    communities_per_street: int
    areas_per_community: int
    buildings_per_area: int
    units: int
    floors: int
    rooms_per_floor: int
    buildings_per_grid: int
    # Usernames of demo users at this scale start with this, so scales can share a database.
    user_prefix: str
    extra_leaders: bool = True


SCALES = {
    # 2 communities × 2 areas × 6 buildings × 2 units × 5 floors × 2 rooms = 480 dwellings.
    "small": Scale("330199", "示范区", 1, 2, 2, 6, 2, 5, 2, 6, ""),
    # 12 communities × 4 areas × 20 buildings × 2 units × 10 floors × 2 rooms = 38,400 dwellings.
    "district": Scale("330198", "基准区", 3, 4, 4, 20, 2, 10, 2, 8, "d_"),
    # 2 communities × 1 area × 2 buildings × 1 unit × 3 floors × 2 rooms = 24 dwellings.
    "tiny": Scale("330197", "微型区", 1, 2, 1, 2, 1, 3, 2, 2, "t_", extra_leaders=False),
}

COMMUNITY_WORDS = [
    "桂花",
    "银杏",
    "枫林",
    "翠竹",
    "梧桐",
    "海棠",
    "紫荆",
    "香樟",
    "玉兰",
    "丁香",
    "石榴",
    "青松",
    "芙蓉",
    "月季",
    "兰亭",
    "荷塘",
]
AREA_WORDS = ["嘉园", "新村", "花园", "雅苑", "名邸", "大院", "小区", "家园", "华庭", "景苑", "里", "公寓"]
STREET_WORDS = ["和平", "安居", "东湖", "清河", "长乐", "望江"]
DEPARTMENTS = ["民政服务站", "综治办", "城建环卫", "社区卫生服务站", "文体活动中心"]
TAGS = [
    # code, name, needs attention, sensitive
    ("elderly_alone", "独居老人", True, False),
    ("elderly_80", "高龄老人", True, False),
    ("low_income", "低保户", True, False),
    ("left_behind_child", "留守儿童", True, False),
    ("disabled", "残疾人", True, True),
    ("chronic_illness", "慢性病患者", True, True),
    ("community_correction", "社区矫正对象", True, True),
    ("veteran", "退役军人", False, False),
]


def years_after(day, years):
    """The same day `years` later; 29 February becomes 28 February in a common year (a spouse's birth
    date is the head's moved by some days, so it can fall on a leap day)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class Command(BaseCommand):
    help = "Load demo data (idempotent): --scale small (default), district (benchmarks) or tiny (tests)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=20240701, help="Random seed (same seed, same data).")

    def handle(self, *args, scale, seed, **options):
        config = SCALES[scale]
        started = time.monotonic()
        if District.objects.filter(code=config.district_code).exists():
            self.stdout.write(f"Demo data for scale '{scale}' is already loaded; nothing to do.")
        else:
            with transaction.atomic():
                counts = Loader(config, seed, self.stdout).load()
            self.stdout.write(
                f"Loaded scale '{scale}' in {time.monotonic() - started:.1f} s: "
                + ", ".join(f"{k} {v}" for k, v in counts.items())
            )
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
        for username, role, _place, where in DEMO_USERS:
            self.stdout.write(f"  {config.user_prefix}{username:<12} {Role(role).label} — {where}")


class Loader:
    BATCH = 2000

    def __init__(self, config: Scale, seed: int, stdout):
        self.c = config
        self.rnd = random.Random(seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self.stdout = stdout
        self.today = timezone.localdate()
        self.password = make_password(DEMO_PASSWORD)
        self.last_names = list(PersonProvider.last_names)
        self.last_weights = list(PersonProvider.last_names.values())
        self.male_names = list(PersonProvider.first_names_male)
        self.female_names = list(PersonProvider.first_names_female)
        self.id_orders: dict[tuple, int] = {}

    # --- helpers -----------------------------------------------------------------------------------
    def surname(self):
        return self.rnd.choices(self.last_names, self.last_weights)[0]

    def name(self, gender, surname=None):
        first = self.rnd.choice(self.male_names if gender == "M" else self.female_names)
        return (surname or self.surname()) + first

    def id_number(self, birth: datetime.date, gender: str) -> str:
        """A unique valid ID number: district code, birth date, a sequence whose parity is the gender."""
        key = (birth, gender)
        n = self.id_orders.get(key, 0)
        self.id_orders[key] = n + 1
        order = n * 2 + (1 if gender == "M" else 0)
        first17 = f"{self.c.district_code}{birth:%Y%m%d}{order:03d}"
        return first17 + id_check_digit(first17)

    def phone(self):
        return f"1{self.rnd.choice('3456789')}{self.rnd.randrange(10**9):09d}"

    def birth(self, age_from, age_to):
        age = self.rnd.randint(age_from, age_to)
        return datetime.date(self.today.year - age, self.rnd.randint(1, 12), self.rnd.randint(1, 28))

    def bulk(self, model, objs):
        return model.objects.bulk_create(objs, batch_size=self.BATCH)

    # --- the load ----------------------------------------------------------------------------------
    def load(self):
        c, rnd = self.c, self.rnd
        tags = self.tags()
        district = District.objects.create(code=c.district_code, name=c.district_name)
        streets = self.bulk(
            Street,
            [
                Street(
                    district=district,
                    code=f"{c.district_code}{i + 1:03d}",
                    name=f"{STREET_WORDS[i % len(STREET_WORDS)]}街道",
                )
                for i in range(c.streets)
            ],
        )
        communities = self.bulk(
            Community,
            [
                Community(
                    street=street,
                    code=f"{street.code}{j + 1:03d}",
                    name=f"{COMMUNITY_WORDS[(i * c.communities_per_street + j) % len(COMMUNITY_WORDS)]}社区",
                    address=f"{self.fake.street_name()}{rnd.randint(1, 300)}号",
                )
                for i, street in enumerate(streets)
                for j in range(c.communities_per_street)
            ],
        )
        areas = self.bulk(
            ResidentialArea,
            [
                ResidentialArea(
                    community=community,
                    code=f"{community.code}{k + 1:03d}",
                    name=f"{community.name[:2]}{AREA_WORDS[k % len(AREA_WORDS)]}",
                    address=f"{self.fake.street_name()}{rnd.randint(1, 500)}号",
                    property_company=f"{community.name[:2]}物业服务有限公司",
                )
                for community in communities
                for k in range(c.areas_per_community)
            ],
        )
        buildings = self.bulk(
            Building,
            [
                Building(
                    area=area,
                    community_id=area.community_id,
                    code=f"{area.code}{b + 1:03d}",
                    name=f"{b + 1}栋",
                    unit_count=c.units,
                    floor_count=c.floors,
                    qr_token=f"{area.code[-6:]}{b + 1:03d}{rnd.randrange(16**6):06x}",
                )
                for area in areas
                for b in range(c.buildings_per_area)
            ],
        )
        grids, microgrids = self.grids(communities, buildings)
        households = self.households(buildings, microgrids)
        residents, heads = self.residents(households, tags)
        self.party(communities, areas, buildings, households, residents)
        self.organisations(streets, communities)
        users = self.users(district, streets[0], communities, grids, microgrids, residents)
        # Building leaders: the first head of household in each building.
        by_building = {}
        for household in households:
            if household.pk in heads:
                by_building.setdefault(household.building_id, heads[household.pk])
        for building in buildings:
            building.leader_id = by_building.get(building.pk)
        Building.objects.bulk_update(buildings, ["leader"], batch_size=self.BATCH)
        return {
            "communities": len(communities),
            "areas": len(areas),
            "buildings": len(buildings),
            "grids": len(grids),
            "micro-grids": len(microgrids),
            "households": len(households),
            "residents": len(residents),
            "users": users,
        }

    def tags(self):
        existing = {t.code: t for t in ResidentTag.objects.all()}
        for code, name, attention, sensitive in TAGS:
            if code not in existing:
                existing[code] = ResidentTag.objects.create(
                    code=code, name=name, needs_attention=attention, sensitive=sensitive
                )
        return existing

    def grids(self, communities, buildings):
        """Grids of `buildings_per_grid` buildings each, and one micro-grid per building: coverage is total."""
        per_community = {}
        for building in buildings:
            per_community.setdefault(building.community_id, []).append(building)
        grids, grid_of_building = [], {}
        for community in communities:
            chunk = self.c.buildings_per_grid
            members = per_community.get(community.pk, [])
            for g, start in enumerate(range(0, len(members), chunk)):
                grid = Grid(
                    community=community,
                    code=f"01{community.code}{g + 1:03d}000",
                    name=f"{community.name}第{g + 1}网格",
                )
                grids.append(grid)
                for building in members[start : start + chunk]:
                    grid_of_building[building.pk] = grid
        self.bulk(Grid, grids)
        microgrids, counters = [], {}
        for building in buildings:
            grid = grid_of_building[building.pk]
            building.grid_id = grid.pk
            counters[grid.pk] = counters.get(grid.pk, 0) + 1
            microgrids.append(
                MicroGrid(
                    grid=grid,
                    code=f"{grid.code[:17]}{counters[grid.pk]:03d}",
                    name=f"{building.area.name}{building.name}微网格",
                )
            )
        Building.objects.bulk_update(buildings, ["grid"], batch_size=self.BATCH)
        self.bulk(MicroGrid, microgrids)
        return grids, {b.pk: m for b, m in zip(buildings, microgrids, strict=True)}

    def households(self, buildings, microgrids):
        uses = [Household.Use.OWNER] * 70 + [Household.Use.RENTED] * 20 + [Household.Use.VACANT] * 10
        households = [
            Household(
                building=building,
                code=f"{building.code}{unit:02d}{floor:02d}{room:02d}",
                unit=unit,
                floor=floor,
                room=f"{floor}{room:02d}",
                use=self.rnd.choice(uses),
                microgrid=microgrids[building.pk],
            )
            for building in buildings
            for unit in range(1, self.c.units + 1)
            for floor in range(1, self.c.floors + 1)
            for room in range(1, self.c.rooms_per_floor + 1)
        ]
        return self.bulk(Household, households)

    def residents(self, households, tags):
        """Families in owner-occupied dwellings (hukou or permanent), tenants in rented ones (floating)."""
        rnd = self.rnd
        people = []  # (Resident, household, kind, relation, tag codes)
        for household in households:
            if household.use == Household.Use.VACANT:
                continue
            if household.use == Household.Use.RENTED:
                members = [("tenant", self.birth(20, 45))] + [
                    ("tenant", self.birth(20, 45)) for _ in range(rnd.choice([0, 1, 2, 2]))
                ]
                kind = Residence.Kind.FLOATING
            elif rnd.random() < 0.12:
                members = [("head", self.birth(70, 92))]  # an elderly person living alone
                kind = Residence.Kind.HUKOU
            else:
                head_birth = self.birth(30, 75)
                members = [
                    ("head", head_birth),
                    ("spouse", head_birth + datetime.timedelta(days=rnd.randint(-900, 900))),
                ]
                head_age = self.today.year - head_birth.year
                children = rnd.choice([1, 1, 2, 2, 3]) if head_age < 60 else rnd.choice([0, 1, 2])
                members += [
                    ("child", self.birth(max(0, head_age - 40), max(0, head_age - 22)))
                    for _ in range(children)
                ]
                if head_age < 55 and rnd.random() < 0.45:
                    members.append(("parent", self.birth(head_age + 22, min(95, head_age + 35))))
                if head_age >= 55 and rnd.random() < 0.35:
                    members.append(("grandchild", self.birth(3, 15)))
                kind = Residence.Kind.HUKOU if rnd.random() < 0.75 else Residence.Kind.PERMANENT
            family_name = self.surname()  # children and grandchildren take the head's surname
            for relation, birth in members:
                if relation == "spouse":
                    gender = "F" if people[-1][0].gender == "M" else "M"
                else:
                    gender = rnd.choice("MF")
                surname = family_name if relation in ("head", "child", "grandchild") else None
                age = self.today.year - birth.year
                number = self.id_number(birth, gender)
                resident = Resident(
                    name=self.name(gender, surname),
                    gender=gender,
                    birth_date=birth,
                    phone=self.phone() if age >= 16 else "",
                    id_type=Resident.IdType.RESIDENT_ID,
                    household=household,
                )
                resident.set_id_number(number)
                codes = []
                if relation == "head" and len(members) == 1 and age >= 70:
                    codes.append("elderly_alone")
                if age >= 80:
                    codes.append("elderly_80")
                if age < 14 and rnd.random() < 0.05:
                    codes.append("left_behind_child")
                for code, share in (
                    ("low_income", 0.02),
                    ("disabled", 0.015),
                    ("chronic_illness", 0.04),
                    ("community_correction", 0.002),
                    ("veteran", 0.02),
                ):
                    if age >= 16 and rnd.random() < share:
                        codes.append(code)
                people.append((resident, household, kind, relation, codes))
        residents = self.bulk(Resident, [p[0] for p in people])
        moved_in_start = self.today - datetime.timedelta(days=20 * 365)
        self.bulk(
            Residence,
            [
                Residence(
                    resident=resident,
                    household=household,
                    kind=kind,
                    relation=relation,
                    moved_in=max(
                        resident.birth_date,
                        moved_in_start + datetime.timedelta(days=self.rnd.randrange(19 * 365)),
                    ),
                )
                for resident, household, kind, relation, _codes in people
            ],
        )
        through = Resident.tags.through
        self.bulk(
            through,
            [
                through(resident_id=resident.pk, residenttag_id=tags[code].pk)
                for resident, _h, _k, _r, codes in people
                for code in codes
            ],
        )
        heads = {}
        for resident, household, _kind, relation, _codes in people:
            if relation == "head":
                household.head_id = resident.pk
                heads[household.pk] = resident.pk
        Household.objects.bulk_update(
            [h for h in households if h.pk in heads], ["head"], batch_size=self.BATCH
        )
        return residents, heads

    def party(self, communities, areas, buildings, households, residents):
        """Four levels per community, two branches outside the territory, members in every building group."""
        rnd = self.rnd
        committees = self.bulk(
            PartyOrganisation,
            [
                PartyOrganisation(
                    name=f"{community.name}大党委",
                    level=PartyOrganisation.Level.COMMUNITY_COMMITTEE,
                    org_type=PartyOrganisation.OrgType.COMMITTEE,
                    community=community,
                )
                for community in communities
            ],
        )
        committee_of = {o.community_id: o for o in committees}
        branches = [
            PartyOrganisation(
                name=f"{area.name}党支部",
                level=PartyOrganisation.Level.AREA_BRANCH,
                org_type=PartyOrganisation.OrgType.BRANCH,
                parent=committee_of[area.community_id],
                community_id=area.community_id,
                area=area,
            )
            for area in areas
        ]
        for community in communities:
            for name in (f"{community.name[:2]}商户联盟党支部", f"{community.name[:2]}物业公司党支部"):
                branches.append(
                    PartyOrganisation(
                        name=name,
                        level=PartyOrganisation.Level.AREA_BRANCH,
                        org_type=PartyOrganisation.OrgType.BRANCH,
                        parent=committee_of[community.pk],
                        community=community,
                        outside_territory=True,
                    )
                )
        self.bulk(PartyOrganisation, branches)
        branch_of_area = {b.area_id: b for b in branches if b.area_id}
        groups = self.bulk(
            PartyOrganisation,
            [
                PartyOrganisation(
                    name=f"{building.area.name}{building.name}党小组",
                    level=PartyOrganisation.Level.BUILDING_GROUP,
                    org_type=PartyOrganisation.OrgType.GROUP,
                    parent=branch_of_area[building.area_id],
                    community_id=building.community_id,
                    area_id=building.area_id,
                    grid_id=building.grid_id,
                    building=building,
                )
                for building in buildings
            ],
        )
        group_of_building = {g.building_id: g for g in groups}
        # About 7% of adults are party members, registered with their building's group.
        adults = [r for r in residents if r.birth_date.year <= self.today.year - 20]
        chosen = [r for r in adults if rnd.random() < 0.07]
        building_of_household = {h.pk: h for h in households}
        members = self.bulk(
            PartyMember,
            [
                PartyMember(
                    resident=r,
                    organisation=group_of_building[building_of_household[r.household_id].building_id],
                    joined_party_on=years_after(r.birth_date, rnd.randint(20, 40)),
                    shows_identity=rnd.random() < 0.85,
                    in_service=(
                        in_service := self.today.year - r.birth_date.year < 58 and rnd.random() < 0.4
                    ),
                    work_unit=self.fake.company() if in_service else "",
                    registered_on=self.today - datetime.timedelta(days=rnd.randrange(5 * 365)),
                )
                for r in chosen
            ],
        )
        # Group leaders, and one or two central households per building, at members' homes.
        by_group = {}
        for member in members:
            by_group.setdefault(member.organisation_id, []).append(member)
        central = []
        for group in groups:
            group_members = by_group.get(group.pk, [])
            if not group_members:
                continue
            group.secretary = group_members[0]
            for member in group_members[: rnd.choice([1, 2])]:
                household = building_of_household[member.resident.household_id]
                central.append(
                    PartyOrganisation(
                        name=f"党员中心户·{member.resident.name}",
                        level=PartyOrganisation.Level.CENTRAL_HOUSEHOLD,
                        org_type=PartyOrganisation.OrgType.HOUSEHOLD,
                        parent=group,
                        community_id=group.community_id,
                        area_id=group.area_id,
                        grid_id=group.grid_id,
                        building_id=group.building_id,
                        household=household,
                        secretary=member,
                    )
                )
        PartyOrganisation.objects.bulk_update(groups, ["secretary"], batch_size=self.BATCH)
        self.bulk(PartyOrganisation, central)
        self.members = members

    def organisations(self, streets, communities):
        rows = []
        for street in streets:
            for name in ("街道城管科", "街道社会事务科", "街道综治中心"):
                rows.append(
                    Organisation(
                        name=f"{street.name}{name[2:]}", kind=Organisation.Kind.STREET_OFFICE, street=street
                    )
                )
        for community in communities:
            short = community.name[:2]
            rows += [
                Organisation(
                    name=f"{community.name}{dept}",
                    kind=Organisation.Kind.COMMUNITY_DEPARTMENT,
                    community=community,
                    contact_name=self.name("F"),
                    contact_phone=self.phone(),
                )
                for dept in DEPARTMENTS
            ]
            rows += [
                Organisation(
                    name=f"{short}物业服务有限公司",
                    kind=Organisation.Kind.PROPERTY_COMPANY,
                    community=community,
                ),
                Organisation(
                    name=f"{short}小区业主委员会",
                    kind=Organisation.Kind.OWNERS_COMMITTEE,
                    community=community,
                ),
                Organisation(
                    name=f"{short}实验小学", kind=Organisation.Kind.CO_BUILDING_UNIT, community=community
                ),
                Organisation(
                    name=f"{short}社区医院", kind=Organisation.Kind.CO_BUILDING_UNIT, community=community
                ),
                Organisation(
                    name=self.fake.company(), kind=Organisation.Kind.CO_BUILDING_UNIT, community=community
                ),
                Organisation(
                    name=f"{short}平安巡逻队", kind=Organisation.Kind.VOLUNTEER_TEAM, community=community
                ),
            ]
        self.bulk(Organisation, rows)

    def users(self, district, street, communities, grids, microgrids, residents):
        """The demo users of DEMO_USERS, plus a leader for every other grid and micro-grid."""
        prefix = self.c.user_prefix
        first_grids = [g for g in grids if g.community_id == communities[0].pk]
        first_micro = sorted(
            (m for m in microgrids.values() if m.grid_id == first_grids[0].pk), key=lambda m: m.code
        )
        places = {
            "district": ("district", district, None),
            "street": ("street", street, None),
            "community:0": ("community", communities[0], communities[0]),
            "community:1": ("community", communities[1], communities[1]),
            "grid:0": ("grid", first_grids[0], communities[0]),
            "microgrid:0": ("microgrid", first_micro[0], communities[0]),
        }
        plan = []  # (User, role, field, place)
        for username, role, place_key, _where in DEMO_USERS:
            field, place, home = places[place_key]
            gender = self.rnd.choice("MF")
            user = User(
                username=f"{prefix}{username}",
                display_name=self.name(gender),
                password=self.password,
                community=home,
                is_staff=role
                in (
                    Role.DISTRICT_OFFICIAL,
                    Role.STREET_OFFICIAL,
                    Role.COMMUNITY_STAFF,
                    Role.BRANCH_SECRETARY,
                ),
            )
            plan.append((user, role, field, place))
        if self.c.extra_leaders:
            community_of_grid = {g.pk: g.community for g in grids}
            for n, grid in enumerate(grids):
                if grid.pk != first_grids[0].pk:
                    user = User(
                        username=f"{prefix}gl{n + 1:03d}",
                        display_name=self.name("M"),
                        password=self.password,
                        community=grid.community,
                    )
                    plan.append((user, Role.GRID_LEADER, "grid", grid))
            for n, micro in enumerate(sorted(microgrids.values(), key=lambda m: m.code)):
                if micro.pk != first_micro[0].pk:
                    user = User(
                        username=f"{prefix}ml{n + 1:04d}",
                        display_name=self.name(self.rnd.choice("MF")),
                        password=self.password,
                        community=community_of_grid[micro.grid_id],
                    )
                    plan.append((user, Role.MICROGRID_LEADER, "microgrid", micro))
        # Usernames may already exist if another scale shares the prefix: leave those alone.
        taken = set(
            User.objects.filter(username__in=[u.username for u, *_ in plan]).values_list(
                "username", flat=True
            )
        )
        plan = [row for row in plan if row[0].username not in taken]
        self.bulk(User, [u for u, *_ in plan])
        start = self.today - datetime.timedelta(days=365)
        self.bulk(
            RoleAssignment,
            [
                RoleAssignment(user=u, role=role, valid_from=start, **{field: place})
                for u, role, field, place in plan
            ],
        )
        by_name = {u.username.removeprefix(prefix): u for u, *_ in plan}
        # The demo party member and resident are people of the registry too.
        first_community_residents = [
            r
            for r in residents
            if r.household.building.community_id == communities[0].pk and r.birth_date.year < 1990
        ]
        member = next(
            (m for m in self.members if m.resident.household.building.community_id == communities[0].pk), None
        )
        if "partymember" in by_name and member is not None:
            member.user = by_name["partymember"]
            member.save(update_fields=["user"])
            member.resident.user = member.user
            member.resident.save(update_fields=["user"])
        if "resident" in by_name:
            person = next(r for r in first_community_residents if not r.user_id)
            person.user = by_name["resident"]
            person.save(update_fields=["user"])
        return len(plan)
