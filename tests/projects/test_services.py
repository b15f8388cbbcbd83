"""The ledger's rules: progress is derived from milestones; bad input is refused and changes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from projects.models import Evidence, Milestone, Project
from projects.services import (
    milestone_add_evidence,
    milestone_complete,
    milestone_save,
    project_save,
    project_set_status,
)

from .conftest import jpeg, start_day

pytestmark = pytest.mark.django_db

S = Project.Status


def test_progress_is_derived_from_milestones(world, make_project, media):
    project = make_project(milestones=[("选址", 1), ("招标", 5), ("建成3000个车位", 9)])
    assert project.progress == 0
    first, second, _third = project.milestones.order_by("due_on")
    milestone_complete(milestone=first, by=world.bob, photos=[jpeg()])
    assert Project.objects.get(pk=project.pk).progress == 33
    milestone_complete(milestone=second, by=world.alice, note="中标单位已确定")
    annotated = Project.objects.with_progress().get(pk=project.pk)
    assert (annotated.milestone_total, annotated.milestone_done, annotated.progress) == (3, 2, 67)
    # The first milestone done moved the planned project on.
    assert annotated.status == S.IN_PROGRESS
    assert Evidence.objects.filter(milestone=first, kind="photo").count() == 1


def test_a_milestone_due_before_the_project_starts_is_refused(world, make_project):
    project = make_project()
    with pytest.raises(ValidationError) as exc:
        milestone_save(
            milestone=Milestone(
                project=project, title="提前", due_on=project.starts_on - datetime.timedelta(days=1)
            ),
            by=world.alice,
        )
    assert "due_on" in exc.value.error_dict
    assert not project.milestones.exists()


def test_moving_the_start_after_a_milestone_is_refused(world, make_project):
    project = make_project(milestones=[("选址", 1)])
    project.starts_on = start_day() + datetime.timedelta(days=5)
    with pytest.raises(ValidationError) as exc:
        project_save(project=project, by=world.alice)
    assert "starts_on" in exc.value.error_dict
    assert Project.objects.get(pk=project.pk).starts_on == start_day()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"due_on": start_day() - datetime.timedelta(days=1)}, "due_on"),
        ({"budget": -1}, "budget"),
    ],
)
def test_bad_project_input_is_refused(world, make_project, changes, field):
    with pytest.raises(ValidationError) as exc:
        make_project(**changes)
    assert field in exc.value.error_dict
    assert not Project.objects.exists()


def test_area_and_responsible_from_another_community_are_refused(world, make_project):
    with pytest.raises(ValidationError) as exc:
        make_project(area=world.area2, responsible=world.gwen)
    assert {"area", "responsible"} <= exc.value.error_dict.keys()
    assert not Project.objects.exists()


def test_petitions_from_another_community_are_refused(world, make_project):
    from petitions.models import Category
    from petitions.services import petition_submit

    category = Category.objects.create(name="公共设施", accept_within=24, resolve_within=72)
    theirs = petition_submit(
        kind="request", category=category, description="3栋充电难", channel="public", building=world.b3
    )
    project = make_project()
    with pytest.raises(ValidationError) as exc:
        project_save(project=project, petitions=[theirs], by=world.alice)
    assert "petitions" in exc.value.error_dict
    assert not project.petitions.exists()


def test_only_staff_of_the_community_write(world, make_project):
    with pytest.raises(PermissionDenied):
        make_project(by=world.erin)
    with pytest.raises(PermissionDenied):
        make_project(by=world.sam)  # the street official reads, does not write
    project = make_project()
    with pytest.raises(PermissionDenied):
        project_set_status(project=project, status=S.IN_PROGRESS, by=world.bob)


def test_done_only_when_milestones_are_done_or_confirmed(world, make_project):
    project = make_project(milestones=[("选址", 1), ("建成", 5)])
    project_set_status(project=project, status=S.IN_PROGRESS, by=world.alice)
    with pytest.raises(ValidationError):
        project_set_status(project=project, status=S.DONE, by=world.alice)
    with pytest.raises(ValidationError):  # confirmed, but no reason given
        project_set_status(project=project, status=S.DONE, open_milestones_confirmed=True, by=world.alice)
    assert Project.objects.get(pk=project.pk).status == S.IN_PROGRESS
    project_set_status(
        project=project,
        status=S.DONE,
        open_milestones_confirmed=True,
        note="资金到位提前验收",
        by=world.alice,
    )
    project.refresh_from_db()
    assert project.status == S.DONE and project.completed_on is not None


def test_done_when_every_milestone_is_done(world, make_project):
    project = make_project(milestones=[("选址", 1)])
    milestone_complete(milestone=project.milestones.get(), note="已选定", by=world.bob)
    project_set_status(project=project, status=S.DONE, by=world.alice)
    assert Project.objects.get(pk=project.pk).status == S.DONE


@pytest.mark.parametrize("status", [S.DONE, "unknown", S.PLANNED])
def test_status_out_of_order_is_refused(world, make_project, status):
    project = make_project()
    with pytest.raises(ValidationError):
        project_set_status(project=project, status=status, by=world.alice)
    assert Project.objects.get(pk=project.pk).status == S.PLANNED


def test_cancelling_needs_a_reason_and_freezes_milestones(world, make_project):
    project = make_project(milestones=[("选址", 1)])
    with pytest.raises(ValidationError):
        project_set_status(project=project, status=S.CANCELLED, by=world.alice)
    project_set_status(project=project, status=S.CANCELLED, note="居民会议未通过", by=world.alice)
    with pytest.raises(ValidationError):
        milestone_complete(milestone=project.milestones.get(), note="x", by=world.bob)
    assert project.milestones.get().done_on is None


def test_completing_needs_evidence_and_happens_once(world, make_project, media):
    project = make_project(milestones=[("选址", 1)])
    milestone = project.milestones.get()
    with pytest.raises(ValidationError):
        milestone_complete(milestone=milestone, by=world.bob)
    milestone_complete(milestone=milestone, by=world.bob, note="已选定地块")
    with pytest.raises(ValidationError):
        milestone_complete(milestone=milestone, by=world.bob, note="再次")
    assert Milestone.objects.get(pk=milestone.pk).note == "已选定地块"


def test_future_done_date_and_bad_photo_change_nothing(world, make_project, media):
    from django.utils import timezone

    project = make_project(milestones=[("选址", 1)])
    milestone = project.milestones.get()
    with pytest.raises(ValidationError):
        milestone_complete(
            milestone=milestone,
            note="x",
            done_on=timezone.localdate() + datetime.timedelta(days=1),
            by=world.bob,
        )
    with pytest.raises(ValidationError) as exc:
        milestone_add_evidence(
            milestone=milestone, photos=[SimpleUploadedFile("a.jpg", b"not a photo")], by=world.bob
        )
    assert "photos" in exc.value.error_dict
    with pytest.raises(ValidationError):
        milestone_add_evidence(
            milestone=milestone, files=[SimpleUploadedFile("run.exe", b"MZ")], by=world.bob
        )
    milestone.refresh_from_db()
    assert milestone.done_on is None and not milestone.evidence.exists()
    assert not any(media.rglob("*.*"))


def test_only_the_responsible_person_or_staff_record_milestones(world, make_project, media):
    project = make_project(milestones=[("选址", 1)])
    milestone = project.milestones.get()
    for outsider in (world.dave, world.erin, world.pete):
        with pytest.raises(PermissionDenied):
            milestone_add_evidence(milestone=milestone, note="我来", by=outsider)
    plan = SimpleUploadedFile("方案.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    milestone_add_evidence(milestone=milestone, photos=[jpeg()], files=[plan], by=world.bob)
    assert sorted(milestone.evidence.values_list("kind", "original_name")) == [
        ("file", "方案.pdf"),
        ("photo", ""),
    ]
    # A picture sent as a file is refused: photos are cleaned of their metadata, files are not.
    with pytest.raises(ValidationError):
        milestone_add_evidence(milestone=milestone, files=[jpeg("现场.jpg")], by=world.bob)


def test_reopening_a_done_project_needs_a_reason(world, make_project):
    project = make_project()
    project_set_status(project=project, status=S.IN_PROGRESS, by=world.alice)
    project_set_status(project=project, status=S.DONE, by=world.alice)
    with pytest.raises(ValidationError) as exc:
        project_set_status(project=project, status=S.IN_PROGRESS, by=world.alice)
    assert "status_note" in exc.value.error_dict
    assert Project.objects.get(pk=project.pk).status == S.DONE
    project_set_status(project=project, status=S.IN_PROGRESS, note="验收发现问题需整改", by=world.alice)
    assert Project.objects.get(pk=project.pk).completed_on is None
