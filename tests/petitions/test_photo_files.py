"""Photo files: none left behind when the transaction rolls back, and each photo re-encoded once."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from petitions import photos
from petitions import services as s
from petitions.models import Petition, PetitionPhoto
from petitions.services import submission, transitions

pytestmark = pytest.mark.django_db


def png(name="p.png"):
    out = io.BytesIO()
    Image.new("RGB", (12, 12), "blue").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), "image/png")


def files_under(root):
    return [p for p in root.rglob("*") if p.is_file()]


def fail_after_writing(monkeypatch):
    def boom():
        raise RuntimeError("the database went away")

    monkeypatch.setattr(submission, "queue_delivery", boom)
    monkeypatch.setattr(transitions, "queue_delivery", boom)


@pytest.mark.sqlite
def test_failed_submission_leaves_no_photo_file(world, submit, media, monkeypatch):
    fail_after_writing(monkeypatch)
    with pytest.raises(RuntimeError):
        submit(world, photos=[png(), png()])
    assert not Petition.objects.exists() and not PetitionPhoto.objects.exists()
    assert files_under(media) == []


@pytest.mark.sqlite
def test_failed_resolution_leaves_no_photo_file(world, submit, media, monkeypatch):
    p = submit(world)
    s.petition_accept(petition=p, by=world.bob)
    s.petition_dispatch(petition=p, by=world.alice, assignee=world.dave)
    fail_after_writing(monkeypatch)
    with pytest.raises(RuntimeError):
        s.petition_resolve(petition=p, by=world.dave, note="修好了", photos=[png()])
    p.refresh_from_db()
    assert p.status == "dispatched" and not PetitionPhoto.objects.exists()
    assert files_under(media) == []


@pytest.mark.sqlite
def test_successful_submission_keeps_its_files(world, submit, media):
    p = submit(world, photos=[png()])
    photo = PetitionPhoto.objects.get(petition=p)
    assert files_under(media) == [media / photo.image.name]


def test_public_form_re_encodes_each_photo_once(world, public_post, media, monkeypatch):
    calls = []
    transpose = photos.ImageOps.exif_transpose

    def counting(image, **kw):
        calls.append(1)
        return transpose(image, **kw)

    monkeypatch.setattr(photos.ImageOps, "exif_transpose", counting)
    response = public_post(building="b1token", photos=[png("a.png"), png("b.png")])
    assert response.status_code == 302
    assert PetitionPhoto.objects.count() == 2
    assert len(calls) == 2
