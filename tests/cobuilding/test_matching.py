"""Matching: a need is offered resources of its kind in its community, ranked by availability and the
unit's past fulfilment; confirming a match creates (or extends) a party-building project."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cobuilding.models import Kind, Match, Need, Resource
from cobuilding.selectors import suggest_resources
from cobuilding.services import match_confirm, need_from_petitions, need_save, resource_save
from projects.models import Project
from projects.services import project_set_status

pytestmark = pytest.mark.django_db


def need(world, title="老年人书法课场地", kind=Kind.VENUE, **kw):
    return need_save(need=Need(community=world.c1, title=title, kind=kind, **kw), by=world.alice)


def test_suggestions_are_same_kind_same_community_ranked(world, make_unit, make_resource):
    school, hospital = make_unit("桂花小学"), make_unit("社区医院")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    expired = make_resource(school, "已到期的礼堂", available_until=yesterday)
    hall = make_resource(hospital, "医院会议室")
    classroom = make_resource(school, "多功能教室")
    make_resource(school, "志愿者20人", kind=Kind.PEOPLE)
    make_resource(make_unit("银杏中学", community=world.c2), "银杏礼堂")
    # The school fulfilled a project before: among available venues it comes first.
    earlier = need(world, title="旧需求")
    done = match_confirm(need=earlier, resource=make_resource(school, "操场"), by=world.alice).project
    project_set_status(project=done, status="in_progress", by=world.alice)
    project_set_status(project=done, status="done", by=world.alice)

    wanted = need(world)
    names = [r.title for r in suggest_resources(wanted)]
    # The school's two venues (one past fulfilment) before the hospital's; the expired one last.
    assert names == [classroom.title, "操场", hall.title, expired.title]


def test_confirming_a_match_creates_the_project(world, make_unit, make_resource, submit):
    wish = submit(world, kind="wish", description="想学书法")
    wanted = need_from_petitions(petitions=[wish], title="老年人书法课场地", kind=Kind.VENUE, by=world.alice)
    room = make_resource(make_unit(), "多功能教室")
    match = match_confirm(need=wanted, resource=room, by=world.alice)
    project = Project.objects.get(pk=match.project_id)
    assert project.community == world.c1
    assert project.kind == Project.Kind.ALLIANCE
    assert project.organisation == world.committee
    assert project.name == wanted.title
    assert list(project.petitions.all()) == [wish]
    wanted.refresh_from_db()
    assert wanted.status == Need.Status.MATCHED
    assert suggest_resources(wanted).count() == 0


def test_a_second_match_extends_the_project(world, make_unit, make_resource):
    wanted = need(world)
    first = match_confirm(need=wanted, resource=make_resource(make_unit(), "教室"), by=world.alice)
    second = match_confirm(
        need=wanted,
        resource=make_resource(make_unit("医院"), "会议室"),
        by=world.alice,
        project=first.project,
    )
    assert second.project_id == first.project_id
    assert Project.objects.count() == 1
    with pytest.raises(ValidationError, match="已与此需求对接"):
        match_confirm(need=wanted, resource=first.resource, by=world.alice)


def test_match_rules(world, make_unit, make_resource):
    wanted = need(world)
    people = make_resource(make_unit(), "志愿者", kind=Kind.PEOPLE)
    with pytest.raises(ValidationError, match="类别与需求不符"):
        match_confirm(need=wanted, resource=people, by=world.alice)
    elsewhere = make_resource(make_unit("银杏中学", community=world.c2), "礼堂")
    with pytest.raises(ValidationError, match="其他社区|另一社区"):
        match_confirm(need=wanted, resource=elsewhere, by=world.alice)
    with pytest.raises(PermissionDenied):
        match_confirm(need=wanted, resource=make_resource(make_unit("医院"), "会议室"), by=world.erin)
    assert not Match.objects.exists() and not Project.objects.exists()


def test_quantity_below_zero_is_refused(world, make_unit):
    unit = make_unit()
    with pytest.raises(ValidationError) as e:
        resource_save(
            resource=Resource(unit=unit, title="捐款", kind=Kind.MONEY, quantity=Decimal("-1")),
            by=world.alice,
        )
    assert e.value.message_dict["quantity"] == ["数量不能小于零。"]
    with pytest.raises(ValidationError):
        need(world, quantity=Decimal("-5"))
    assert not Resource.objects.exists() and not Need.objects.exists()


def test_a_need_from_several_petitions(world, submit):
    p1, p2 = submit(world), submit(world, description="2栋楼道灯也坏了", building=world.b2)
    made = need_from_petitions(petitions=[p1, p2], title="楼道照明", kind=Kind.GOODS, by=world.alice)
    assert set(made.petitions.all()) == {p1, p2}
    other = submit(world, building=world.b3)
    with pytest.raises(ValidationError, match="其他社区"):
        need_from_petitions(petitions=[p1, other], title="x", kind=Kind.GOODS, by=world.alice)


def test_the_reverse_suggests_open_needs_for_a_resource(world, make_unit, make_resource):
    from cobuilding.selectors import suggest_needs

    room = make_resource(make_unit(), "多功能教室", quantity=1)
    big = need(world, "大型场地", quantity=3)
    small = need(world, "小型场地")
    need(world, "志愿者", kind=Kind.PEOPLE)
    need_save(need=Need(community=world.c2, title="银杏场地", kind=Kind.VENUE), by=world.erin)
    assert list(suggest_needs(room)) == [small, big]
    match_confirm(need=small, resource=room, by=world.alice)
    assert list(suggest_needs(room)) == [big]
