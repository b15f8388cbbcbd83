"""Container health check for the web service: GET /healthz on the local gunicorn, exit 0 if 200.

Sends the first ALLOWED_HOSTS entry as Host, since Django rejects unknown hosts; /healthz is exempt from
the HTTPS redirect (SECURE_REDIRECT_EXEMPT), so plain HTTP inside the container is enough.
"""

import os
import sys
import urllib.error
import urllib.request

host = (os.environ.get("ALLOWED_HOSTS") or "localhost").split(",")[0].strip().lstrip(".") or "localhost"
if host == "*":
    host = "localhost"
port = os.environ.get("PORT", "8000")
request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": host})
try:
    with urllib.request.urlopen(request, timeout=5) as response:  # nosec B310 # a fixed http://127.0.0.1 URL
        sys.exit(0 if response.status == 200 else 1)
except (urllib.error.URLError, OSError) as exc:
    print(f"/healthz failed: {exc}", file=sys.stderr)
    sys.exit(1)
