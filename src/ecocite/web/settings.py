"""Django settings for the EcoCité web platform.

Embedded defaults: SQLite and uploaded files in a data folder outside the repository
(``ECOCITE_DATA_DIR``, default ``~/.local/share/ecocite``), a secret key generated there on first
start, and a database-backed task queue (no broker). Production parts are switched on by the
environment: ``DATABASE_URL`` for PostgreSQL, ``ECOCITE_DEBUG=0`` (the default) for secure settings,
``ECOCITE_ALLOWED_HOSTS`` and ``ECOCITE_HTTPS=1`` behind a TLS proxy.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

WEB_DIR = Path(__file__).resolve().parent


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {
        "1",
        "true",
        "yes",
        "on",
    }


def data_dir() -> Path:
    """Return the folder that holds the SQLite database, uploads and the secret key."""
    default = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "ecocite"
    folder = Path(os.environ.get("ECOCITE_DATA_DIR", default)).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _secret_key(folder: Path) -> str:
    """Return the key from the environment, or from a file made in the data folder."""
    if os.environ.get("ECOCITE_SECRET_KEY"):
        return os.environ["ECOCITE_SECRET_KEY"]
    path = folder / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


DATA_DIR = data_dir()
SECRET_KEY = _secret_key(DATA_DIR)
DEBUG = _flag("ECOCITE_DEBUG")
ALLOWED_HOSTS = os.environ.get("ECOCITE_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "ecocite.web.core",
    "ecocite.web.accounts",
    "ecocite.web.cities",
    "ecocite.web.frameworks",
    "ecocite.web.datasets",
    "ecocite.web.assessments",
    "ecocite.web.carbon",
    "ecocite.web.interactions",
    "ecocite.web.access",
    "ecocite.web.maps",
    "ecocite.web.consultations",
    "ecocite.web.community",
    "ecocite.web.workshops",
    "ecocite.web.sliders",
    "ecocite.web.notifications",
    "ecocite.web.conversations",
    "ecocite.web.label",
    "ecocite.web.surveys",
    "ecocite.web.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ecocite.web.accounts.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "ecocite.web.urls"
WSGI_APPLICATION = "ecocite.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ecocite.web.core.context.navigation",
            ],
        },
    }
]

DATABASES: dict[str, Any] = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'ecocite.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the task worker write while pages read; a busy timeout instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "ecocite.web.accounts.backends.ThrottledModelBackend",
    "ecocite.web.core.permissions.RuleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# Sign-in throttle (accounts/throttle.py), shared by the form, the admin and the API token:
# failed attempts within the window per (user name, address), per user name, per address.
LOGIN_FAILURE_LIMIT = int(os.environ.get("ECOCITE_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("ECOCITE_LOGIN_ACCOUNT_FAILURE_LIMIT", "20"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("ECOCITE_LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
LOGIN_FAILURE_WINDOW_S = 15 * 60
# Password-reset mails per e-mail address given and per client address, within an hour.
PASSWORD_RESET_ACCOUNT_LIMIT = int(os.environ.get("ECOCITE_PASSWORD_RESET_ACCOUNT_LIMIT", "3"))
PASSWORD_RESET_ADDRESS_LIMIT = int(os.environ.get("ECOCITE_PASSWORD_RESET_ADDRESS_LIMIT", "10"))
PASSWORD_RESET_WINDOW_S = 60 * 60
# How many reverse proxies in front append to X-Forwarded-For (0: the header is ignored and the
# connection's peer is the client). Used by the sign-in throttle and by the API's rate limits.
NUM_PROXIES = int(os.environ.get("ECOCITE_NUM_PROXIES", "0"))

# Writing in consultations (interactions/throttle.py): proposals, comments, supports and reports
# per person and per client address within WRITE_RATE_WINDOW_S; past either, the page and the
# API answer 429. ECOCITE_WRITE_LIMIT_<KIND> / ECOCITE_WRITE_LIMIT_<KIND>_ADDRESS override them.
# The address lives only as a hashed cache key expiring with the window (never in the database).
WRITE_RATE_WINDOW_S = int(os.environ.get("ECOCITE_WRITE_RATE_WINDOW_S", "600"))
WRITE_RATE_LIMITS = {
    kind: (
        int(os.environ.get(f"ECOCITE_WRITE_LIMIT_{kind.upper()}", str(per_user))),
        int(os.environ.get(f"ECOCITE_WRITE_LIMIT_{kind.upper()}_ADDRESS", str(per_address))),
    )
    for kind, per_user, per_address in (
        ("proposal", 10, 30),
        ("comment", 30, 90),
        ("support", 100, 300),
        ("report", 20, 60),
    )
}
# How long an author may still edit a comment after publishing it (seconds).
COMMENT_EDIT_WINDOW_S = int(os.environ.get("ECOCITE_COMMENT_EDIT_WINDOW_S", str(15 * 60)))

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [WEB_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
# Years, ids and codes are never grouped like quantities; quantities go through the
# "number"/"quantity" filters (core/templatetags/ecocite.py), which group from 10,000.
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["ecocite.web.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [WEB_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Uploads: a size cap (bytes) enforced in the forms and by Django for the request body.
UPLOAD_MAX_BYTES = int(os.environ.get("ECOCITE_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
# Data rows accepted in one uploaded table (tidy values or carbon activity); past it the file is
# refused before any row is validated. Workbooks are also refused when they would unpack to more
# than ecocite.data.files.MAX_UNPACKED_BYTES or declare a bigger sheet than this.
UPLOAD_MAX_ROWS = int(os.environ.get("ECOCITE_UPLOAD_MAX_ROWS", "100000"))
# An uploaded table is parsed only in the job worker (and by `ecocite data import`), in a child
# process held to this much CPU time (seconds; killed after twice that plus 5 s of wall time) and
# this much memory on top of the worker's own (MB). Past either, the file is rejected with a
# clear error. A stored upload that is neither imported nor discarded is deleted after
# ECOCITE_UPLOAD_PENDING_HOURS.
UPLOAD_PARSE_SECONDS = float(os.environ.get("ECOCITE_UPLOAD_PARSE_SECONDS", "60"))
UPLOAD_PARSE_MEMORY_MB = int(os.environ.get("ECOCITE_UPLOAD_PARSE_MEMORY_MB", "1024"))
UPLOAD_PENDING_HOURS = int(os.environ.get("ECOCITE_UPLOAD_PENDING_HOURS", "48"))

# The portfolio map draws an offline base layer it ships; an online deployment may put a tile
# layer underneath instead, e.g. "https://tile.openstreetmap.org/{z}/{x}/{y}.png" (respect the
# tile server's usage policy), credited with its attribution text.
# ECOCITE_TILE_URL is another name for it (the consultations' city maps use the same setting).
MAP_TILE_URL = os.environ.get("ECOCITE_MAP_TILES") or os.environ.get("ECOCITE_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("ECOCITE_MAP_TILES_ATTRIBUTION", "")
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

CACHES = {
    # Shared between server processes: sign-in throttle counters.
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    },
    # Per process: rendered page fragments keyed by a data fingerprint (core/freshness.py).
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

EMAIL_BACKEND = os.environ.get(
    "ECOCITE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("ECOCITE_FROM_EMAIL", "ecocite@localhost")
# The public address of the site, for links in e-mails (notifications, unsubscribe).
SITE_URL = os.environ.get("ECOCITE_SITE_URL", "http://127.0.0.1:8000")

# Background jobs: a queue in the database, run by `ecocite-web worker` (started alongside the server
# by `ecocite-web serve`). ECOCITE_TASKS=immediate runs them inside the request instead.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if os.environ.get("ECOCITE_TASKS") == "immediate"
        else "django_tasks_db.DatabaseBackend"
    }
}

# Carbon pathways (web/carbon/pathways.py): results cached by parameters for a day; at most this
# many waiting for the worker (more visitors get "try again"), a job's progress kept 10 minutes.
PATHWAY_CACHE_S = int(os.environ.get("ECOCITE_PATHWAY_CACHE_S", str(24 * 3600)))
PATHWAY_QUEUE_LIMIT = int(os.environ.get("ECOCITE_PATHWAY_QUEUE_LIMIT", "20"))
PATHWAY_PENDING_S = 10 * 60
# A saved carbon scenario with at most this many Monte Carlo draws is computed in the request;
# more go to the background worker. The form refuses more than the maximum.
CARBON_SCENARIO_INLINE_DRAWS = int(os.environ.get("ECOCITE_SCENARIO_INLINE_DRAWS", "1000"))
CARBON_SCENARIO_MAX_DRAWS = int(os.environ.get("ECOCITE_SCENARIO_MAX_DRAWS", "50000"))

# Conversations (web/conversations): the opinion map is recomputed by the worker, never in a
# request, once this many votes (or moderations) arrived since the last map, or when a vote
# arrives this many seconds after it.
OPINION_MAP_EVERY_VOTES = int(os.environ.get("ECOCITE_OPINION_MAP_EVERY_VOTES", "20"))
OPINION_MAP_EVERY_SECONDS = int(os.environ.get("ECOCITE_OPINION_MAP_EVERY_SECONDS", "60"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"sign_in": "10/minute"},
    # Without it DRF would take the client address from X-Forwarded-For as sent by anyone.
    "NUM_PROXIES": NUM_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "EcoCité API",
    "DESCRIPTION": "Cities, datasets, assessments and reference frameworks of the EcoCité platform.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets of different apps that share a field name get their own names.
    "ENUM_NAME_OVERRIDES": {
        "LabelStageEnum": "ecocite.web.label.models.Stage",
        "LabelActionStatusEnum": "ecocite.web.label.models.Action.Status",
        "AssessmentStageEnum": ["planning_design", "implementation_operation"],
        "JobStatusEnum": "ecocite.web.assessments.models.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ecocite.web.api.schema.add_error_responses",
    ],
}

# Content-Security-Policy on every response (django-csp): scripts, styles, images and requests
# from this site only, no inline script or event handler, no plugin, no framing. Page behaviour
# lives in static files (static/ecocite/*.js); JSON for scripts is in json_script data blocks.
# The self-contained HTML report (assessments) alone adds inline styles, never scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

if MAP_TILE_URL:
    # The tile server's images (a "{s}" subdomain placeholder stands for any subdomain).
    from urllib.parse import urlsplit

    _tiles = urlsplit(MAP_TILE_URL.replace("{s}", "*"))
    if _tiles.scheme and _tiles.netloc:
        CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
            f"{_tiles.scheme}://{_tiles.netloc}"
        )

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_AGE = 8 * 3600
    if _flag("ECOCITE_HTTPS"):
        SESSION_COOKIE_SECURE = True
        CSRF_COOKIE_SECURE = True
        SECURE_SSL_REDIRECT = True
        # One year, as the HSTS preload list asks; subdomains and preload can be turned off for a
        # site that shares its domain with plain-HTTP hosts (docs/web.md, production checklist).
        SECURE_HSTS_SECONDS = int(os.environ.get("ECOCITE_HSTS_SECONDS", str(365 * 24 * 3600)))
        SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("ECOCITE_HSTS_SUBDOMAINS", default=True)
        SECURE_HSTS_PRELOAD = _flag("ECOCITE_HSTS_PRELOAD", default=True)
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "ecocite": {"handlers": ["console"], "level": "INFO"},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# The label shown in titles: illustrative demo data is labelled as such everywhere it is shown.
SITE_TITLE = _("EcoCité")
