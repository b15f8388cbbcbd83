"""Serving private files (petition and visit photos, meeting attachments, project evidence, reports)
after a view has checked access.

Files never get a public URL. A view that has decided the user may see a file returns
`private_file_response(field_file)`:
- on S3-compatible storage (MEDIA_STORAGE_URL, config/storage.py) a redirect to a signed address that
  expires after a few minutes, so every web node serves every file and the bytes never pass through Django;
- with local files in production, nginx streams the file from an `internal` location named by
  PRIVATE_MEDIA_X_ACCEL_PREFIX (X-Accel-Redirect);
- elsewhere (`make run`, tests) Django streams it itself.
"""

import mimetypes
from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect


def private_file_response(field_file, *, as_attachment=False):
    if not field_file:
        raise Http404("No file.")
    name = PurePosixPath(field_file.name)
    if name.is_absolute() or ".." in name.parts:
        raise Http404("No file.")
    content_type = mimetypes.guess_type(name.name)[0] or "application/octet-stream"
    disposition = "attachment" if as_attachment else "inline"
    disposition = f"{disposition}; filename*=UTF-8''{quote(name.name)}"
    storage = field_file.storage
    prefix = settings.PRIVATE_MEDIA_X_ACCEL_PREFIX
    if getattr(storage, "signs_urls", False):
        # The storage serves the file itself; its answer carries the type and name asked for here.
        url = storage.url(
            str(name),
            parameters={"ResponseContentType": content_type, "ResponseContentDisposition": disposition},
        )
        response = HttpResponseRedirect(url)
        # The address expires: never reuse a cached redirect.
        response["Cache-Control"] = "private, no-store"
        return response
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(str(name))
        response["Content-Disposition"] = disposition
    else:
        try:
            response = FileResponse(field_file.open("rb"), as_attachment=as_attachment, filename=name.name)
        except FileNotFoundError:
            raise Http404("No file.") from None
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
