"""Django settings. Everything that differs between machines comes from the environment:
DATABASE_URL (default: SQLite file under var/) and MOTCUA_* variables."""
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).lower() in ("1", "true", "yes", "on")


SECRET_KEY = os.environ.get("MOTCUA_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("MOTCUA_DEBUG", False)
ALLOWED_HOSTS = os.environ.get("MOTCUA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "motcua.core",
    "motcua.agencies",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.signing",
    "motcua.feedback",
    "motcua.indicators",
    "motcua.portal",
    "motcua.office",
    "motcua.slips",
    "django_tasks",
    "django_tasks_db",
    "motcua.integrations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.locale.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
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
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "motcua.core.errors.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "motcua.core.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {"public_lookup": os.environ.get("MOTCUA_LOOKUP_RATE", "30/min")},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Motcua API",
    "DESCRIPTION": "API của hệ thống một cửa điện tử Motcua (hồ sơ thủ tục hành chính).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # 3.1: component schemas are JSON Schema 2020-12, so tests validate responses with plain jsonschema.
    "OAS_VERSION": "3.1.0",
    "ENUM_NAME_OVERRIDES": {"RoleEnum": "motcua.agencies.models.Role"},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "motcua.core.api.nullable_to_oas31"],
    # The committed docs/openapi.yaml is the contract; tests/api checks it is current.
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MOTCUA_LOG_LEVEL", "WARNING")},
}

# Domain settings (DOMAIN.md marks the code format as unconfirmed: keep it configurable).
MOTCUA_DOSSIER_CODE_FORMAT = os.environ.get("MOTCUA_DOSSIER_CODE_FORMAT", "{agency}-{yymmdd}-{seq:04d}")
MOTCUA_LOOKUP_SECRET_DIGITS = int(os.environ.get("MOTCUA_LOOKUP_SECRET_DIGITS", "4"))
MOTCUA_MAX_UPLOAD_BYTES = int(os.environ.get("MOTCUA_MAX_UPLOAD_MB", "20")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = MOTCUA_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Digital signatures (motcua.signing, docs/signing.md)
MOTCUA_SIGNING_TRUST_ROOTS = [p for p in os.environ.get("MOTCUA_SIGNING_TRUST_ROOTS", "").split(os.pathsep) if p]
MOTCUA_SIGNING_TSA_URL = os.environ.get("MOTCUA_SIGNING_TSA_URL", "")
MOTCUA_SIGNING_LEVEL = os.environ.get("MOTCUA_SIGNING_LEVEL", "B-T")
MOTCUA_SIGNING_EXPIRY_WARNING_DAYS = int(os.environ.get("MOTCUA_SIGNING_EXPIRY_WARNING_DAYS", "30"))
MOTCUA_SIGNING_FETCH_REVOCATION = env_bool("MOTCUA_SIGNING_FETCH_REVOCATION", True)
MOTCUA_SIGNING_VERIFY_RATE = os.environ.get("MOTCUA_SIGNING_VERIFY_RATE", "20/min")

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
}
