"""What keeps the public form usable without Redis or JavaScript: counters in the database, a small
arithmetic question sealed into the form (works in WeChat's browser), a honeypot, a minimum fill time,
and one-time SMS codes stored hashed in the database."""

import base64
import datetime
import hashlib
import hmac
import json
import secrets
import time

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.client_ip import client_ip  # noqa: F401 - the form, page and API limits count per client_ip
from grids import pii
from notifications.sms import send_sms

from .models import PhoneCode, RateLimitHit

CAPTCHA_SALT = "petitions.captcha"
CAPTCHA_TTL = 2 * 3600  # seconds a question may stay open
CODE_TTL = datetime.timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5


def limits():
    return {
        "submit_ip": getattr(settings, "PETITION_LIMIT_PER_IP", (10, 3600)),
        "submit_phone": getattr(settings, "PETITION_LIMIT_PER_PHONE", (5, 24 * 3600)),
        "code_ip": getattr(settings, "PETITION_CODE_LIMIT_PER_IP", (10, 3600)),
        "code_phone": getattr(settings, "PETITION_CODE_LIMIT_PER_PHONE", (5, 3600)),
        # Photos kept between the form's posts (services.pending): a few forms' worth an hour.
        "photo_ip": getattr(settings, "PETITION_PHOTO_LIMIT_PER_IP", (24, 3600)),
        # Calls made with one API key (integrations): its client's own allowance an hour, this the default.
        "api_key": (1000, 3600),
    }


# Limits counted per phone: the row keeps the phone's blind index, never the number.
PHONE_KINDS = {"submit_phone", "code_phone"}


def rate_limited(kind: str, value: str, *, limit: int | None = None) -> bool:
    """True when `value` has used up its allowance of `kind` (or `limit` uses in the kind's window);
    otherwise counts this use."""
    if not value:
        return False
    default, window = limits()[kind]
    limit = default if limit is None else limit
    if kind in PHONE_KINDS:
        value = pii.phone_index(value)
    key = f"{kind}:{value}"[:80]
    since = timezone.now() - datetime.timedelta(seconds=window)
    with transaction.atomic():
        _lock_key(key)
        if RateLimitHit.objects.filter(key=key, created_at__gte=since).count() >= limit:
            return True
        RateLimitHit.objects.create(key=key)
    return False


def _lock_key(key: str) -> None:
    """Serialise count-and-insert per key until the transaction ends, so requests arriving together cannot
    all count the same number and go over the limit. PostgreSQL: a transaction-level advisory lock on a
    hash of the key (a collision only makes two keys wait for each other). SQLite: the IMMEDIATE
    transaction already takes the write lock at BEGIN, so writers run one at a time."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"petitions.rate:{key}"])


def _captcha_fernet() -> Fernet:
    # A key of its own, derived from SECRET_KEY for this one purpose.
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=CAPTCHA_SALT.encode()).derive(
        settings.SECRET_KEY.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def new_challenge() -> tuple[str, str]:
    """A question and its token: the answer sealed in it (encrypted and authenticated), so a script can
    neither read the answer from the token nor make a token of its own."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    payload = json.dumps({"sum": a + b, "t": int(time.time())}).encode()
    return _captcha_fernet().encrypt(payload).decode(), f"{a} + {b} = ?"


def check_challenge(token: str, answer) -> str | None:
    """None if passed, else the message to show. A token is spent by its first answer, right or wrong:
    a script cannot try the answers one by one."""
    expired = _("The form expired. Please answer the new question.")
    try:
        data = json.loads(_captcha_fernet().decrypt((token or "").encode(), ttl=CAPTCHA_TTL))
    except (InvalidToken, ValueError):
        return expired
    # Rows purged by the sweep.
    key = "captcha:" + hashlib.sha256(token.encode()).hexdigest()
    with transaction.atomic():
        _lock_key(key)  # the same token sent twice at once is answered once
        if RateLimitHit.objects.filter(key=key).exists():
            return expired
        RateLimitHit.objects.create(key=key)
    try:
        ok = int(str(answer).strip()) == data["sum"]
    except (TypeError, ValueError):
        ok = False
    if not ok:
        return _("The answer to the question is wrong.")
    if time.time() - data["t"] < getattr(settings, "PETITION_FORM_MIN_SECONDS", 3):
        return _("That was too fast. Please check the form and send it again.")
    return None


def _hash(phone, code):
    return hmac.new(settings.SECRET_KEY.encode(), f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def send_phone_code(phone: str) -> PhoneCode:
    code = f"{secrets.randbelow(1_000_000):06d}"
    row = PhoneCode.objects.create(
        phone=phone, code_hash=_hash(phone, code), expires_at=timezone.now() + CODE_TTL
    )
    # Sent at once, not through the broker: the resident is waiting for it. The console backend writes a
    # row in the database, a real provider answers over HTTP.
    send_sms(
        phone=phone, template="verify_code", params={"code": code}, idempotency_key=f"phonecode:{row.pk}"
    )
    return row


def verify_phone_code(phone: str, code: str) -> bool:
    code = (code or "").strip()
    with transaction.atomic():
        row = (
            PhoneCode.objects.select_for_update()
            .filter(phone_index=pii.phone_index(phone), used_at__isnull=True, expires_at__gt=timezone.now())
            .order_by("-created_at")
            .first()
        )
        if row is None or row.attempts >= CODE_MAX_ATTEMPTS:
            return False
        if hmac.compare_digest(row.code_hash, _hash(phone, code)):
            row.used_at = timezone.now()
            row.save(update_fields=["used_at"])
            return True
        row.attempts += 1
        row.save(update_fields=["attempts"])
    return False
