"""Settings shared by every environment. Values come from the environment (django-environ)."""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from config.client_ip import parse_trusted_proxies

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Local state of `make run` (SQLite file, embedded broker, media). VAR_DIR lets a test or a second
# checkout keep its own.
VAR_DIR = Path(env.path("VAR_DIR", default=BASE_DIR / "var"))

SECRET_KEY = env("SECRET_KEY", default="linli-local-development-key-not-for-production")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Reverse proxies (addresses or CIDR networks) whose X-Forwarded-For is believed; empty: none, the client
# is REMOTE_ADDR. See config/client_ip.py.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
try:
    parse_trusted_proxies(TRUSTED_PROXIES)
except ValueError as exc:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES must list addresses or CIDR networks: {exc}") from None

INSTALLED_APPS = [
    "unfold",
    "unfold.contrib.filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Linli's apps come before the other third-party ones: for a msgid both translate (e.g. "Name",
    # which django-celery-beat renders as 任务名), the app listed first wins.
    "accounts",
    "grids",
    "governance",
    "petitions",
    "visits",
    "volunteers",
    "servicemap",
    "projects",
    "deliberation",
    "cobuilding",
    "notifications",
    "imports",
    "hotline",
    "dashboard",
    "cards",
    "stats",
    "assistance",
    "integrations",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.security.LinliCSPMiddleware",
    "config.security.PermissionsPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.IdleSessionTimeoutMiddleware",
    "integrations.middleware.ApiClientUseMiddleware",
    # Last, as django-axes asks: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["config.inline_static"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# With no DATABASE_URL, an embedded SQLite file. WAL and IMMEDIATE transactions let the web
# server, the worker and beat write to it at once without "database is locked".
VAR_DIR.mkdir(parents=True, exist_ok=True)
# An empty DATABASE_URL counts as unset (as in an .env copied from .env.example and left blank).
DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'linli.sqlite3'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        }
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UsernameOrPhoneBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "home"

# Failed logins (accounts/lockout.py): an account is locked for one client after AXES_FAILURE_LIMIT
# failures, for everyone after LOGIN_FAILURE_LIMIT_PER_ACCOUNT, and a client trying many accounts after
# LOGIN_FAILURE_LIMIT_PER_CLIENT, each counted over the cool-off.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_LIMIT_PER_ACCOUNT = env.int("LOGIN_FAILURE_LIMIT_PER_ACCOUNT", default=20)
LOGIN_FAILURE_LIMIT_PER_CLIENT = env.int("LOGIN_FAILURE_LIMIT_PER_CLIENT", default=10)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_USERNAME_CALLABLE = "accounts.lockout.login_username"
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"
# Attempts refused while locked are not counted again: a lock ends one cool-off after the last failure.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Staff sessions end after this many idle seconds; residents' and volunteers' last longer.
STAFF_SESSION_IDLE_SECONDS = env.int("STAFF_SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_COOKIE_AGE = 14 * 24 * 3600

# --- Language and time -----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media ------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads and generated files (photos, attachments, reports, import files) go through Django's storage
# API. Unset: local files under MEDIA_ROOT (`make run`, one server). Set, an S3-compatible bucket that
# every web node and worker shares, e.g. s3://KEY:SECRET@minio:9000/linli?secure=0 (config/storage.py).
MEDIA_STORAGE_URL = env.str("MEDIA_STORAGE_URL", default="")
if MEDIA_STORAGE_URL:
    from config.storage import parse_media_storage_url

    _media_storage = parse_media_storage_url(MEDIA_STORAGE_URL)
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _media_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded photos are private: served by views that check access, never from a public URL.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"
# Empty: private files are streamed by Django (config.media.private_file_response); production sets the
# internal nginx location instead.
PRIVATE_MEDIA_X_ACCEL_PREFIX = env("PRIVATE_MEDIA_X_ACCEL_PREFIX", default="")
# A file larger than this is streamed to a temporary file, not held in memory (photos are up to 20 MB
# each: petitions/photos.py). The data limit counts the form fields only, never the files; the size of
# a whole request is capped by nginx's client_max_body_size (deploy/nginx.conf.template).
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- Personal data ---------------------------------------------------------------------------
# MultiFernet keys, newest first; rotate by prepending a new key. Never derived from SECRET_KEY.
# The development key is public: production settings refuse it.
DEV_FIELD_ENCRYPTION_KEY = "bGlubGktbG9jYWwtZGV2LWtleS0wMDAwMDAwMDAwMDA="
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[DEV_FIELD_ENCRYPTION_KEY])
# Key for the HMAC blind index that lets us look up and deduplicate ID numbers.
BLIND_INDEX_KEY = env("BLIND_INDEX_KEY", default="linli-local-blind-index-key")

# --- Celery ----------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2, "max_retries": 1}
else:
    # Embedded broker for a laptop: kombu's filesystem transport, no server to install.
    _broker_dir = VAR_DIR / "broker"
    (_broker_dir / "queue").mkdir(parents=True, exist_ok=True)
    (_broker_dir / "processed").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://localhost//"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # Where the transport keeps its exchange table; by default a "control" folder in the working directory.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    # The filesystem transport has no fan-out exchange for remote control.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Two queues, so that a slow job cannot delay a reminder: "default" carries the sweeps, reminders, SMS and
# notices (short tasks), "exports" the spreadsheets, PDFs and registry imports (seconds to minutes each). A
# server runs a worker for each (`celery worker -Q default` and `-Q exports`, docker-compose.yml); a worker
# started without -Q (make run, the tests) consumes both.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = (Queue("default"), Queue("exports"))
CELERY_TASK_ROUTES = {
    "stats.tasks.build_report": {"queue": "exports"},
    "imports.run_job": {"queue": "exports"},
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# One fixed schedule; apps add their sweeps here (see petitions/, volunteers/).
CELERY_BEAT_SCHEDULE: dict = {
    # stats: the closed months' counts are counted again every night (the roles behind "claimed by" and
    # anything else no request records); a ledger import's months are counted at once.
    "stats-refresh-monthly-counts": {
        "task": "stats.tasks.refresh_monthly_counts",
        "schedule": crontab(hour=2, minute=30),
    },
    # stats: a late change in a closed month (resolved, followed up, rated, closed, merged; a contact
    # deadline passed) is counted within minutes, for its community and months only; found from the
    # requests' own rows each time, so a missed run loses nothing.
    "stats-catch-up-monthly-counts": {"task": "stats.tasks.catch_up_monthly_counts", "schedule": 120.0},
    # volunteers: lapsed love coupons are marked expired and their escrow returns to the pool.
    "volunteers-expire-coupons": {"task": "volunteers.expire_coupons", "schedule": 15 * 60},
    # volunteers: unused points lapse only when VOLUNTEERS_POINTS_EXPIRE_AFTER_DAYS is set (default: never).
    "volunteers-expire-points": {"task": "volunteers.expire_points", "schedule": 24 * 60 * 60},
    # petitions: reminders, escalations, follow-ups and SMS are outbox rows; this sweep sends the due ones.
    "petitions-sweep-outbox": {"task": "petitions.sweep_outbox", "schedule": 60.0},
    # imports: a registry import whose worker stopped (restart, crash) is sent again and resumes.
    "imports-resume-stale": {"task": "imports.resume_stale", "schedule": 60.0},
    # deliberation: reminders and escalations of resolution tasks, through petitions' outbox loop.
    "deliberation-sweep-outbox": {"task": "deliberation.sweep_outbox", "schedule": 60.0},
    # notifications: each digest user's notices of a day, one message the next morning from 07:00; a run
    # every ten minutes sends those due (a missed run loses nothing, a second one sends nothing twice).
    "notifications-send-digests": {"task": "notifications.send_digests", "schedule": 10 * 60.0},
}

# A registry import file up to this size is checked and imported in the request; larger ones in the worker.
IMPORTS_INLINE_MAX_BYTES = env.int("IMPORTS_INLINE_MAX_BYTES", default=64 * 1024)

# --- Volunteers ------------------------------------------------------------------------------
# Whether points expire is a setting: empty or unset, points never expire; a number of days, the
# part of a balance not earned within that many days lapses back to the community pool (daily beat sweep).
_points_expire_after = env("VOLUNTEERS_POINTS_EXPIRE_AFTER_DAYS", default=None)
VOLUNTEERS_POINTS_EXPIRE_AFTER_DAYS = int(_points_expire_after) if _points_expire_after else None
if VOLUNTEERS_POINTS_EXPIRE_AFTER_DAYS is not None and VOLUNTEERS_POINTS_EXPIRE_AFTER_DAYS < 1:
    raise ImproperlyConfigured(
        "VOLUNTEERS_POINTS_EXPIRE_AFTER_DAYS must be a positive number of days or empty."
    )
# An award of more points than this waits for a second staff member's approval.
VOLUNTEERS_AWARD_APPROVAL_THRESHOLD = env.int("VOLUNTEERS_AWARD_APPROVAL_THRESHOLD", default=100)

# An overdue request goes up one level (grid → community → street); if it is still overdue this many hours
# after an escalation, it goes up again.
PETITION_ESCALATE_AGAIN_HOURS = env.int("PETITION_ESCALATE_AGAIN_HOURS", default=24)

# --- Maps ------------------------------------------------------------------------------------
# A link to a map at a visit's GPS point, with {lat} and {lon} (WGS-84 degrees) in it, e.g.
# https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}. Empty: no map link.
MAP_LINK_TEMPLATE = env("MAP_LINK_TEMPLATE", default="")

# The 15-minute service circle's map.
# Map tiles: a Leaflet URL template, e.g. Tianditu "https://t{s}.tianditu.gov.cn/vec_w/wmts?...&tk=KEY"
# (subdomains 01234567) or AMap "https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}"
# (subdomains 1234). Empty (the default): no map area, the page is a list sorted by distance.
# Coordinates are entered in the tiles' system: CGCS2000/WGS-84 for Tianditu, GCJ-02 for AMap.
SERVICE_MAP_TILE_URL = env("SERVICE_MAP_TILE_URL", default="")
SERVICE_MAP_TILE_SUBDOMAINS = env("SERVICE_MAP_TILE_SUBDOMAINS", default="")
SERVICE_MAP_TILE_ATTRIBUTION = env("SERVICE_MAP_TILE_ATTRIBUTION", default="")
# An overlay of labels drawn above the tiles (Tianditu's cva_w); empty for none.
SERVICE_MAP_LABEL_URL = env("SERVICE_MAP_LABEL_URL", default="")
# 15 minutes on foot, as a straight-line radius in metres (about 1,000-1,200 m).
SERVICE_MAP_WALK_METRES = env.int("SERVICE_MAP_WALK_METRES", default=1000)
# Milestone reminders reach the responsible person this many days before a milestone is due.
PROJECTS_REMIND_DAYS_BEFORE = env.int("PROJECTS_REMIND_DAYS_BEFORE", default=3)

# --- Cache -----------------------------------------------------------------------------------
# Rate limits and anything that must survive a broker outage live in the database, not here.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Mail and SMS ----------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="linli@localhost")
SMS_BACKEND = env("SMS_BACKEND", default="notifications.sms.ConsoleSmsBackend")
# The console backend prints each message in full (verification codes included) and the SmsLog admin shows
# its parameters: on for `make run`, where nobody receives a real SMS; never on a server.
SMS_CONSOLE_SHOWS_CONTENT = env.bool("SMS_CONSOLE_SHOWS_CONTENT", default=False)
# A real provider: SMS_BACKEND=notifications.sms_providers.AliyunSmsBackend or …TencentSmsBackend, with the
# signature name and {our template name: the provider's approved template code} (JSON), e.g.
# {"verify_code": "SMS_1234", "petition_accepted": "SMS_1235", ...}. Credentials only from the environment.
SMS_SIGN_NAME = env("SMS_SIGN_NAME", default="")
SMS_TEMPLATE_CODES = env.json("SMS_TEMPLATE_CODES", default={})
SMS_TIMEOUT = env.float("SMS_TIMEOUT", default=5.0)
ALIYUN_SMS_ACCESS_KEY_ID = env("ALIYUN_SMS_ACCESS_KEY_ID", default="")
ALIYUN_SMS_ACCESS_KEY_SECRET = env("ALIYUN_SMS_ACCESS_KEY_SECRET", default="")
ALIYUN_SMS_REGION = env("ALIYUN_SMS_REGION", default="cn-hangzhou")
ALIYUN_SMS_ENDPOINT = env("ALIYUN_SMS_ENDPOINT", default="https://dysmsapi.aliyuncs.com")
TENCENT_SMS_SECRET_ID = env("TENCENT_SMS_SECRET_ID", default="")
TENCENT_SMS_SECRET_KEY = env("TENCENT_SMS_SECRET_KEY", default="")
TENCENT_SMS_APP_ID = env("TENCENT_SMS_APP_ID", default="")
TENCENT_SMS_REGION = env("TENCENT_SMS_REGION", default="ap-guangzhou")
TENCENT_SMS_ENDPOINT = env("TENCENT_SMS_ENDPOINT", default="https://sms.tencentcloudapi.com")
# WeChat: the Official Account (or mini-program) whose users may bind their account for notices; off when
# the app id is empty. Template ids per message kind (JSON), e.g. {"reminder": "tmpl-id"}.
WECHAT_APP_ID = env("WECHAT_APP_ID", default="")
WECHAT_APP_SECRET = env("WECHAT_APP_SECRET", default="")
WECHAT_TEMPLATE_IDS = env.json("WECHAT_TEMPLATE_IDS", default={})
WECHAT_MINI_PAGE = env("WECHAT_MINI_PAGE", default="pages/index/index")
WECHAT_API_BASE = env("WECHAT_API_BASE", default="https://api.weixin.qq.com")
WECHAT_OAUTH_BASE = env("WECHAT_OAUTH_BASE", default="https://open.weixin.qq.com")
WECHAT_TIMEOUT = env.float("WECHAT_TIMEOUT", default=5.0)

# --- API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # The key first: DRF takes the first class's challenge, so a bad key answers 401 (integrations.auth).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "integrations.auth.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.ObjectJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "integrations.auth.KeyScopePermission",
    ],
    "DEFAULT_PAGINATION_CLASS": "config.paging.CappedPageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["config.api_filters.FilterBackend"],
    # Errors in one shape (config.api_errors), each operation's error codes documented (config.api_schema).
    "DEFAULT_SCHEMA_CLASS": "config.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "config.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Linli API",
    "DESCRIPTION": "邻里 community governance portal",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    # Several models name a choice field `kind` or `status`; each gets a stable component name here
    # instead of a generated hash (Kind712Enum), which `spectacular --fail-on-warn` reports as a warning.
    "ENUM_NAME_OVERRIDES": {
        "PetitionKindEnum": "petitions.models.Petition.Kind",
        "PetitionStatusEnum": "petitions.models.Petition.Status",
        "OfferKindEnum": "volunteers.models.Offer.Kind",
        "CouponStatusEnum": "volunteers.models.Coupon.Status",
        "ServicePointKindEnum": "servicemap.models.Kind",
        "ProjectKindEnum": "projects.models.Project.Kind",
        "ProjectStatusEnum": "projects.models.Project.Status",
        "TopicOutcomeEnum": "deliberation.models.Topic.Outcome",
        "VisitOutcomeEnum": "visits.models.Visit.Outcome",
        "MeetingKindEnum": "deliberation.models.Meeting.Kind",
        "AssistanceCaseStatusEnum": "assistance.models.Case.Status",
        "CobuildingKindEnum": "cobuilding.models.Kind",
        "NotificationDeliveryEnum": "notifications.models.NotificationPreference.Delivery",
        "NotificationSmsEnum": "notifications.models.NotificationPreference.Sms",
        "NeedStatusEnum": "cobuilding.models.Need.Status",
    },
}

# --- Generated documents ---------------------------------------------------------------------
# A TrueType CJK font to embed in PDFs (contact cards); see config/pdf.py.
PDF_CJK_FONT = env.str("PDF_CJK_FONT", default="/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
# The site's public address for links printed on paper (QR codes), e.g. https://linli.example.cn;
# empty: the address the request came in on.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="").rstrip("/")

# --- Admin (unfold) --------------------------------------------------------------------------
UNFOLD = {
    "SITE_TITLE": _("Linli · Community governance"),
    "SITE_HEADER": _("Linli"),
    "SITE_SYMBOL": "diversity_3",
    "SHOW_LANGUAGES": True,
}

# --- Browser policies ------------------------------------------------------------------------
# django-csp 4 format. No inline script anywhere (behaviour lives in static files); style-src allows
# 'unsafe-inline' because htmx, Leaflet and ECharts set style attributes. The map tile hosts are added
# per request from SERVICE_MAP_TILE_URL/SERVICE_MAP_LABEL_URL (config/security.py), and the admin gets
# 'unsafe-eval' for its Alpine.js (CSP_ADMIN_PREFIX).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
if MEDIA_STORAGE_URL:
    # Photos are shown through a redirect to the storage's signed address: its origin must be an image source.
    _media_public = urlsplit(_media_storage["OPTIONS"]["public_endpoint_url"])
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        f"{_media_public.scheme}://{_media_public.netloc}"
    )
CSP_ADMIN_PREFIX = "/admin/"
# Only the map pages and the visit form locate the phone; nothing uses the camera through the browser
# API (photos come from a file input) or any other sensor.
PERMISSIONS_POLICY = {
    "geolocation": ["self"],
    "camera": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "accelerometer": [],
    "gyroscope": [],
    "magnetometer": [],
}

# --- Logging ---------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "kv": {"format": "%(asctime)s level=%(levelname)s logger=%(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "kv"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
