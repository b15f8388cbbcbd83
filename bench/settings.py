"""Production settings with the bench's URLs (a bare view beside the project's), for bench.public_pages and
bench.load."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# The benches talk plain HTTP to gunicorn on loopback (in production TLS ends at the proxy in front). A
# client keeps a Secure cookie only for https addresses, so bench.load's logged-in grid leaders and its
# form posts need the session and CSRF cookies without the flag; the pages do the same work either way.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# No mail leaves the machine: the worker's notices to grid leaders are built and then dropped.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
