"""What keeps the public form usable without Redis or JavaScript: counters in the database, a small
arithmetic question signed into the form (works in WeChat's browser), a honeypot, a minimum fill time,
and one-time SMS codes stored hashed in the database."""

import datetime
import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.client_ip import client_ip  # noqa: F401 - the form, page and API limits count per client_ip
from notifications.sms import send_sms

from .models import PhoneCode, RateLimitHit

CAPTCHA_SALT = "petitions.captcha"
CODE_TTL = datetime.timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5


def limits():
    return {
        "submit_ip": getattr(settings, "PETITION_LIMIT_PER_IP", (10, 3600)),
        "submit_phone": getattr(settings, "PETITION_LIMIT_PER_PHONE", (5, 24 * 3600)),
        "code_ip": getattr(settings, "PETITION_CODE_LIMIT_PER_IP", (10, 3600)),
        "code_phone": getattr(settings, "PETITION_CODE_LIMIT_PER_PHONE", (5, 3600)),
    }


def rate_limited(kind: str, value: str) -> bool:
    """True when `value` has used up its allowance of `kind`; otherwise counts this use."""
    if not value:
        return False
    limit, window = limits()[kind]
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


def new_challenge() -> tuple[str, str]:
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    # The nonce makes every token distinct: a token is accepted once, and two people shown the same sum in
    # the same second must not share one.
    token = signing.dumps(
        {"a": a, "b": b, "t": int(time.time()), "n": secrets.token_hex(6)}, salt=CAPTCHA_SALT
    )
    return token, f"{a} + {b} = ?"


def check_challenge(token: str, answer) -> str | None:
    """None if passed, else the message to show."""
    try:
        data = signing.loads(token or "", salt=CAPTCHA_SALT, max_age=2 * 3600)
    except signing.BadSignature:
        return _("The form expired. Please answer the new question.")
    try:
        ok = int(str(answer).strip()) == data["a"] + data["b"]
    except (TypeError, ValueError):
        ok = False
    if not ok:
        return _("The answer to the question is wrong.")
    if time.time() - data["t"] < getattr(settings, "PETITION_FORM_MIN_SECONDS", 3):
        return _("That was too fast. Please check the form and send it again.")
    # One answer per question: a solved token replayed by a script is refused (rows purged by the sweep).
    key = "captcha:" + hashlib.sha256(token.encode()).hexdigest()
    with transaction.atomic():
        _lock_key(key)  # the same solved token sent twice at once passes once
        if RateLimitHit.objects.filter(key=key).exists():
            return _("The form expired. Please answer the new question.")
        RateLimitHit.objects.create(key=key)
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
            .filter(phone=phone, used_at__isnull=True, expires_at__gt=timezone.now())
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
