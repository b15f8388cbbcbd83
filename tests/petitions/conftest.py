import pytest

from grids.pii import phone_index
from petitions.models import Category
from petitions.services import petition_submit


@pytest.fixture
def category(db):
    return Category.objects.create(
        name="公共设施", accept_within=24, resolve_within=72, follow_up_after_days=3
    )


@pytest.fixture
def submit(category):
    """submit(world, **overrides): a public request about building b1 (grid g1) with a phone."""

    def make(w, **kw):
        data = {
            "kind": "request",
            "category": category,
            "description": "1栋楼道灯坏了",
            "channel": "public",
            "building": w.b1,
            "phone": "13811112222",
        }
        data.update(kw)
        return petition_submit(**data)

    return make


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a fresh directory the test can list."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def _no_fill_time(settings):
    settings.PETITION_FORM_MIN_SECONDS = 0


def answer(question: str) -> str:
    a, b = question.split("=")[0].split("+")
    return str(int(a) + int(b))


def challenge_fields():
    from petitions import antispam

    token, question = antispam.new_challenge()
    return {"captcha_token": token, "captcha_answer": answer(question)}


def last_sms_code(phone):
    from notifications.models import SmsLog

    return (
        SmsLog.objects.filter(phone_index=phone_index(phone), template="verify_code")
        .order_by("-pk")
        .first()
        .params["code"]
    )


@pytest.fixture
def public_post(client, category):
    """public_post(**fields): POST the public form with a valid anti-spam answer."""

    def post(url="/petitions/new/", **fields):
        data = {
            "kind": "request",
            "category": category.pk,
            "description": "楼道灯坏了，晚上看不见",
            **challenge_fields(),
        }
        data.update(fields)
        return client.post(url, data)

    return post
