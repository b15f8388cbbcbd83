"""The issue's 'done when', end to end: an e-bike parking complaint goes through solicitation, the three
deliberations and a counted vote; the resolution is published and carried out as a project whose milestones
reach 3,000 spaces; the result is published; the street sees every community's project ledger."""

import datetime

from django.utils import timezone

from deliberation import services as s
from projects.models import Milestone, Project
from projects.services import milestone_complete, milestone_save, project_set_status


def test_a_complaint_becomes_3000_parking_spaces_in_the_open(world, topic, submit, client_for, client):
    complaint = submit(world, description="楼道里停满电动车，充电很危险")
    s.topic_save(topic=topic, by=world.alice, petitions=[complaint])
    s.topic_open_call(
        topic=topic,
        question="车棚建在哪里？",
        deadline=timezone.now() + datetime.timedelta(days=7),
        by=world.alice,
    )
    s.answer_submit(topic=topic, text="建在3栋北侧空地", name="张阿姨")
    s.topic_propose(topic=topic, proposal="在小区北侧建三处车棚", options=[], by=world.alice)
    s.topic_deliberate(topic=topic, opinion="两委同意，申请专项资金", by=world.alice)
    option = topic.options.get()
    s.topic_vote(topic=topic, entitled=60, present=40, counts={option.pk: (31, 6, 3)}, by=world.alice)
    topic.refresh_from_db()
    assert topic.outcome == topic.Outcome.PASSED
    s.topic_publish_resolution(topic=topic, resolution="建设车棚，新增3000个停车位", by=world.alice)

    due = timezone.localdate() + datetime.timedelta(days=60)
    project = s.topic_open_project(topic=topic, organisation=world.committee, due_on=due, by=world.alice)
    for title in ("选址", "招标", "建设完成3000个车位"):
        milestone = milestone_save(
            milestone=Milestone(project=project, title=title, due_on=due), by=world.alice
        )
        milestone_complete(milestone=milestone, by=world.alice, note=f"{title}已完成")
    project_set_status(project=project, status=Project.Status.DONE, by=world.alice)
    s.topic_publish_result(topic=topic, result="三处车棚建成，新增3000个车位", by=world.alice)

    public = client.get(f"/deliberation/public/communities/{world.c1.pk}/").content.decode()
    assert "建设车棚，新增3000个停车位" in public and "三处车棚建成，新增3000个车位" in public
    tracking = client.get(f"/petitions/track/{complaint.tracking_code}/").content.decode()
    assert topic.title in tracking
    ledger = client_for(world.sam).get("/projects/").content.decode()
    assert project.name in ledger
