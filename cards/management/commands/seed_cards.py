"""Fill in the people of the demo contact cards (after `seed_demo`): every community with a staff member
gets an area branch secretary with a login account, its owners' committee and property company serving
its areas with a contact, and a work phone for every grid leader and building leader.

    python manage.py seed_cards

The numbers and the contacts' names are made up. Only what is missing is filled in (a secretary already
chosen, a phone already set, areas already served stay as they are), so a second run changes nothing.
Every write goes through the services, done by the community's staff member.
"""

import random

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import RoleAssignment
from accounts.roles import Role
from accounts.services import role_assignment_create, user_save
from governance.models import Organisation, PartyMember, PartyOrganisation
from governance.services import organisation_save, party_member_save, party_organisation_save
from grids.models import Building, Grid, ResidentialArea
from grids.services import resident_update

User = get_user_model()

# Made-up work numbers: an 8-digit city number whose first digit names the post.
SECRETARY, OWNERS, PROPERTY, GRID, BUILDING = "1", "2", "3", "4", "5"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林"
GIVEN = ["建国", "秀兰", "志刚", "晓燕", "海峰", "丽华", "春生", "桂芳", "文斌", "雪梅", "德明", "玉珍"]
CONTACT_TITLES = {
    Organisation.Kind.OWNERS_COMMITTEE: "主任",
    Organisation.Kind.PROPERTY_COMPANY: "项目经理",
}


def work_phone(post, code):
    return f"0571-8{post}{code[-6:]}"


def made_up_name(seed):
    rnd = random.Random(seed)
    return rnd.choice(SURNAMES) + rnd.choice(GIVEN)


class Command(BaseCommand):
    help = "Give the demo contact cards their people: secretaries, organisation contacts, work phones."

    def handle(self, *args, **options):
        staff_of = {}
        for assignment in (
            RoleAssignment.objects.active()
            .filter(role=Role.COMMUNITY_STAFF, community__isnull=False, user__is_active=True)
            .select_related("user", "community")
            .order_by("pk")
        ):
            staff_of.setdefault(assignment.community_id, assignment)
        for assignment in staff_of.values():
            with transaction.atomic():
                changes = Filler(assignment.community, assignment.user).fill()
            if changes:
                self.stdout.write(f"{assignment.community}: {changes} contact card details filled in.")
            else:
                self.stdout.write(f"{assignment.community}: contact cards complete; nothing to do.")


class Filler:
    def __init__(self, community, staff):
        self.community, self.staff, self.changes = community, staff, 0

    def fill(self):
        self.secretaries()
        self.organisations()
        self.grid_leaders()
        self.building_leaders()
        return self.changes

    def account_with_phone(self, user, phone):
        if not user.work_phone:
            user.work_phone = phone
            user_save(user=user, by=self.staff)
            self.changes += 1
        return user

    def new_account(self, username, name, phone):
        user = User(username=username, display_name=name, community=self.community, work_phone=phone)
        user.set_unusable_password()  # an entry on a card, not a login: the admin can enable it
        self.changes += 1
        return user_save(user=user, by=self.staff)

    def secretaries(self):
        branches = PartyOrganisation.objects.filter(
            community=self.community, level=PartyOrganisation.Level.AREA_BRANCH, area__isnull=False
        ).select_related("area", "secretary__user", "secretary__resident__user")
        for branch in branches:
            phone = work_phone(SECRETARY, branch.area.code)
            member = branch.secretary
            if member is None:
                member = (
                    PartyMember.objects.filter(
                        organisation__area=branch.area, resident__birth_date__isnull=False
                    )
                    .select_related("user", "resident__user")
                    .order_by("resident__birth_date", "pk")
                    .first()
                )
                if member is None:
                    continue
                branch.secretary = member
                party_organisation_save(organisation=branch, by=self.staff)
                self.changes += 1
            account = member.user or member.resident.user
            if account is None:
                account = self.new_account(f"sec{branch.area.code}", member.resident.name, phone)
                member.user = account
                party_member_save(member=member, by=self.staff)
            else:
                self.account_with_phone(account, phone)

    def organisations(self):
        areas = list(ResidentialArea.objects.filter(community=self.community).order_by("code"))
        organisations = Organisation.objects.filter(
            community=self.community, kind__in=list(CONTACT_TITLES), active=True
        ).prefetch_related("areas")
        for org in organisations:
            changed = False
            served = None
            if not org.areas.all():
                served, changed = areas, True
            if not org.contact_name:
                org.contact_name = made_up_name(f"{org.kind}{self.community.code}")
                org.contact_title = org.contact_title or CONTACT_TITLES[org.kind]
                changed = True
            if not org.contact_phone:
                post = OWNERS if org.kind == Organisation.Kind.OWNERS_COMMITTEE else PROPERTY
                org.contact_phone = work_phone(post, self.community.code)
                changed = True
            if changed:
                organisation_save(organisation=org, areas=served, by=self.staff)
                self.changes += 1

    def grid_leaders(self):
        led = set()
        for assignment in (
            RoleAssignment.objects.active()
            .filter(role=Role.GRID_LEADER, grid__community=self.community, user__is_active=True)
            .select_related("user", "grid")
            .order_by("pk")
        ):
            led.add(assignment.grid_id)
            self.account_with_phone(assignment.user, work_phone(GRID, assignment.grid.code[:-3]))
        for grid in Grid.objects.filter(community=self.community).exclude(pk__in=led).order_by("code"):
            account = self.new_account(
                f"gl{grid.code}", made_up_name(grid.code), work_phone(GRID, grid.code[:-3])
            )
            role_assignment_create(user=account, role=Role.GRID_LEADER, grid=grid, by=self.staff)

    def building_leaders(self):
        for building in (
            Building.objects.filter(community=self.community, leader__isnull=False)
            .select_related("leader__user")
            .order_by("code")
        ):
            leader, phone = building.leader, work_phone(BUILDING, building.code)
            if leader.user is None:
                account = self.new_account(f"bl{building.code}", leader.name, phone)
                resident_update(resident=leader, user=account, by=self.staff)
            else:
                self.account_with_phone(leader.user, phone)
