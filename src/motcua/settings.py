"""Django settings. Everything that differs between machines comes from the environment:
DATABASE_URL (default: SQLite file under var/) and MOTCUA_* variables."""
import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from motcua.core.config import secret_key, trusted_proxies

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).lower() in ("1", "true", "yes", "on")


DEBUG = env_bool("MOTCUA_DEBUG", False)
# MOTCUA_SECRET_KEY, or a random key generated once into var/secret-key; a weak or published key with debug
# off refuses to start (motcua.core.config).
SECRET_KEY = secret_key(os.environ, VAR_DIR, DEBUG)
ALLOWED_HOSTS = os.environ.get("MOTCUA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from this site: /api/v1/docs/ works with no internet
    "motcua.core",
    "motcua.agencies",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.signing",
    "motcua.feedback",
    "motcua.indicators",
    "motcua.citizens",
    "motcua.portal",
    "motcua.office",
    "motcua.slips",
    "django_tasks",
    "django_tasks_db",
    "motcua.integrations",
    "motcua.integrations.notifications",
    "motcua.documents",
    "motcua.datastore",
    "motcua.ocr",
    "motcua.search",
    "motcua.demo",  # the demo province and `motcua seed`/`motcua demo`: above every app, each app's data in <app>/demo.py
]

MIDDLEWARE = [
    "motcua.core.security.TrustedProxyMiddleware",
    "motcua.core.security.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.locale.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "motcua.core.middleware.RejectNulMiddleware",     # after CSRF: sees the posted form it parsed
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "motcua.portal.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "core" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "motcua.portal.context.web",
                "motcua.core.security.csp",
            ]
        },
    }
]

DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL") or DEFAULT_SQLITE, conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside the single writer; IMMEDIATE takes the write lock at BEGIN so
        # two writers queue instead of deadlocking on a lock upgrade.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("MOTCUA_TEST_SQLITE")}  # None = in memory

# LockoutBackend first: a locked account or address is refused before any password check (core/logins.py).
AUTHENTICATION_BACKENDS = ["motcua.core.logins.LockoutBackend", "django.contrib.auth.backends.ModelBackend",
                           "motcua.citizens.oidc.Backend"]

# Sign-in through an OpenID Connect identity provider (VNeID / national portal SSO; motcua/citizens/oidc.py).
# Off unless MOTCUA_OIDC_CLIENT_ID and the endpoints are set. Claim names are not published for VNeID:
# MOTCUA_OIDC_CLAIMS (JSON) maps id_number / full_name / birth_date to the provider's claim names.
MOTCUA_OIDC_PROVIDER_NAME = os.environ.get("MOTCUA_OIDC_PROVIDER_NAME", "VNeID")
MOTCUA_OIDC_ISSUER = os.environ.get("MOTCUA_OIDC_ISSUER", "")
MOTCUA_OIDC_CLAIMS = json.loads(os.environ.get("MOTCUA_OIDC_CLAIMS") or "{}")
OIDC_RP_CLIENT_ID = os.environ.get("MOTCUA_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("MOTCUA_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("MOTCUA_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("MOTCUA_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("MOTCUA_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("MOTCUA_OIDC_JWKS_ENDPOINT", "") or None
OIDC_RP_SIGN_ALGO = os.environ.get("MOTCUA_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("MOTCUA_OIDC_SCOPES", "openid profile")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "citizens:oidc_callback"
OIDC_CREATE_USER = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
WHITENOISE_USE_FINDERS = True  # static files served from the apps without collectstatic
WHITENOISE_AUTOREFRESH = DEBUG
LOGIN_URL = "portal:login"
MEDIA_ROOT = Path(os.environ.get("MOTCUA_MEDIA_ROOT", VAR_DIR / "media"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "motcua.agencies.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "motcua.core.errors.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "motcua.core.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {"public_lookup": os.environ.get("MOTCUA_LOOKUP_RATE", "30/min")},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # `?format=` belongs to the views that document it (the indicator export: xlsx|pdf), not to content
    # negotiation: with DRF's default override, ?format=pdf answered 404 before the view ran.
    "URL_FORMAT_OVERRIDE": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Motcua API",
    "DESCRIPTION": "API của hệ thống một cửa điện tử Motcua (hồ sơ thủ tục hành chính).",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # 3.1: component schemas are JSON Schema 2020-12, so tests validate responses with plain jsonschema.
    "OAS_VERSION": "3.1.0",
    "ENUM_NAME_OVERRIDES": {"RoleEnum": "motcua.agencies.models.Role"},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "motcua.core.api.nullable_to_oas31", "motcua.core.api.every_operation_may_answer_400"],
    # The committed docs/openapi.yaml is the contract; tests/api checks it is current.
}

# "default" is shared by every worker process (rate limits, lock-outs, DRF throttles): the database cache
# (table motcua_cache, created by migrate) or Redis with MOTCUA_CACHE_URL=redis://...; "local" is a
# per-process memo for pages built from rarely changing data.
MOTCUA_CACHE_URL = os.environ.get("MOTCUA_CACHE_URL", "")
if MOTCUA_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    _shared_cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": MOTCUA_CACHE_URL,
                     "KEY_PREFIX": "motcua"}
elif MOTCUA_CACHE_URL in ("", "db", "database"):
    _shared_cache = {"BACKEND": "motcua.core.cache.SharedDatabaseCache", "LOCATION": "motcua_cache",
                     "OPTIONS": {"MAX_ENTRIES": 200_000}}
else:
    raise ImproperlyConfigured("MOTCUA_CACHE_URL must be redis://..., rediss://..., unix://... or db")
CACHES = {"default": _shared_cache, "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Production (README "Configuration"): HTTPS and proxies.
MOTCUA_TRUSTED_PROXIES = trusted_proxies(os.environ)
if MOTCUA_TRUSTED_PROXIES:
    # TrustedProxyMiddleware drops X-Forwarded-Proto unless a trusted proxy sent it.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("MOTCUA_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("MOTCUA_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("MOTCUA_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("MOTCUA_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("MOTCUA_SECURE_COOKIES", False)
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("MOTCUA_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
CSRF_FAILURE_VIEW = "motcua.core.handlers.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MOTCUA_LOG_LEVEL", "WARNING")},
}

# Domain settings (DOMAIN.md marks the code format as unconfirmed: keep it configurable).
MOTCUA_DOSSIER_CODE_FORMAT = os.environ.get("MOTCUA_DOSSIER_CODE_FORMAT", "{agency}-{yymmdd}-{seq:04d}")
MOTCUA_LOOKUP_SECRET_DIGITS = int(os.environ.get("MOTCUA_LOOKUP_SECRET_DIGITS", "4"))
# Agency kinds whose receiving officers receive for any competent agency of the province (Decree 118/2025
# "phi địa giới"); everyone else receives only for their own organisation and what lies under it.
MOTCUA_PROVINCE_WIDE_RECEIPT_KINDS = [k.strip() for k in os.environ.get(
    "MOTCUA_PROVINCE_WIDE_RECEIPT_KINDS", "centre").split(",") if k.strip()]
# Brute force: per dossier, N wrong lookup secrets lock its lookup; per account and per client address,
# N wrong passwords lock the login (both for the lock-out minutes).
MOTCUA_LOOKUP_MAX_FAILURES = int(os.environ.get("MOTCUA_LOOKUP_MAX_FAILURES", "5"))
MOTCUA_LOOKUP_LOCKOUT_MINUTES = int(os.environ.get("MOTCUA_LOOKUP_LOCKOUT_MINUTES", "15"))
MOTCUA_LOGIN_MAX_FAILURES_ACCOUNT = int(os.environ.get("MOTCUA_LOGIN_MAX_FAILURES_ACCOUNT", "5"))
MOTCUA_LOGIN_MAX_FAILURES_ADDRESS = int(os.environ.get("MOTCUA_LOGIN_MAX_FAILURES_ADDRESS", "20"))
MOTCUA_LOGIN_LOCKOUT_MINUTES = int(os.environ.get("MOTCUA_LOGIN_LOCKOUT_MINUTES", "15"))
MOTCUA_TOKEN_DAYS = int(os.environ.get("MOTCUA_TOKEN_DAYS", "90"))
MOTCUA_MAX_UPLOAD_BYTES = int(os.environ.get("MOTCUA_MAX_UPLOAD_MB", "20")) * 1024 * 1024
# Uploads (motcua.dossiers.uploads): the file size is counted while the request streams in (the first
# handler drops a file's bytes past the limit); form fields and JSON bodies (no files) stay small; files
# over 2.5 MB go to a temporary file, not memory.
FILE_UPLOAD_HANDLERS = ["motcua.dossiers.uploads.LimitedUploadHandler",
                        "django.core.files.uploadhandler.MemoryFileUploadHandler",
                        "django.core.files.uploadhandler.TemporaryFileUploadHandler"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440
MOTCUA_MAX_IMAGE_PIXELS = int(os.environ.get("MOTCUA_MAX_IMAGE_PIXELS", "60000000"))   # A4 at 600 dpi: 35 M
MOTCUA_MAX_UNZIPPED_BYTES = int(os.environ.get("MOTCUA_MAX_UNZIPPED_MB", "100")) * 1024 * 1024
MOTCUA_MAX_ZIP_RATIO = int(os.environ.get("MOTCUA_MAX_ZIP_RATIO", "100"))
# Online filings not submitted: files kept at most this long, and at most this much per account.
MOTCUA_PENDING_UPLOAD_HOURS = int(os.environ.get("MOTCUA_PENDING_UPLOAD_HOURS", "24"))
MOTCUA_PENDING_UPLOAD_MAX_FILES = int(os.environ.get("MOTCUA_PENDING_UPLOAD_MAX_FILES", "40"))
MOTCUA_PENDING_UPLOAD_MAX_BYTES = int(os.environ.get("MOTCUA_PENDING_UPLOAD_MAX_MB", "200")) * 1024 * 1024
# Virus scan with ClamAV (clamd): "required" fails closed (an unreachable scanner quarantines the file);
# "off" only for development (manage.py check warns).
MOTCUA_VIRUS_SCAN = os.environ.get("MOTCUA_VIRUS_SCAN", "required")
MOTCUA_CLAMD_SOCKET = os.environ.get("MOTCUA_CLAMD_SOCKET", str(VAR_DIR / "clamav" / "clamd.sock"))
MOTCUA_CLAMD_TIMEOUT = float(os.environ.get("MOTCUA_CLAMD_TIMEOUT", "30"))

# Digital signatures (motcua.signing, docs/signing.md)
MOTCUA_SIGNING_TRUST_ROOTS = [p for p in os.environ.get("MOTCUA_SIGNING_TRUST_ROOTS", "").split(os.pathsep) if p]
MOTCUA_SIGNING_TSA_URL = os.environ.get("MOTCUA_SIGNING_TSA_URL", "")
# History checkpoints (dossiers/checkpoints.py): keep the directory on other storage than the database.
MOTCUA_HISTORY_CHECKPOINT_DIR = Path(os.environ.get("MOTCUA_HISTORY_CHECKPOINT_DIR",
                                                    VAR_DIR / "history-checkpoints"))
MOTCUA_HISTORY_CHECKPOINT_KEY = Path(os.environ.get("MOTCUA_HISTORY_CHECKPOINT_KEY",
                                                    VAR_DIR / "keys" / "history-checkpoint.pem"))
MOTCUA_HISTORY_TSA_URL = os.environ.get("MOTCUA_HISTORY_TSA_URL", MOTCUA_SIGNING_TSA_URL)
# `motcua worker` writes a checkpoint this often (minutes; 0: only by the `history-checkpoint` command)
MOTCUA_HISTORY_CHECKPOINT_MINUTES = int(os.environ.get("MOTCUA_HISTORY_CHECKPOINT_MINUTES", "15"))
MOTCUA_SIGNING_LEVEL = os.environ.get("MOTCUA_SIGNING_LEVEL", "B-T")
MOTCUA_SIGNING_EXPIRY_WARNING_DAYS = int(os.environ.get("MOTCUA_SIGNING_EXPIRY_WARNING_DAYS", "30"))
MOTCUA_SIGNING_FETCH_REVOCATION = env_bool("MOTCUA_SIGNING_FETCH_REVOCATION", True)
MOTCUA_SIGNING_VERIFY_RATE = os.environ.get("MOTCUA_SIGNING_VERIFY_RATE", "20/min")
# The demo's own test PKI directory (`motcua signing demo-pki`); Motcua then answers its OCSP, CRL and TSA.
MOTCUA_SIGNING_DEMO_PKI = os.environ.get("MOTCUA_SIGNING_DEMO_PKI", "")
# Hosts ("host" or "host:port", comma separated) verification may fetch OCSP/CRL/CA certificates from;
# empty: verification never fetches (B-LT files carry their own data). Never the URLs of an upload.
MOTCUA_SIGNING_FETCH_ALLOW = [h.strip() for h in os.environ.get("MOTCUA_SIGNING_FETCH_ALLOW", "").split(",")
                              if h.strip()]
# `motcua signing extend`: re-timestamp archived files whose last timestamp expires within this many days
MOTCUA_SIGNING_ARCHIVE_BEFORE_DAYS = int(os.environ.get("MOTCUA_SIGNING_ARCHIVE_BEFORE_DAYS", "90"))

# Background work (motcua.integrations.delivery, docs/integrations.md): Django's task framework through the
# django-tasks backport, jobs stored by django-tasks-db in the same database (and transaction) as the acts.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
MOTCUA_DELIVERY = {
    "max_attempts": int(os.environ.get("MOTCUA_DELIVERY_MAX_ATTEMPTS", "15")),
    "backoff_base": float(os.environ.get("MOTCUA_DELIVERY_BACKOFF_BASE", "2")),
    "backoff_cap": float(os.environ.get("MOTCUA_DELIVERY_BACKOFF_CAP", "300")),
    "lease_seconds": float(os.environ.get("MOTCUA_DELIVERY_LEASE_SECONDS", "120")),
    "stale_task_seconds": float(os.environ.get("MOTCUA_DELIVERY_STALE_TASK_SECONDS", "300")),
    "sweep_after_seconds": float(os.environ.get("MOTCUA_DELIVERY_SWEEP_AFTER_SECONDS", "300")),
}

# The national data store (kho dữ liệu on DVCQG), read by motcua.datastore ('' plugin = not connected).
MOTCUA_DATASTORE_NATIONAL = {
    "plugin": os.environ.get("MOTCUA_DATASTORE_NATIONAL", ""),
    "url": os.environ.get("MOTCUA_DATASTORE_NATIONAL_URL", ""),
    "token": os.environ.get("MOTCUA_DATASTORE_NATIONAL_TOKEN", ""),
    "timeout": float(os.environ.get("MOTCUA_DATASTORE_NATIONAL_TIMEOUT", "10")),
}

# OCR of scans (motcua.ocr, docs/digitisation.md): OCRmyPDF + Tesseract in the background worker.
MOTCUA_OCR = {
    "languages": [x for x in os.environ.get("MOTCUA_OCR_LANGUAGES", "vie+eng").split("+") if x],
    "max_pages": int(os.environ.get("MOTCUA_OCR_MAX_PAGES", "200")),
    "time_limit_seconds": float(os.environ.get("MOTCUA_OCR_TIME_LIMIT_SECONDS", "900")),
    "page_timeout_seconds": float(os.environ.get("MOTCUA_OCR_PAGE_TIMEOUT_SECONDS", "180")),
    "min_dpi": int(os.environ.get("MOTCUA_OCR_MIN_DPI", "150")),
    "low_confidence": float(os.environ.get("MOTCUA_OCR_LOW_CONFIDENCE", "70")),
    "rotate_threshold": float(os.environ.get("MOTCUA_OCR_ROTATE_THRESHOLD", "2")),
    "bulk_max_files": int(os.environ.get("MOTCUA_OCR_BULK_MAX_FILES", "50")),
}

# Exchange of documents with other agencies (edXML): the replay window of signed direct calls, whether edXML
# PDF attachments must carry a valid signature, and the national exchange platform connection (pull model).
MOTCUA_EXCHANGE = {
    "window": int(os.environ.get("MOTCUA_EXCHANGE_WINDOW", "300")),
    "require_signature": env_bool("MOTCUA_EXCHANGE_REQUIRE_SIGNATURE", True),
    "platform_url": os.environ.get("MOTCUA_EXCHANGE_PLATFORM_URL", ""),
    "platform_system_id": os.environ.get("MOTCUA_EXCHANGE_PLATFORM_SYSTEM_ID", ""),
    "platform_secret": os.environ.get("MOTCUA_EXCHANGE_PLATFORM_SECRET", ""),
    "poll_every_seconds": int(os.environ.get("MOTCUA_EXCHANGE_POLL_EVERY_SECONDS", "30")),
}

# National portal (DVCQG) sync: the province's provider ('' = none) and its connection.
MOTCUA_NATIONAL_PORTAL = os.environ.get("MOTCUA_NATIONAL_PORTAL", "dvcqg")
MOTCUA_DVCQG = {
    "url": os.environ.get("MOTCUA_DVCQG_URL", ""),
    "auth": os.environ.get("MOTCUA_DVCQG_AUTH", "lgsp"),             # lgsp (OAuth2 via LGSP/NGSP) | session
    "client_id": os.environ.get("MOTCUA_DVCQG_CLIENT_ID", ""),
    "client_secret": os.environ.get("MOTCUA_DVCQG_CLIENT_SECRET", ""),
    "username": os.environ.get("MOTCUA_DVCQG_USERNAME", ""),
    "password": os.environ.get("MOTCUA_DVCQG_PASSWORD", ""),
    "dstcode": os.environ.get("MOTCUA_DVCQG_DSTCODE", ""),
    "timeout": float(os.environ.get("MOTCUA_DVCQG_TIMEOUT", "30")),
    "ca_file": os.environ.get("MOTCUA_DVCQG_CA_FILE", ""),
    "province": os.environ.get("MOTCUA_DVCQG_PROVINCE", "H13"),
    "webhook_secret": os.environ.get("MOTCUA_DVCQG_WEBHOOK_SECRET", ""),
    "webhook_window": int(os.environ.get("MOTCUA_DVCQG_WEBHOOK_WINDOW", "300")),
    "poll": env_bool("MOTCUA_DVCQG_POLL", False),
    "share_endpoint": os.environ.get("MOTCUA_DVCQG_SHARE_ENDPOINT", "/adapter/share"),   # classic adapter only
}

# Notifications to applicants (motcua.integrations.notifications, docs/notifications.md). A channel is used
# only when its settings are complete; MOTCUA_NOTIFY_CHANNELS (comma separated) may switch some off.
_notify_channels = os.environ.get("MOTCUA_NOTIFY_CHANNELS")
MOTCUA_NOTIFY = {
    "channels": None if _notify_channels is None else [c.strip() for c in _notify_channels.split(",") if c.strip()],
    "public_url": os.environ.get("MOTCUA_PUBLIC_URL", ""),
    "payment_howto": os.environ.get(
        "MOTCUA_NOTIFY_PAYMENT_HOWTO",
        "Nộp trực tuyến trên Cổng Dịch vụ công quốc gia (mục Thanh toán trực tuyến) bằng mã hồ sơ, "
        "hoặc nộp trực tiếp tại Bộ phận Một cửa nơi tiếp nhận hồ sơ."),
    "email": {
        "host": os.environ.get("MOTCUA_EMAIL_HOST", ""),
        "port": int(os.environ.get("MOTCUA_EMAIL_PORT", "25")),
        "user": os.environ.get("MOTCUA_EMAIL_USER", ""),
        "password": os.environ.get("MOTCUA_EMAIL_PASSWORD", ""),
        "starttls": env_bool("MOTCUA_EMAIL_STARTTLS", False),
        "ssl": env_bool("MOTCUA_EMAIL_SSL", False),
        "from": os.environ.get("MOTCUA_EMAIL_FROM", "Motcua <no-reply@motcua.local>"),
        "timeout": float(os.environ.get("MOTCUA_EMAIL_TIMEOUT", "20")),
    },
    "zalo": {   # Zalo Notification Service: template messages by phone number
        "url": os.environ.get("MOTCUA_ZALO_ZNS_URL", "https://business.openapi.zalo.me"),
        "access_token": os.environ.get("MOTCUA_ZALO_ZNS_ACCESS_TOKEN", ""),
        "template_id": os.environ.get("MOTCUA_ZALO_ZNS_TEMPLATE_ID", ""),   # when a template has none of its own
        "param_max": int(os.environ.get("MOTCUA_ZALO_ZNS_PARAM_MAX", "400")),
        "timeout": float(os.environ.get("MOTCUA_ZALO_ZNS_TIMEOUT", "20")),
    },
    "sms": {    # SMS brandname, VNPT "send_sms_list" JSON contract (INTEGRATIONS.md 6)
        "url": os.environ.get("MOTCUA_SMS_URL", ""),
        "labelid": os.environ.get("MOTCUA_SMS_LABELID", ""),
        "contracttypeid": os.environ.get("MOTCUA_SMS_CONTRACTTYPEID", "1"),
        "contractid": os.environ.get("MOTCUA_SMS_CONTRACTID", ""),
        "templateid": os.environ.get("MOTCUA_SMS_TEMPLATEID", ""),     # when a template has none of its own
        "agentid": os.environ.get("MOTCUA_SMS_AGENTID", ""),
        "apiuser": os.environ.get("MOTCUA_SMS_APIUSER", ""),
        "apipass": os.environ.get("MOTCUA_SMS_APIPASS", ""),
        "username": os.environ.get("MOTCUA_SMS_USERNAME", ""),
        "istelcosub": os.environ.get("MOTCUA_SMS_ISTELCOSUB", "0"),
        "max_chars": int(os.environ.get("MOTCUA_SMS_MAX_CHARS", "306")),
        # carrier ERROR codes worth retrying (the list is not published: NOT CONFIRMED, set per contract)
        "transient_errors": [c.strip() for c in os.environ.get("MOTCUA_SMS_TRANSIENT_ERRORS", "").split(",")
                             if c.strip()],
        "timeout": float(os.environ.get("MOTCUA_SMS_TIMEOUT", "20")),
    },
}

# Field names of the procedure-card services that no source confirmed (INTEGRATIONS.md §1.2): override here
# per province, e.g. {"code_arg": "MaTTHC", "level_field": "MUCDO", "list_service": "LayDanhSachTTHC"}.
# Keys and defaults: motcua.integrations.portal.contrib.dvcqg.cards.CardConfig.
MOTCUA_DVCQG_CARD = json.loads(os.environ.get("MOTCUA_DVCQG_CARD", "{}"))
# Online payment (motcua.integrations.payments, docs/payments.md): the gateways offered to citizens
# (comma separated: vnpay, paygov; '' = none) and their connections.
MOTCUA_PAYMENT_GATEWAYS = [g.strip() for g in os.environ.get("MOTCUA_PAYMENT_GATEWAYS", "").split(",") if g.strip()]
MOTCUA_PAYMENTS = {
    "poll_after_minutes": int(os.environ.get("MOTCUA_PAYMENTS_POLL_AFTER_MINUTES", "30")),
    "poll_max_days": int(os.environ.get("MOTCUA_PAYMENTS_POLL_MAX_DAYS", "3")),
    "poll_every_minutes": int(os.environ.get("MOTCUA_PAYMENTS_POLL_EVERY_MINUTES", "33")),
}
MOTCUA_VNPAY = {
    "pay_url": os.environ.get("MOTCUA_VNPAY_PAY_URL", ""),          # https://sandbox.vnpayment.vn/paymentv2/vpcpay.html
    "api_url": os.environ.get("MOTCUA_VNPAY_API_URL", ""),          # .../merchant_webapi/api/transaction
    "tmn_code": os.environ.get("MOTCUA_VNPAY_TMN_CODE", ""),
    "hash_secret": os.environ.get("MOTCUA_VNPAY_HASH_SECRET", ""),
    "return_url": os.environ.get("MOTCUA_VNPAY_RETURN_URL", ""),    # https://<motcua>/thanh-toan/vnpay/ket-qua/
    "expire_minutes": int(os.environ.get("MOTCUA_VNPAY_EXPIRE_MINUTES", "15")),
    "timeout": float(os.environ.get("MOTCUA_VNPAY_TIMEOUT", "30")),
    "ca_file": os.environ.get("MOTCUA_VNPAY_CA_FILE", ""),
}
MOTCUA_PAYGOV = {
    "init_url": os.environ.get("MOTCUA_PAYGOV_INIT_URL", ""),
    "receipt_url": os.environ.get("MOTCUA_PAYGOV_RECEIPT_URL", ""),
    "check_url": os.environ.get("MOTCUA_PAYGOV_CHECK_URL", ""),
    "access_token": os.environ.get("MOTCUA_PAYGOV_ACCESS_TOKEN", ""),
    "secret_key": os.environ.get("MOTCUA_PAYGOV_SECRET_KEY", ""),
    "partner_code": os.environ.get("MOTCUA_PAYGOV_PARTNER_CODE", ""),
    "timeout": float(os.environ.get("MOTCUA_PAYGOV_TIMEOUT", "30")),
    "ca_file": os.environ.get("MOTCUA_PAYGOV_CA_FILE", ""),
}
# The archive (documents/archive.py): BagIt packages are written under this directory; a closed record is due
# for transfer to the agency's archive this many months after it closed (Law on Archives: within one year),
# with a warning 30 days before; a procedure without its own retention rule keeps its dossiers this many years.
MOTCUA_ARCHIVE_DIR = Path(os.environ.get("MOTCUA_ARCHIVE_DIR", VAR_DIR / "archive"))
MOTCUA_ARCHIVE_TRANSFER_MONTHS = int(os.environ.get("MOTCUA_ARCHIVE_TRANSFER_MONTHS", "12"))
MOTCUA_ARCHIVE_WARNING_DAYS = int(os.environ.get("MOTCUA_ARCHIVE_WARNING_DAYS", "30"))
MOTCUA_ARCHIVE_DEFAULT_RETENTION_YEARS = int(os.environ.get("MOTCUA_ARCHIVE_DEFAULT_RETENTION_YEARS", "10"))
