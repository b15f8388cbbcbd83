"""Photo checks and cleaning: type and size checked, EXIF orientation applied, re-encoded without metadata."""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTOS = 3
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
# MPO is how Pillow reads the JPEGs many phone cameras write (a JPEG with a second, depth or preview
# frame); refusing it would refuse ordinary phone photos. GIF is not offered (the message names the three).
ALLOWED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
# Phone photos are large; 1600 px on the long side is plenty to see a broken lamp.
MAX_SIDE = 1600


class CleanPhoto(ContentFile):
    """A photo already checked and re-encoded (by the form): the service stores it as it is."""


def clean_photo(upload) -> ContentFile:
    """Return a JPEG without metadata, or raise ValidationError with a message the resident understands.
    A photo cleaned before (the form, then the service) is returned unchanged: re-encoded once."""
    if isinstance(upload, CleanPhoto):
        return upload
    if upload.size > MAX_BYTES:
        raise ValidationError(_("Each photo must be smaller than 5 MB."), code="photo_too_big")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise ValidationError(_("Please upload a JPEG, PNG or WebP photo."), code="photo_type")
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("The photo is too large."), code="photo_too_big")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            # A fresh image object carries no EXIF/XMP/GPS unless we pass it: nothing is passed.
            image.save(out, format="JPEG", quality=85)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise ValidationError(_("This file is not a photo we can read."), code="photo_invalid")
    return CleanPhoto(out.getvalue(), name="photo.jpg")


def clean_photos(uploads) -> list[ContentFile]:
    uploads = [u for u in uploads if u]
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError(_("At most 3 photos."), code="too_many_photos")
    return [clean_photo(u) for u in uploads]
