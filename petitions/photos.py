"""Photo checks and cleaning: type and size checked, EXIF orientation applied, re-encoded without metadata.

Two steps, so nobody can make the server decode a photo before the cheap checks have passed:
`check_photo` reads only the file's size and header (format, width, height); `clean_photo` decodes it,
one photo at a time, and is called only once the form's anti-spam checks and rate limits have passed."""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTOS = 3
# An ordinary phone photo is 3-12 MB; it is scaled down to MAX_SIDE before it is stored.
MAX_BYTES = 20 * 1024 * 1024
# The pixel budget of one decode (about 120 MB as RGB); a 48-megapixel camera's photos are refused.
MAX_PIXELS = 40_000_000
# MPO is how Pillow reads the JPEGs many phone cameras write (a JPEG with a second, depth or preview
# frame); refusing it would refuse ordinary phone photos. GIF is not offered (the message names the three).
ALLOWED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
# Sharp on any phone screen, and a few hundred KB as a JPEG.
MAX_SIDE = 2048

UNREADABLE = _("This file is not a photo we can read.")


class CleanPhoto(ContentFile):
    """A photo already checked and re-encoded: the service stores it as it is."""


def check_photo(upload):
    """Refuse a photo by its size and header alone (nothing is decoded); return the upload."""
    if isinstance(upload, CleanPhoto):
        return upload
    if upload.size > MAX_BYTES:
        raise ValidationError(_("Each photo must be smaller than 20 MB."), code="photo_too_big")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise ValidationError(_("Please upload a JPEG, PNG or WebP photo."), code="photo_type")
            if probe.width * probe.height > MAX_PIXELS:
                raise _too_many_pixels()
            # Walks the file's structure (PNG chunks and their checksums) without decoding the pixels.
            probe.verify()
    except Image.DecompressionBombError:
        raise _too_many_pixels()
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError(UNREADABLE, code="photo_invalid")
    finally:
        upload.seek(0)
    return upload


def _too_many_pixels():
    return ValidationError(
        _("This photo has too many pixels (over 40 megapixels). Please choose a smaller one."),
        code="photo_too_big",
    )


def check_photos(uploads) -> list:
    uploads = [u for u in uploads if u]
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError(_("At most 3 photos."), code="too_many_photos")
    return [check_photo(u) for u in uploads]


def clean_photo(upload) -> ContentFile:
    """Return a JPEG without metadata, at most MAX_SIDE on its long side, or raise ValidationError with a
    message the resident understands. A photo cleaned before is returned unchanged: re-encoded once."""
    if isinstance(upload, CleanPhoto):
        return upload
    check_photo(upload)
    try:
        return CleanPhoto(decode(upload), name="photo.jpg")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise ValidationError(UNREADABLE, code="photo_invalid")
    finally:
        upload.seek(0)


def decode(upload) -> bytes:
    """The one place a photo's pixels are decoded; the full-size image is released before returning."""
    with Image.open(upload) as image:
        # A JPEG is decoded straight at 1/2, 1/4 or 1/8 of its size when that still covers MAX_SIDE.
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        # Turned upright after shrinking, so the full-size image is never copied.
        small = ImageOps.exif_transpose(image).convert("RGB")
    out = io.BytesIO()
    # A fresh image object carries no EXIF/XMP/GPS unless we pass it: nothing is passed.
    small.save(out, format="JPEG", quality=85)
    return out.getvalue()


def clean_photos(uploads) -> list[ContentFile]:
    """Check every photo's header first, then decode them one at a time."""
    return [clean_photo(u) for u in check_photos(uploads)]
