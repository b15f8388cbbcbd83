"""Photos the public form keeps between its posts (PendingPhoto): kept, removed, claimed and purged.

A form carries a signed photo key in a hidden field; the photos chosen in any post of that form are kept
under the key, so asking for an SMS code or correcting a mistake loses none. Only the form's final,
successful submission claims them (petition_submit with photo_key)."""

import datetime
import os
import secrets

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import antispam
from ..models import PendingPhoto
from ..photos import MAX_PHOTOS, clean_photo
from .files import delete_files

PHOTO_KEY_SALT = "petitions.photo-key"
# As long as the form's anti-spam question stays valid; the sweep removes what is older.
KEEP_FOR = datetime.timedelta(hours=2)
PURGE_BATCH = 500


def new_photo_key() -> str:
    return secrets.token_hex(16)


def photo_key_token(key) -> str:
    """The signed token the form carries; signed afresh each time the form is shown, so a form in use
    keeps its key as long as its photos are kept."""
    return signing.dumps(key, salt=PHOTO_KEY_SALT)


def photo_key_from(token) -> str:
    """The key of a token this site signed within KEEP_FOR, else ""."""
    try:
        key = signing.loads(token or "", salt=PHOTO_KEY_SALT, max_age=KEEP_FOR)
    except signing.BadSignature:
        return ""
    return key if isinstance(key, str) else ""


def pending_photos_keep(*, key, uploads, ip):
    """Keep this post's photos (already checked by size and header) under the form's key."""
    uploads = [u for u in uploads if u]
    if not key or not uploads:
        return
    if PendingPhoto.objects.kept_for(key).count() + len(uploads) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most 3 photos. Remove a kept photo first.")})
    for _upload in uploads:
        # Each kept photo is up to 20 MB on disk for two hours: counted per network.
        if antispam.rate_limited("photo_ip", ip):
            raise ValidationError({"photos": _("Too many photos from this network. Please try again later.")})
    now = timezone.now()
    written = []
    try:
        with transaction.atomic():
            for upload in uploads:
                row = PendingPhoto(
                    key=key,
                    name=os.path.basename(upload.name or "")[:100],
                    size=upload.size,
                    expires_at=now + KEEP_FOR,
                )
                upload.seek(0)
                row.image.save("photo", upload, save=False)
                written.append((row.image.storage, row.image.name))
                row.save()
            # The form is still being filled in: everything it keeps stays as long as the newest.
            PendingPhoto.objects.filter(key=key).update(expires_at=now + KEEP_FOR)
    except BaseException:
        delete_files(written)
        raise


def pending_photo_remove(*, key, pk):
    """The resident took one kept photo back."""
    with transaction.atomic():
        _delete(list(PendingPhoto.objects.kept_for(key).filter(pk=pk)))


def pending_photos_clean(key) -> list:
    """Decode the photos kept under `key`, one at a time: [(row id, CleanPhoto)]. One that cannot be
    read is dropped and refused, so the form shows again with the others still kept."""
    cleaned = []
    for row in PendingPhoto.objects.kept_for(key):
        try:
            with row.image.open("rb") as f:
                cleaned.append((row.pk, clean_photo(f)))
        except (ValidationError, FileNotFoundError) as exc:
            pending_photo_remove(key=key, pk=row.pk)
            if isinstance(exc, ValidationError):
                raise ValidationError({"photos": exc.messages})
    return cleaned


def pending_photos_claim(ids) -> set:
    """Inside the submission's transaction: take the kept rows, so no second submission attaches them.
    Their files go once the submission commits (they were re-encoded into the item's own files)."""
    rows = list(PendingPhoto.objects.select_for_update().filter(pk__in=ids))
    _delete(rows)
    return {row.pk for row in rows}


def pending_photos_purge(now=None) -> int:
    """Remove what forms left behind (never sent, or sent elsewhere) once it expired."""
    with transaction.atomic():
        rows = list(PendingPhoto.objects.expired(now).order_by("pk")[:PURGE_BATCH])
        _delete(rows)
    return len(rows)


def _delete(rows):
    if not rows:
        return
    files = [(row.image.storage, row.image.name) for row in rows]
    PendingPhoto.objects.filter(pk__in=[row.pk for row in rows]).delete()
    transaction.on_commit(lambda: delete_files(files))
