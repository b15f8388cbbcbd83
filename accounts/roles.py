"""The roles a user can hold, and what each one may do. Read by scoping, the admin and the pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DISTRICT_OFFICIAL = "district_official", _("District official")
    STREET_OFFICIAL = "street_official", _("Street official")
    COMMUNITY_STAFF = "community_staff", _("Community staff")
    BRANCH_SECRETARY = "branch_secretary", _("Branch secretary")
    GRID_WORKER = "grid_worker", _("Full-time grid worker")
    GRID_LEADER = "grid_leader", _("Grid leader")
    MICROGRID_LEADER = "microgrid_leader", _("Micro-grid leader")
    PARTY_MEMBER = "party_member", _("Party member")
    VOLUNTEER = "volunteer", _("Volunteer")
    MERCHANT = "merchant", _("Merchant")
    RESIDENT = "resident", _("Resident")


class Level(models.TextChoices):
    DISTRICT = "district", _("District")
    STREET = "street", _("Street")
    COMMUNITY = "community", _("Community")
    GRID = "grid", _("Grid")
    MICROGRID = "microgrid", _("Micro-grid")


# The level of the hierarchy each role is assigned at.
ROLE_LEVEL = {
    Role.DISTRICT_OFFICIAL: Level.DISTRICT,
    Role.STREET_OFFICIAL: Level.STREET,
    Role.COMMUNITY_STAFF: Level.COMMUNITY,
    Role.BRANCH_SECRETARY: Level.COMMUNITY,
    Role.GRID_WORKER: Level.GRID,
    Role.GRID_LEADER: Level.GRID,
    Role.MICROGRID_LEADER: Level.MICROGRID,
    Role.PARTY_MEMBER: Level.COMMUNITY,
    Role.VOLUNTEER: Level.COMMUNITY,
    Role.MERCHANT: Level.COMMUNITY,
    Role.RESIDENT: Level.COMMUNITY,
}

# Officials above the community look, they do not touch.
READ_ONLY_ROLES = frozenset({Role.DISTRICT_OFFICIAL, Role.STREET_OFFICIAL})

# Roles that see the household registry of their patch (masked).
REGISTRY_ROLES = frozenset(
    {
        Role.DISTRICT_OFFICIAL,
        Role.STREET_OFFICIAL,
        Role.COMMUNITY_STAFF,
        Role.BRANCH_SECRETARY,
        Role.GRID_WORKER,
        Role.GRID_LEADER,
        Role.MICROGRID_LEADER,
    }
)

# Roles that may reveal a masked phone or ID number (each reveal is logged).
REVEAL_ROLES = frozenset({Role.COMMUNITY_STAFF, Role.BRANCH_SECRETARY, Role.GRID_WORKER, Role.GRID_LEADER})

# Roles that may see sensitive tags (health, disability, community correction): not volunteers.
SENSITIVE_TAG_ROLES = frozenset(
    {
        Role.STREET_OFFICIAL,
        Role.DISTRICT_OFFICIAL,
        Role.COMMUNITY_STAFF,
        Role.BRANCH_SECRETARY,
        Role.GRID_WORKER,
        Role.GRID_LEADER,
    }
)

# Roles that set the configuration shared by every community (default categories, holidays).
SHARED_CONFIG_ROLES = frozenset({Role.DISTRICT_OFFICIAL})

# Roles that work in the browser admin.
ADMIN_ROLES = frozenset(
    {Role.DISTRICT_OFFICIAL, Role.STREET_OFFICIAL, Role.COMMUNITY_STAFF, Role.BRANCH_SECRETARY}
)

# Roles that visit households and keep a visit diary.
VISITOR_ROLES = frozenset(
    {
        Role.COMMUNITY_STAFF,
        Role.BRANCH_SECRETARY,
        Role.GRID_WORKER,
        Role.GRID_LEADER,
        Role.MICROGRID_LEADER,
    }
)

# Roles that start visiting campaigns: staff for their community's grids, the district for the district.
CAMPAIGN_STARTER_ROLES = frozenset({Role.COMMUNITY_STAFF, Role.BRANCH_SECRETARY, Role.DISTRICT_OFFICIAL})
