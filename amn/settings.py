"""Amn's one settings module: the environment decides.

Environment variables (all optional for local use):
    DATABASE_URL   default sqlite:///<repo>/var/amn.sqlite3; postgres://… in production
    SECRET_KEY     required when DEBUG is off
    DEBUG          "1"/"true" to turn on debug pages (off by default)
    ALLOWED_HOSTS  comma-separated host names
    EMAIL_URL      e.g. smtp://user:pass@host:587 (default: console backend)
    AMN_SHARED_DATA  folder of the shared real data sets (default ../shared/data)
    AMN_DEMO_SCALE  share of the national volumes `amn generate-year` generates (default 0.015)
    AMN_SEAL_KEYS, AMN_SEAL_ACTIVE_KEY, AMN_SEAL_CONTROL_SECRET  certificate signing keys
                   (`amn seal-keygen` prints them; derived from SECRET_KEY when unset)
    AMN_PUBLIC_BASE_URL  public origin used in links on certificates and in e-mails
    REDIS_URL      redis://… — shared cache (rate limits) across worker processes
"""

import zoneinfo
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

# Morocco moved to permanent UTC+0 on 2026-09-20 (IANA tzdb 2026c); system tz files may
# predate that, so zoneinfo reads the PyPI `tzdata` package only.
zoneinfo.reset_tzpath(to=[])

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent
VAR_DIR = REPO_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
# The default key only serves a local checkout; `amn check --deploy` flags it (security.W009).
SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-amn-local-checkout-only")
# A deployment is recognised by its own SECRET_KEY with DEBUG off: it then gets HTTPS-only
# cookies, HSTS and the HTTPS redirect without further settings (each can still be set).
PRODUCTION = "SECRET_KEY" in env and not DEBUG
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_htmx",
    "django_filters",
    "django_tables2",
    "treebeard",
    "auditlog",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_ratelimit",
    "django_tasks",
    "django_tasks_db",
    # Order matters for `amn load-reference` and `amn load-demo`, which visit apps in turn.
    "amn.core",
    "amn.geo",
    "amn.orgunits",
    "amn.accounts",
    "amn.access",
    "amn.audit",
    "amn.people",
    "amn.cases",
    "amn.indicators",
    "amn.seals",
    "amn.certificates",
    "amn.mobileunits",
    "amn.appointments",
    "amn.idcards",
    "amn.permits",
    "amn.hr",
    "amn.reports",
    "amn.portal",
    "amn.backoffice",
    "amn.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "amn.core.middleware.ArabicFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "amn.accounts.middleware.StaffSessionMiddleware",
    "amn.core.middleware.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "amn.audit.middleware.RequestContextMiddleware",
    "amn.audit.middleware.TrustedAuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "amn.urls"
WSGI_APPLICATION = "amn.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "amn.core.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'amn.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers (two sign-ups, lockout counters) wait for the lock instead of
    # failing with "database is locked": take it at BEGIN, wait up to 20 s, and let readers
    # work beside one writer (WAL).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "amn.accounts.backends.EmailOrPhoneBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "amn.accounts.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:staff-login"
# Staff sessions: 30 minutes idle, 12 hours in all (CJIS Security Policy 5.5.5; ASVS 3.3).
AMN_STAFF_IDLE_SECONDS = env.int("AMN_STAFF_IDLE_SECONDS", default=30 * 60)
AMN_STAFF_SESSION_SECONDS = env.int("AMN_STAFF_SESSION_SECONDS", default=12 * 60 * 60)
OTP_TOTP_ISSUER = "Amn"
CSRF_FAILURE_VIEW = "amn.portal.views.csrf_failure"

# Staff lockout (django-axes): 5 failures per username+IP lock for one hour. The client IP
# is REMOTE_ADDR unless AXES_IPWARE_PROXY_COUNT says how many trusted proxies sit in front.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "amn.accounts.lockout.lockout_username"
# Usernames of citizens are e-mails or phone numbers: masked in axes' log lines.
AXES_SENSITIVE_PARAMETERS = ["username", "email", "phone"]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if (AXES_IPWARE_PROXY_COUNT) else ["REMOTE_ADDR"]
)

LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("fr", _("French")), ("en", _("English"))]
LANGUAGES_BIDI = ["ar"]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Africa/Casablanca"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = REPO_DIR / "staticfiles"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)  # EMAIL_BACKEND, EMAIL_HOST, … as django-environ parsed them
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="no-reply@amn.local")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=PRODUCTION)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if PRODUCTION else 0)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (only then!):
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False
AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_CID_GETTER = "amn.audit.context.current_request_id"

# Public statistics show counts below this threshold as "<5" (staff outputs never suppress).
AMN_SUPPRESSION_THRESHOLD = env.int("AMN_SUPPRESSION_THRESHOLD", default=5)

# Rate limits (django-ratelimit) count in the cache: Redis shares the counters across worker
# processes in production; a single demo process counts in local memory.
if env.str("REDIS_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.str("REDIS_URL"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
RATELIMIT_VIEW = "amn.core.ratelimits.too_many_requests"
RATELIMIT_IP_META_KEY = "amn.core.ratelimits.client_ip"

# Public certificate API: per-client / per-CNIE limits, and load shedding of requests that
# waited longer than this in the proxy's queue (needs the proxy's X-Request-Start stamp).
AMN_CERT_API_RATES = {
    "client": env.str("AMN_CERT_API_CLIENT_RATE", default="20/h"),
    "cnie": env.str("AMN_CERT_API_CNIE_RATE", default="5/d"),
}
AMN_CERT_API_MAX_QUEUE_SECONDS = env.float("AMN_CERT_API_MAX_QUEUE_SECONDS", default=None)

# Certificate seals (amn.seals.signing). Ed25519 keys as "ID=base64,ID2=base64" from
# `amn seal-keygen`; keep old keys listed so their certificates still verify. Unset: keys are
# derived from SECRET_KEY (see amn/seals/checks.py).
AMN_SEAL_KEYS = env.dict("AMN_SEAL_KEYS", default={})
AMN_SEAL_ACTIVE_KEY = env.str("AMN_SEAL_ACTIVE_KEY", default="")
# Secret of the control keys printed on certificates: set once, never change it.
AMN_SEAL_CONTROL_SECRET = env.str("AMN_SEAL_CONTROL_SECRET", default="")
# SMS notifications: a dotted path to a backend class (console in the demo, locmem in tests).
AMN_SMS_BACKEND = env.str(
    "AMN_SMS_BACKEND", default="amn.certificates.notifications.ConsoleSmsBackend"
)
# Public origin for links on certificates and in e-mails.
AMN_PUBLIC_BASE_URL = env.str("AMN_PUBLIC_BASE_URL", default="http://127.0.0.1:8000")

# Background jobs (django-tasks, database backend): `amn db_worker` runs them; tests and the
# demo drain the queue with `amn db_worker --batch`.
TASKS = {
    "default": {
        "BACKEND": env.str("AMN_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

AMN_SHARED_DATA = Path(env.str("AMN_SHARED_DATA", default=str(REPO_DIR.parent / "shared" / "data")))
# The demo year (`make demo`, the release test) holds this share of the 2025 volumes; below
# about 0.012 the demo fleet's own stops already exceed the mobile-units target.
AMN_DEMO_SCALE = env.float("AMN_DEMO_SCALE", default=0.015)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "amn.core.logging.UTCFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        }
    },
    "filters": {
        "redact": {"()": "amn.core.logging.PersonalDataRedactor"},
        "request_id": {"()": "amn.audit.context.RequestIdLogFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id", "redact"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Request URLs of 4xx/5xx are logged by django.request; they carry no personal data
    # because person records are addressed by opaque UUID, never by name or CNIE.
}

FORMAT_MODULE_PATH = ["amn.core.formats"]
