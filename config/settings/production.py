"""Settings for a real server. Refuses to start without its secrets."""

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEV_FIELD_ENCRYPTION_KEY, env

_REQUIRED = [
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "FIELD_ENCRYPTION_KEYS",
    "BLIND_INDEX_KEY",
]
_missing = [name for name in _REQUIRED if not env.str(name, default="")]
if _missing:
    raise ImproperlyConfigured(f"Production settings need these environment variables: {', '.join(_missing)}")

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS")
BLIND_INDEX_KEY = env("BLIND_INDEX_KEY")

# The development defaults of base.py are public: a server using one of them is misconfigured.
if SECRET_KEY.startswith("linli-local") or BLIND_INDEX_KEY.startswith("linli-local"):
    raise ImproperlyConfigured("SECRET_KEY and BLIND_INDEX_KEY must not be the development defaults.")
try:
    _fernets = [Fernet(key) for key in FIELD_ENCRYPTION_KEYS]
except ValueError:
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS must be Fernet keys (32 url-safe base64-encoded bytes), newest first: "
        "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
    ) from None
if DEV_FIELD_ENCRYPTION_KEY in FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must not contain the development key.")

# TLS ends at the proxy service, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The container health check calls /healthz over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Media as base.py chose (MEDIA_STORAGE_URL or local files); static files compressed, with hashed names.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}  # noqa: F405
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
if env.str("EMAIL_URL", default=""):
    # smtp+tls://user:password@host:587 sets EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS, ...
    globals().update(env.email_url("EMAIL_URL"))
# Uploads are private: views check access, then (with local files) hand the file to the proxy with
# X-Accel-Redirect (see config/media.py and deploy/nginx.conf.template), so nginx streams it without a
# public URL; on S3 storage they redirect to a short-lived signed address instead.
PRIVATE_MEDIA_X_ACCEL_PREFIX = env("PRIVATE_MEDIA_X_ACCEL_PREFIX", default="/protected-media/")
CONN_MAX_AGE = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_MAX_AGE"] = CONN_MAX_AGE  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# --- Several machines (README, "Running on several machines") --------------------------------
# Nothing a request relies on may live in one process: sessions are database rows (Django's default
# engine, kept explicit here), rate limits and login failures are rows too (petitions.antispam,
# accounts.lockout), and the cache of public pages is a database table every web node shares
# (`manage.py createcachetable`, run by docker-compose), so an edit's new version shows on every node.
# Not Redis: a broker outage must not take the public pages down with it.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "linli_cache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}
# PgBouncer in transaction mode (PGBOUNCER_TRANSACTION_MODE=true): a server-side cursor (.iterator())
# would outlive the transaction its connection was lent for, so Django must not open them; and Django's
# own persistent connections add little behind a pooler, so by default each request closes its connection
# (a CONN_MAX_AGE set in the environment still wins; the health checks above stay on).
if env.bool("PGBOUNCER_TRANSACTION_MODE", default=False):
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)  # noqa: F405
