"""Settings for Styrmodell, read from environment variables with safe embedded defaults.

Embedded mode (no environment): SQLite under var/, Celery tasks run in-process, mail to the console.
Production (STYRMODELL_ENV=production): PostgreSQL via DATABASE_URL, Redis via REDIS_URL, SMTP, and
the process refuses to start with the embedded secret key or with DEBUG on.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("STYRMODELL_VAR_DIR", BASE_DIR / "var"))

EMBEDDED_SECRET_KEY = "embedded-only-not-for-production-styrmodell"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ENVIRONMENT = os.environ.get("STYRMODELL_ENV", "embedded")
PRODUCTION = ENVIRONMENT == "production"

SECRET_KEY = os.environ.get("SECRET_KEY", EMBEDDED_SECRET_KEY)
DEBUG = env_bool("DEBUG", not PRODUCTION)

if PRODUCTION:
    if SECRET_KEY == EMBEDDED_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "Production needs its own SECRET_KEY (at least 50 characters) in the environment."
        )
    if DEBUG:
        raise ImproperlyConfigured("Production refuses to run with DEBUG on.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "guardian",
    "axes",
    "csp",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "styrmodell",
    "goals",
    "budget",
    "deviations",
    "reporting",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "styrmodell.middleware.SessionRefreshMiddleware",
    "styrmodell.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "styrmodell.urls"
WSGI_APPLICATION = "styrmodell.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "styrmodell.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'styrmodell.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
# The longest a web request's SQL statement may run before PostgreSQL cancels it: a page that
# has grown too heavy then answers with an error page in time, and gunicorn's timeout never
# kills the worker (docker-compose sets it for web only; workers run imports and PDFs unbounded).
DB_STATEMENT_TIMEOUT_MS = int(os.environ.get("DB_STATEMENT_TIMEOUT_MS", "0"))
if DB_STATEMENT_TIMEOUT_MS and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "styrmodell.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "styrmodell.sso.LocalPasswordBackend",
    "styrmodell.sso.SingleSignOnBackend",
    # Per-object grants (styrmodell.appointments): a named person answers for one object.
    "guardian.backends.ObjectPermissionBackend",
]
# django-guardian makes no anonymous user: nobody reads anything without logging in.
ANONYMOUS_USER_NAME = None

# Single sign-on through the municipality's OpenID Connect provider (styrmodell/sso.py, built on
# mozilla-django-oidc); off while OIDC_RP_CLIENT_ID is unset. The endpoints come from the
# provider's discovery document (OIDC_OP_DISCOVERY_URL, or OIDC_OP_ISSUER's
# /.well-known/openid-configuration), fetched on the first login, not at start; an endpoint set
# explicitly wins over the discovered one.
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "").rstrip("/")
OIDC_OP_DISCOVERY_URL = os.environ.get("OIDC_OP_DISCOVERY_URL", "") or (
    f"{OIDC_OP_ISSUER}/.well-known/openid-configuration" if OIDC_OP_ISSUER else "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_OP_LOGOUT_ENDPOINT = os.environ.get("OIDC_OP_LOGOUT_ENDPOINT", "")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
# The claim that names the person, compared with User.external_id ("oid" in Entra ID, an
# employee number claim, or "sub"); e-mail only as a fallback the administrator opts into.
OIDC_MATCH_CLAIM = os.environ.get("OIDC_MATCH_CLAIM", "sub")
OIDC_MATCH_EMAIL = env_bool("OIDC_MATCH_EMAIL", False)
# People are added in the application, with their roles: a login never creates one.
OIDC_CREATE_USER = False
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
# Kept in the session for the provider's logout (id_token_hint).
OIDC_STORE_ID_TOKEN = True
OIDC_OP_LOGOUT_URL_METHOD = "styrmodell.sso.provider_logout_url"
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", "10"))
# Seconds of clock difference with the provider allowed when checking the ID token's times.
OIDC_CLOCK_LEEWAY = int(os.environ.get("OIDC_CLOCK_LEEWAY", "60"))
# The login button's text; empty gives "Logga in med kommunens konto" in the chosen language.
OIDC_LOGIN_LABEL = os.environ.get("OIDC_LOGIN_LABEL", "")
# LOCAL_LOGIN=off turns the username and password login off, except for the break-glass
# accounts in LOCAL_LOGIN_USERS (comma-separated usernames), which django-axes still guards.
LOCAL_LOGIN = env_bool("LOCAL_LOGIN", True)
LOCAL_LOGIN_USERS = env_list("LOCAL_LOGIN_USERS", "")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failed logins (django-axes): per account, whichever addresses the
# attempts come from, and per address, whichever accounts it tries (two separate counts).
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Behind reverse proxies (production) the client is found in X-Forwarded-For, not REMOTE_ADDR.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1" if PRODUCTION else "0"))
AXES_CLIENT_IP_CALLABLE = "styrmodell.client_address.client_address"
# The provider guards its own password; refused single sign-on callbacks (a person without
# access) must not lock the address out for everyone behind the same proxy.
AXES_WHITELIST_CALLABLE = "styrmodell.sso.axes_exempt"

# Sessions end after a working day of inactivity and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
# Used sessions are kept alive by styrmodell.middleware.SessionRefreshMiddleware, at most one
# write in this many seconds, not a write on every request.
SESSION_REFRESH_SECONDS = int(os.environ.get("SESSION_REFRESH_SECONDS", "300"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date rule for both languages: DATE_FORMAT in text, SHORT_DATE_FORMAT in tables.
FORMAT_MODULE_PATH = ["styrmodell.formats"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
# Grouping is applied where amounts are shown (the tkr filter), never to years or ids.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# The read API (/api/v1/, api/): JSON only, read only, a personal access token or the browser's
# session; every list a page at a time.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so an answer without credentials is 401 with `WWW-Authenticate: Bearer`.
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Styrmodell API",
    "DESCRIPTION": (
        "Read-only lists of what the person behind the token may read in the browser: goals "
        "and assessments, key figures, frames, outcome per month, forecasts, volumes, "
        "investment projects, deviation cases and reports. Authenticate with "
        "`Authorization: Bearer <token>` (a personal access token from /api-nycklar/). "
        "Amounts are in kronor, as decimal strings."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"GoalLevel": "goals.models.Level.choices",
                            "FollowUp": "styrmodell.models.FollowUpPeriod.choices"},
}

# Content Security Policy: our own scripts and styles only; no inline script anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


# The logout form's redirect to the provider's logout is a form action too.
SSO_ORIGIN = origin(OIDC_OP_LOGOUT_ENDPOINT or OIDC_OP_DISCOVERY_URL)
if OIDC_RP_CLIENT_ID and SSO_ORIGIN:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(SSO_ORIGIN)

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Celery: eager in-process without a broker (embedded), Redis in production.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Without a broker, background work (the outcome import) runs in a thread of the web process,
# so its page can show progress; the tests set this off and run it in the caller.
EAGER_TASKS_IN_THREAD = os.environ.get("EAGER_TASKS_IN_THREAD", "1") == "1"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "900"))
# Hourly, but never 01:00-04:00 local time: crontab around the daylight-saving switch misfires.
CELERY_BEAT_SCHEDULE = {
    "run-due-work": {
        "task": "styrmodell.run_due_work",
        "schedule": crontab(minute=7, hour="0,4-23"),
    }
}
# Kolada (goals/kolada_fetch.py): the API the key figures are fetched from once a day, how many
# seconds to wait for each answer, and the municipality's own code in Kolada (e.g. 1443). Without
# a code the scheduled fetch does nothing.
KOLADA_BASE_URL = os.environ.get("KOLADA_BASE_URL", "https://api.kolada.se/v3").rstrip("/")
KOLADA_TIMEOUT = float(os.environ.get("KOLADA_TIMEOUT", "30"))
MUNICIPALITY_CODE = os.environ.get("MUNICIPALITY_CODE", "").strip()
# Uploads (the ledger's files, Kolada's JSON): the largest file taken in, in MB, and the most an
# Excel file may grow to when unpacked (styrmodell/uploads.py); larger ones are refused unread.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_MB", "500")) * 1024 * 1024
UPLOAD_MAX_EXPANDED_BYTES = int(os.environ.get("UPLOAD_MAX_EXPANDED_MB", "1024")) * 1024 * 1024
# A form may be a whole table (the mapping rules: seven fields a row, a city has thousands of
# kostnadsställen); Django's default of 1 000 fields would refuse a table of 140 rows.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 150_000
FILE_UPLOAD_HANDLERS = [
    "styrmodell.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Days before a dated step or deadline that those responsible are reminded.
REMINDER_DAYS = int(os.environ.get("REMINDER_DAYS", "7"))
# Days the förvaltningschef has to present measures for a väsentligt underskott (D2, "promptly"),
# and the nämnd's ordförande to inform KSAU (D5).
DEVIATION_MEASURE_DAYS = int(os.environ.get("DEVIATION_MEASURE_DAYS", "14"))
DEVIATION_KSAU_DAYS = int(os.environ.get("DEVIATION_KSAU_DAYS", "14"))

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "styrmodell@localhost")

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
MUNICIPALITY_NAME = os.environ.get("MUNICIPALITY_NAME", "Ekbacka kommun")
# The open pages (/oppen/): how long a page is kept for the next reader, and the accessibility
# statement's feedback address and the day the application was last assessed.
OPEN_PAGES_CACHE_SECONDS = int(os.environ.get("OPEN_PAGES_CACHE_SECONDS", "300"))
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get("ACCESSIBILITY_CONTACT_EMAIL",
                                             "tillganglighet@ekbacka.example")
ACCESSIBILITY_ASSESSED_ON = os.environ.get("ACCESSIBILITY_ASSESSED_ON", "2026-12-04")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "styrmodell.security": {"handlers": ["console"], "level": "WARNING"},
        "django.security": {"handlers": ["console"], "level": "WARNING"},
    },
}
if PRODUCTION:
    # Containers log to stdout. With DEBUG off, Django's defaults send unhandled errors (500s)
    # only by mail to ADMINS, of which there are none: write them to the console as well.
    LOGGING["loggers"]["django.request"] = {"handlers": ["console"], "level": "ERROR"}
