"""The public form: QR pre-fill, anti-spam, phone verification, limits, photos and bad input."""

import io

import pytest
from PIL import Image

from grids.pii import phone_index
from notifications.models import SmsLog
from petitions.models import Petition, PetitionPhoto

from .conftest import challenge_fields, last_sms_code

pytestmark = [pytest.mark.sqlite, pytest.mark.django_db]


def jpeg_with_exif(size=(40, 20)):
    image = Image.new("RGB", size, "red")
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90°
    exif[0x010F] = "SecretCam"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    out.seek(0)
    out.name = "p.jpg"
    return out


def test_qr_link_prefills_building_and_submission_answers_with_tracking_code(world, client, public_post):
    page = client.get("/petitions/new/?building=b1token")
    assert page.status_code == 200
    assert "1栋" in page.content.decode() and 'value="b1token"' in page.content.decode()
    response = public_post(building="b1token", photos=[jpeg_with_exif()])
    assert response.status_code == 302
    p = Petition.objects.get()
    assert response["Location"] == f"/petitions/track/{p.tracking_code}/"
    assert (p.building, p.grid, p.community, p.channel) == (world.b1, world.g1, world.c1, "public")
    track = client.get(response["Location"])
    assert p.tracking_code in track.content.decode()
    # The photo was turned upright and lost its metadata.
    photo = PetitionPhoto.objects.get()
    with Image.open(photo.image.path) as img:
        assert img.size == (20, 40)
        assert "exif" not in img.info and not img.getexif()
    assert client.get(f"/petitions/track/{p.tracking_code}/photos/{photo.pk}/").status_code == 200


def test_building_code_works_too_and_unknown_code_is_refused(world, client, public_post):
    assert public_post(building=world.b2.code).status_code == 302
    page = client.get("/petitions/new/?building=nope")
    assert (
        "We do not know this building code" in page.content.decode()
        or "不认识" in page.content.decode()
        or page.context["bad_building"]
    )
    response = public_post(building="nope")
    assert response.status_code == 200 and "building" in response.context["form"].errors
    assert Petition.objects.count() == 1


def test_phone_must_be_verified_by_sms_code(world, client, public_post):
    response = public_post(building="b1token", phone="13800001234", send_code="1")
    assert response.status_code == 200 and response.context["code_sent"]
    assert SmsLog.objects.filter(template="verify_code", phone_index=phone_index("13800001234")).count() == 1
    bad = public_post(building="b1token", phone="13800001234", phone_code="000000")
    assert bad.status_code == 200 and "phone_code" in bad.context["form"].errors
    code = last_sms_code("13800001234")
    ok = public_post(building="b1token", phone="13800001234", phone_code=code)
    assert ok.status_code == 302
    p = Petition.objects.get()
    assert p.phone == "13800001234" and p.phone_verified


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"description": ""}, "description"),
        ({"description": "x" * 2001}, "description"),
        ({"kind": "xinfang"}, "kind"),
        ({"category": "abc"}, "category"),
        ({"captcha_answer": "999"}, "captcha_answer"),
        ({"captcha_token": "forged"}, "captcha_answer"),
        ({"phone": "12345"}, "phone"),
        ({"community": ""}, "community"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(world, public_post, fields, field):
    data = {"community": world.c1.pk, **fields}
    response = public_post(**data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Petition.objects.count() == 0


def test_honeypot_and_wrong_file_type(world, public_post):
    assert public_post(building="b1token", website="http://spam").status_code == 200
    text = io.BytesIO(b"<script>alert(1)</script>")
    text.name = "x.jpg"
    response = public_post(building="b1token", photos=[text])
    assert "photos" in response.context["form"].errors
    too_many = [jpeg_with_exif() for _ in range(4)]
    assert "photos" in public_post(building="b1token", photos=too_many).context["form"].errors
    assert Petition.objects.count() == 0


def test_oversized_photo_is_refused(world, public_post):
    big = io.BytesIO(b"\xff\xd8" + b"0" * (20 * 1024 * 1024 + 10))
    big.name = "big.jpg"
    response = public_post(building="b1token", photos=[big])
    assert "photos" in response.context["form"].errors
    assert Petition.objects.count() == 0


def test_script_tags_are_stored_as_text_and_escaped(world, client, public_post):
    public_post(building="b1token", description="<script>alert('x')</script> 灯坏了")
    p = Petition.objects.get()
    page = client.get(f"/petitions/track/{p.tracking_code}/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_rate_limit_per_ip(world, settings, public_post):
    settings.PETITION_LIMIT_PER_IP = (2, 3600)
    assert public_post(building="b1token").status_code == 302
    assert public_post(building="b1token").status_code == 302
    third = public_post(building="b1token")
    assert third.status_code == 200 and third.context["form"].non_field_errors()
    assert Petition.objects.count() == 2


def test_unknown_tracking_code_is_404(world, client):
    assert client.get("/petitions/track/NOSUCHCODE22/").status_code == 404
    assert client.get("/api/v1/petitions/track/NOSUCHCODE22/").status_code == 404


def test_resident_rates_on_tracking_page_and_sees_no_internal_notes(world, client, submit):
    from petitions import services as s

    p = submit(world)
    s.petition_accept(petition=p, by=world.bob)
    s.petition_transition(petition=p, action="annotate", by=world.alice, note="内部备注：住户脾气急")
    s.petition_start(petition=p, by=world.bob)
    s.petition_resolve(petition=p, by=world.bob, note="已更换灯泡")
    page = client.get(f"/petitions/track/{p.tracking_code}/").content.decode()
    assert "已更换灯泡" in page and "内部备注" not in page and "13811112222" not in page
    response = client.post(
        f"/petitions/track/{p.tracking_code}/",
        {"solved": "yes", "satisfaction": "satisfied", **challenge_fields()},
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == "closed" and p.satisfaction == "satisfied"


def test_form_is_usable_before_any_category_exists(world, client):
    from petitions.models import Category

    assert not Category.objects.exists()
    page = client.get("/petitions/new/?building=b1token")
    assert page.status_code == 200
    assert 'name="category"' not in page.content.decode()
    response = client.post(
        "/petitions/new/?building=b1token",
        {"kind": "wish", "building": "b1token", "description": "想请人帮忙修一下轮椅", **challenge_fields()},
    )
    assert response.status_code == 302
    p = Petition.objects.get()
    # Filed under "other" with its default deadlines, so supervision still works.
    assert p.category.name == "其他" and p.accept_due_at is not None
