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


def phone_term(term: str | None) -> str:
    """A search term that is a whole mobile number ("138 1234 5678" too), else "": found by its blind
    index, as a number typed in full must match exactly."""
    term = "".join((term or "").split()).replace("-", "")
    return term if len(term) == 11 and term.isascii() and term.isdigit() else ""


def fill_phone_last4(queryset) -> int:
    """For the data migrations that added the column while phones were still clear: the stored last 4
    digits of every row with a phone, in one UPDATE (phones are validated as 11 digits)."""
    return queryset.exclude(phone="").update(phone_last4=Right("phone", 4))


def phone_index(phone: str | None) -> str | None:
    """The blind index of a phone: an exact look-up (login, the SMS code, duplicates) without the clear
    number. None when there is no phone, so a unique index allows many rows without one. The prefix keeps
    phones and ID numbers apart."""
    phone = (phone or "").strip()
    return blind_index(f"phone:{phone}") if phone else None


def phone_columns(phone: str | None) -> dict:
    """What `grids.models.EncryptedPhone` stores for a clear phone: ciphertext, blind index, last 4, mask."""
    phone = (phone or "").strip()
    return {
        "phone_encrypted": encrypt(phone) if phone else "",
        "phone_index": phone_index(phone),
        "phone_last4": phone_last4(phone),
        "phone_masked": mask_phone(phone),
    }


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


PHONE_COLUMNS = ("phone_encrypted", "phone_index", "phone_last4", "phone_masked")


def encrypt_phones(model, batch_size=500) -> None:
    """For data migrations (a historical model with both the clear `phone` and the new columns): encrypt
    every clear phone, a batch of rows per UPDATE, on PostgreSQL and SQLite alike."""
    rows = model.objects.exclude(phone__isnull=True).exclude(phone="").only("pk", "phone").order_by("pk")
    _in_batches(model, rows, lambda row: phone_columns(row.phone), PHONE_COLUMNS, batch_size)


def decrypt_phones(model, *, empty="", batch_size=500) -> None:
    """The reverse of `encrypt_phones`: the clear `phone` back from the ciphertext (`empty` for none)."""
    rows = model.objects.only("pk", "phone_encrypted").order_by("pk")
    _in_batches(
        model,
        rows,
        lambda row: {"phone": decrypt(row.phone_encrypted) if row.phone_encrypted else empty},
        ("phone",),
        batch_size,
    )


def _in_batches(model, rows, columns, fields, batch_size):
    # The keys first, then one batch at a time: SQLite does not isolate a cursor from updates to its table.
    pks = list(rows.values_list("pk", flat=True))
    for start in range(0, len(pks), batch_size):
        batch = list(rows.filter(pk__in=pks[start : start + batch_size]))
        for row in batch:
            for name, value in columns(row).items():
                setattr(row, name, value)
        model.objects.bulk_update(batch, fields)
