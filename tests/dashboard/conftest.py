"""Fixtures for the dashboard tests: a request category and helpers that go through petitions.services."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from petitions import services as petition_services
from petitions.models import Category, Petition


@pytest.fixture
def category(db):
    return Category.objects.create(
        name="公共设施", accept_within=24, resolve_within=72, follow_up_after_days=0
    )


@pytest.fixture
def make_item(category):
    """make_item(household, by, description) submits a request (channel visit) through the service."""

    def make(household, by, description="楼道灯坏了", *, overdue=False):
        item = petition_services.petition_submit(
            kind=Petition.Kind.REQUEST,
            category=category,
            description=description,
            channel=Petition.Channel.VISIT,
            household=household,
            by=by,
        )
        if overdue:
            # Time travel for the test only: the deadline passed yesterday.
            Petition.objects.filter(pk=item.pk).update(
                accept_due_at=timezone.now() - datetime.timedelta(days=1)
            )
            item.refresh_from_db()
        return item

    return make


@pytest.fixture
def resolved_item(make_item, world):
    """An item alice (staff) took on and resolved: it now waits for someone else's follow-up."""

    def make(household, description="垃圾桶破损"):
        item = make_item(household, world.alice, description)
        petition_services.petition_accept(petition=item, by=world.alice)
        petition_services.petition_start(petition=item, by=world.alice)
        petition_services.petition_resolve(petition=item, by=world.alice, note="已更换")
        item.refresh_from_db()
        return item

    return make


def photo_file(name="photo.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
