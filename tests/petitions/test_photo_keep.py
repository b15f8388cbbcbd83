"""The public form's photos: kept whenever the form shows again, phone-sized photos accepted and scaled
down, and nothing decoded before the cheap checks (anti-spam, limits, size and header) have passed."""

import io
import os
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from petitions import photos
from petitions.models import PendingPhoto, Petition, PetitionPhoto
from petitions.services import sweep
from petitions.services.pending import KEEP_FOR

from .conftest import challenge_fields, last_sms_code

pytestmark = pytest.mark.django_db

KEPT = "已保留您选择的照片"


def jpeg(name="lamp.jpg", size=(64, 48)):
    out = io.BytesIO()
    Image.new("RGB", size, "orange").save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), "image/jpeg")


def png_header_only(width, height, name="huge.png"):
    """A PNG whose header claims width×height RGBA with a tiny, broken data stream: its size and header
    can be read, its pixels cannot be decoded (and must not be tried before the cheap checks)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )
    return SimpleUploadedFile(name, data, "image/png")


@pytest.fixture
def decodes(monkeypatch):
    """The photos whose pixels were decoded, in order."""
    calls = []
    real = photos.decode

    def spy(upload):
        calls.append(upload.name)
        return real(upload)

    monkeypatch.setattr(photos, "decode", spy)
    return calls


def pending_files(media):
    return [p for p in (media / "petitions" / "pending").glob("*")] if (media / "petitions").exists() else []


def key_of(response):
    return response.context["form"].photo_key_token


def test_sms_code_button_keeps_the_photo_and_the_final_submit_attaches_it(
    world, client, public_post, media, django_capture_on_commit_callbacks
):
    asked = public_post(
        building="b1token", phone="13800001234", send_code="1", photos=[jpeg("灯.jpg")], captcha_answer=""
    )
    assert asked.status_code == 200 and asked.context["code_sent"]
    page = asked.content.decode()
    assert KEPT in page and "灯.jpg" in page
    assert PendingPhoto.objects.count() == 1 and len(pending_files(media)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        sent = public_post(
            building="b1token",
            phone="13800001234",
            phone_code=last_sms_code("13800001234"),
            photo_key=key_of(asked),
        )
    assert sent.status_code == 302
    p = Petition.objects.get()
    photo = PetitionPhoto.objects.get(petition=p)
    with Image.open(photo.image.path) as img:
        assert img.format == "JPEG" and img.size == (64, 48)
    # Claimed once: the kept row and its file are gone, only the item's own photo remains.
    assert not PendingPhoto.objects.exists() and pending_files(media) == []


@pytest.mark.parametrize(
    "refusal",
    ["too_fast", "wrong_answer", "rate_limited", "missing_description", "bad_sms_code"],
)
def test_every_refusal_keeps_the_photo_for_the_next_try(world, client, public_post, media, settings, refusal):
    fields = {"building": "b1token", "photos": [jpeg()]}
    if refusal == "too_fast":
        settings.PETITION_FORM_MIN_SECONDS = 3600
    elif refusal == "wrong_answer":
        fields["captcha_answer"] = "99"
    elif refusal == "rate_limited":
        settings.PETITION_LIMIT_PER_IP = (0, 3600)
    elif refusal == "missing_description":
        fields["description"] = ""
    else:
        fields.update(phone="13800001234", phone_code="000000")
    refused = public_post(**fields)
    assert refused.status_code == 200 and refused.context["form"].errors
    assert KEPT in refused.content.decode()
    assert Petition.objects.count() == 0

    settings.PETITION_FORM_MIN_SECONDS = 0
    settings.PETITION_LIMIT_PER_IP = (10, 3600)
    sent = public_post(building="b1token", photo_key=key_of(refused))
    assert sent.status_code == 302
    assert Petition.objects.get().photos.count() == 1


def test_a_kept_photo_can_be_removed_and_the_limit_counts_kept_ones(world, client, public_post, media):
    first = public_post(building="b1token", send_code="1", photos=[jpeg("a.jpg"), jpeg("b.jpg")])
    key = key_of(first)
    a, b = first.context["kept_photos"]
    too_many = public_post(building="b1token", photo_key=key, photos=[jpeg("c.jpg"), jpeg("d.jpg")])
    assert "photos" in too_many.context["form"].errors
    assert PendingPhoto.objects.count() == 2 and Petition.objects.count() == 0

    removed = public_post(building="b1token", photo_key=key, remove_photo=str(a.pk))
    assert [p.name for p in removed.context["kept_photos"]] == ["b.jpg"]
    assert public_post(building="b1token", photo_key=key, photos=[jpeg("c.jpg")]).status_code == 302
    assert Petition.objects.get().photos.count() == 2


def test_kept_photos_belong_to_their_form_only(world, client, public_post, media):
    mine = public_post(building="b1token", send_code="1", photos=[jpeg()])
    # Another form (a fresh key), a forged token, or a removal aimed at someone else's photo: nothing.
    other = public_post(building="b1token", send_code="1")
    assert list(other.context["kept_photos"]) == []
    forged = public_post(building="b1token", send_code="1", photo_key=key_of(mine)[:-2] + "xx")
    assert list(forged.context["kept_photos"]) == []
    photo = PendingPhoto.objects.get()
    public_post(building="b1token", send_code="1", photo_key=key_of(other), remove_photo=str(photo.pk))
    assert PendingPhoto.objects.filter(pk=photo.pk).exists()
    assert public_post(building="b1token", photo_key=key_of(other)).status_code == 302
    assert Petition.objects.get().photos.count() == 0 and PendingPhoto.objects.count() == 1


def test_expired_kept_photos_are_removed_by_the_sweep(
    world, public_post, media, django_capture_on_commit_callbacks
):
    public_post(building="b1token", send_code="1", photos=[jpeg()])
    assert len(pending_files(media)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        sweep.purge_counters(timezone.now())
    assert PendingPhoto.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        sweep.purge_counters(timezone.now() + KEEP_FOR)
    assert not PendingPhoto.objects.exists() and pending_files(media) == []


def test_a_kept_photo_that_cannot_be_decoded_is_dropped_with_a_message(world, client, public_post, media):
    asked = public_post(building="b1token", send_code="1", photos=[png_header_only(100, 100), jpeg("ok.jpg")])
    assert asked.context["kept_photos"].count() == 2
    sent = public_post(building="b1token", photo_key=key_of(asked))
    assert sent.status_code == 200 and Petition.objects.count() == 0
    assert sent.context["form"].non_field_errors() == [str(photos.UNREADABLE)]
    assert [p.name for p in sent.context["kept_photos"]] == ["ok.jpg"]
    assert public_post(building="b1token", photo_key=key_of(sent)).status_code == 302
    assert Petition.objects.get().photos.count() == 1


def noisy_jpeg(width, height, name="IMG_20240501.jpg"):
    """A phone-like photo: noise does not compress, so the file is as big as a real camera's."""
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=92)
    return SimpleUploadedFile(name, out.getvalue(), "image/jpeg")


def test_a_normal_phone_photo_is_accepted_and_scaled_down(world, public_post, media):
    photo = noisy_jpeg(4000, 3000)
    assert photo.size > 6 * 1024 * 1024
    assert public_post(building="b1token", photos=[photo]).status_code == 302
    stored = PetitionPhoto.objects.get()
    with Image.open(stored.image.path) as img:
        assert img.size == (2048, 1536)
    assert stored.image.size < 2 * 1024 * 1024


def test_a_photo_over_20_mb_or_40_megapixels_is_refused_with_a_clear_message(world, public_post, decodes):
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (20 * 1024 * 1024 + 10), "image/jpeg")
    response = public_post(building="b1token", photos=[big])
    assert "20 MB" in " ".join(response.context["form"].errors["photos"])
    response = public_post(building="b1token", photos=[png_header_only(8000, 6000)])
    assert "4000万像素" in " ".join(response.context["form"].errors["photos"])
    assert Petition.objects.count() == 0 and decodes == []


def test_nothing_is_decoded_before_the_anti_spam_check_passes(world, client, category, decodes):
    huge = png_header_only(6300, 6300)
    data = {
        "kind": "request",
        "category": category.pk,
        "building": "b1token",
        "description": "楼道灯坏了",
        **challenge_fields(),
        "captcha_answer": "99",
        "photos": [huge],
    }
    api = client.post("/api/v1/petitions/", data)
    assert api.status_code == 400
    assert list(api.json()) == ["captcha_answer"]
    huge.seek(0)
    page = client.post("/petitions/new/", {**data, **challenge_fields(), "captcha_answer": "99"})
    assert list(page.context["form"].errors) == ["captcha_answer"]
    assert decodes == []
    # The same request answered rightly is decoded (and this broken PNG refused), one photo at a time.
    huge.seek(0)
    api = client.post("/api/v1/petitions/", {**data, **challenge_fields(), "photos": [jpeg(), huge]})
    assert api.status_code == 400 and decodes == ["lamp.jpg", "huge.png"]
    assert Petition.objects.count() == 0


def test_nginx_lets_the_largest_allowed_form_through():
    conf = (Path(django_settings.BASE_DIR) / "deploy" / "nginx.conf.template").read_text()
    megabytes = int(re.search(r"client_max_body_size\s+(\d+)m;", conf).group(1))
    assert megabytes * 1024 * 1024 > photos.MAX_PHOTOS * photos.MAX_BYTES
