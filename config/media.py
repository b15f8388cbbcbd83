"""Serving private uploads (visit photos, attachments) after a view has checked access.

Uploads never get a public URL. A view that has decided the user may see a file returns
`private_file_response(field_file)`: in production nginx streams it from an `internal` location named
by PRIVATE_MEDIA_X_ACCEL_PREFIX (X-Accel-Redirect); elsewhere Django streams it itself.
"""

import mimetypes
from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse


def private_file_response(field_file, *, as_attachment=False):
    if not field_file:
        raise Http404("No file.")
    name = PurePosixPath(field_file.name)
    if name.is_absolute() or ".." in name.parts:
        raise Http404("No file.")
    prefix = settings.PRIVATE_MEDIA_X_ACCEL_PREFIX
    if prefix:
        response = HttpResponse(content_type=mimetypes.guess_type(name.name)[0] or "application/octet-stream")
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(str(name))
        disposition = "attachment" if as_attachment else "inline"
        response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(name.name)}"
    else:
        try:
            response = FileResponse(field_file.open("rb"), as_attachment=as_attachment, filename=name.name)
        except FileNotFoundError:
            raise Http404("No file.") from None
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
