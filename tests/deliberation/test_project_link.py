"""A published resolution is carried out as a party-building project, once, from the topic's page."""

import datetime

import pytest
from django.utils import timezone

from deliberation import services as s
from deliberation.services import DeliberationError
from projects.models import Project
from tests import factories as f

from .conftest import through_vote


def due():
    return timezone.localdate() + datetime.timedelta(days=60)


def test_a_resolution_opens_its_project_once_with_the_topics_requests(world, topic, submit):
    petition = submit(world, description="车棚太少，电动车停满楼道")
    s.topic_save(topic=topic, by=world.alice, petitions=[petition])
    with pytest.raises(DeliberationError, match="Publish the resolution first|先公开决议"):
        s.topic_open_project(topic=topic, organisation=world.committee, due_on=due(), by=world.alice)
    through_vote(topic, world.alice)
    s.topic_publish_resolution(topic=topic, resolution="在3栋北侧建车棚", by=world.alice)

    project = s.topic_open_project(topic=topic, organisation=world.committee, due_on=due(), by=world.alice)

    topic.refresh_from_db()
    assert topic.project == project and project.name == "电动车停放" and project.area == world.area1
    assert list(project.petitions.all()) == [petition] and project.community == world.c1
    with pytest.raises(DeliberationError):
        s.topic_open_project(topic=topic, organisation=world.committee, due_on=due(), by=world.alice)
    assert Project.objects.count() == 1


def test_the_page_opens_the_project_and_then_links_it(world, topic, client_for):
    through_vote(topic, world.alice)
    s.topic_publish_resolution(topic=topic, resolution="在3栋北侧建车棚", by=world.alice)
    client = client_for(world.alice)
    url = f"/deliberation/topics/{topic.pk}/project/"
    response = client.post(url, {"organisation": world.committee.pk, "due_on": due().isoformat()})
    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/"
    html = client.get(f"/deliberation/topics/{topic.pk}/").content.decode()
    assert f'href="/projects/{project.pk}/"' in html


def test_another_communitys_organisation_or_staff_is_refused(world, topic, client_for):
    through_vote(topic, world.alice)
    s.topic_publish_resolution(topic=topic, resolution="在3栋北侧建车棚", by=world.alice)
    other = f.PartyOrganisationFactory(community=world.c2, name="银杏社区大党委")
    with pytest.raises(DeliberationError):
        s.topic_open_project(topic=topic, organisation=other, due_on=due(), by=world.alice)
    response = client_for(world.erin).post(
        f"/deliberation/topics/{topic.pk}/project/",
        {"organisation": world.committee.pk, "due_on": due().isoformat()},
    )
    assert response.status_code == 404 and not Project.objects.exists()


def test_a_resolution_links_a_project_of_its_own_community_only(world, topic):
    from projects.services import project_save

    def project(org, by):
        return project_save(
            project=Project(
                name="车棚",
                kind=Project.Kind.SERVICE,
                organisation=org,
                starts_on=timezone.localdate(),
                due_on=due(),
            ),
            by=by,
        )

    ours = project(world.committee, world.alice)
    theirs = project(f.PartyOrganisationFactory(community=world.c2), world.erin)
    with pytest.raises(DeliberationError):  # not published yet
        s.topic_link_project(topic=topic, project=ours, by=world.alice)
    through_vote(topic, world.alice)
    s.topic_publish_resolution(topic=topic, resolution="建车棚", by=world.alice)
    with pytest.raises(DeliberationError):
        s.topic_link_project(topic=topic, project=theirs, by=world.alice)
    topic.refresh_from_db()
    assert topic.project is None
    s.topic_link_project(topic=topic, project=ours, by=world.alice)
    topic.refresh_from_db()
    assert topic.project == ours
    with pytest.raises(DeliberationError):
        s.topic_link_project(topic=topic, project=ours, by=world.alice)
