"""Personal data: masking for display, encryption at rest, and a blind index for look-ups."""

import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.db.models.functions import Right
from django.utils.cache import add_never_cache_headers


def no_store(response):
    """Every response that carries a clear phone or ID number: no browser, proxy or back button keeps it."""
    add_never_cache_headers(response)
    return response


def carries_clear_value(view):
    """Decorator form of no_store for views that may reveal a value (a function view or a DRF action)."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        return no_store(view(*args, **kwargs))

    return wrapped


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else "****"


def phone_last4(phone: str | None) -> str:
    """The last 4 digits, stored beside a phone so staff can find it without the clear number in a query."""
    digits = "".join(c for c in (phone or "") if c.isdigit())
    return digits[-4:] if len(digits) >= 4 else ""


def last4_term(term: str | None) -> str:
    """A search term that is the last 4 digits of a phone ("5678", "  5678 "), else ""."""
    term = (term or "").strip()
    return term if len(term) == 4 and term.isascii() and term.isdigit() else ""


def fill_phone_last4(queryset) -> int:
    """For data migrations: the stored last 4 digits of every row with a phone, in one UPDATE (phones are
    validated as 11 digits, so the last 4 characters are the last 4 digits)."""
    return queryset.exclude(phone="").update(phone_last4=Right("phone", 4))


def mask_id_number(number: str | None) -> str:
    if not number:
        return ""
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}" if len(number) > 8 else "****"


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.FIELD_ENCRYPTION_KEYS])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    """Re-encrypt with the newest key (after prepending one to FIELD_ENCRYPTION_KEYS)."""
    return _fernet().rotate(token.encode()).decode()


def blind_index(value: str) -> str:
    """A keyed hash: equal numbers give equal indexes, but the index reveals nothing without the key."""
    normalised = value.strip().upper()
    return hmac.new(settings.BLIND_INDEX_KEY.encode(), normalised.encode(), hashlib.sha256).hexdigest()
