"""The anti-spam question: its answer cannot be read from the token, a token cannot be made without the
server's key, and each token takes one answer, right or wrong."""

import base64
import binascii
import time

import pytest
from django.core import signing

from petitions import antispam
from petitions.models import Petition

from .conftest import answer

pytestmark = pytest.mark.django_db
EXPIRED = "表单已过期，请回答新的验证题。"


def _readable_parts(token):
    """Whatever base64 decoding of the token's parts can show."""
    out = b""
    for part in token.replace(":", ".").split("."):
        try:
            out += base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        except (binascii.Error, ValueError):
            continue
    return out


def test_the_answer_cannot_be_read_from_the_token():
    token, question = antispam.new_challenge()
    seen = _readable_parts(token)
    # Random ciphertext may hold any single byte, so look for what a readable payload would spell out.
    assert b'"sum"' not in seen and b'"a":' not in seen
    with pytest.raises(signing.BadSignature):
        signing.loads(token, salt=antispam.CAPTCHA_SALT)
    assert antispam.check_challenge(token, answer(question)) is None


def test_a_token_made_without_the_key_is_refused():
    forged = signing.dumps({"a": 1, "b": 1, "sum": 2, "t": 0}, salt=antispam.CAPTCHA_SALT)
    assert antispam.check_challenge(forged, "2") == EXPIRED
    assert antispam.check_challenge("", "2") == EXPIRED


def test_a_wrong_answer_uses_the_token_up():
    token, question = antispam.new_challenge()
    wrong = str(int(answer(question)) + 1)
    assert antispam.check_challenge(token, wrong) == "验证题答案不对。"
    # Trying the right answer next, as a script walking through 2..18 would: too late.
    assert antispam.check_challenge(token, answer(question)) == EXPIRED


def test_an_answer_sent_too_soon_is_refused_and_spent(settings):
    settings.PETITION_FORM_MIN_SECONDS = 60
    token, question = antispam.new_challenge()
    assert antispam.check_challenge(token, answer(question)) == "提交太快了，请检查后再提交一次。"
    assert antispam.check_challenge(token, answer(question)) == EXPIRED


def test_an_old_question_expires(monkeypatch):
    token, question = antispam.new_challenge()
    later = time.time() + antispam.CAPTCHA_TTL + 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert antispam.check_challenge(token, answer(question)) == EXPIRED


def test_the_public_form_takes_one_answer_per_question(world, client, category):
    data = {"kind": "request", "category": category.pk, "building": "b1token", "description": "楼道灯坏了"}
    token, question = antispam.new_challenge()
    wrong = str(int(answer(question)) + 1)
    first = client.post("/petitions/new/", {**data, "captcha_token": token, "captcha_answer": wrong})
    assert first.status_code == 200 and "验证题答案不对" in first.content.decode()
    again = client.post(
        "/petitions/new/", {**data, "captcha_token": token, "captcha_answer": answer(question)}
    )
    assert again.status_code == 200 and "表单已过期" in again.content.decode()
    assert not Petition.objects.exists()
