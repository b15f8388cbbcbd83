import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from projects.models import Milestone, Project
from projects.services import milestone_save, project_save


def start_day():
    """Projects in these tests started ten days ago."""
    return timezone.localdate() - datetime.timedelta(days=10)


@pytest.fixture
def make_project(world):
    """make_project(**overrides): a project of c1's party committee, through the service, by alice."""

    def make(milestones=(), by=None, **kw):
        start = start_day()
        data = {
            "name": "电动车集中充电停车",
            "kind": Project.Kind.SERVICE,
            "organisation": world.committee,
            "responsible": world.bob,
            "starts_on": start,
            "due_on": start + datetime.timedelta(days=60),
            "budget": 120000,
            "funding_source": "社区党组织服务群众经费",
        }
        data.update(kw)
        project = project_save(project=Project(**data), by=by or world.alice)
        for title, days in milestones:
            milestone_save(
                milestone=Milestone(
                    project=project, title=title, due_on=start + datetime.timedelta(days=days)
                ),
                by=by or world.alice,
            )
        return project

    return make


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def jpeg(name="photo.jpg", size=(64, 48)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
