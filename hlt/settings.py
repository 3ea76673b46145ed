"""Settings for the HLT case-coordination app.

Everything comes from the environment (django-environ); see `.env.example`.
With no DATABASE_URL the app runs on an embedded SQLite file (the quick start);
tests and production run on PostgreSQL.
"""

import datetime
import sys
from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        # One clear line instead of a stack trace: production must never run on a known key.
        sys.exit(
            "HLT configuration error: SECRET_KEY must be set when DEBUG is off (see .env.example)."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "hlt.admin_apps.HltAdminConfig",  # the admin with query strings checked (hlt/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "guardian",
    "simple_history",
    "axes",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "django_filters",
    # Domain apps, in the order they may depend on each other (README: Architecture).
    "hlt",  # project-wide tables (one-time form tokens: hlt.idempotency)
    "teams",
    "consent",
    "audit",
    "cases",
    "meetings",
    "sip",
    "reports",
    "workday",
    # Fictional demo data for `make run` (README: Demo); imports every app above.
    "demo",
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
    "django_otp.middleware.OTPMiddleware",
    "teams.sessions.SessionLimitsMiddleware",
    "teams.second_factor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Only with DEBUG: "page not found" is the app's own page, as in production.
    "hlt.error_pages.OwnNotFoundPageMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hlt.urls"
WSGI_APPLICATION = "hlt.wsgi.application"
ASGI_APPLICATION = "hlt.asgi.application"

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
                "django.template.context_processors.csp",
                "hlt.context_processors.login_options",
                "workday.context_processors.inbox_count",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    if env.bool("DATABASE_POOL", default=False):
        # Django's psycopg 3 pool; persistent connections must be off when it is on.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.int("DATABASE_POOL_MIN", default=2),
            "max_size": env.int("DATABASE_POOL_MAX", default=10),
        }
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT: it compiles any query whose estimate passes jit_above_cost, which cost 50–750 ms
    # per query on a region's data and saved nothing (README: Performance).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "teams.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out user name + IP before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# No guardian anonymous user: anonymous visitors never get object permissions.
ANONYMOUS_USER_NAME = None
# Password accounts confirm a one-time code (TOTP) before any child data is shown.
REQUIRE_SECOND_FACTOR = env.bool("REQUIRE_SECOND_FACTOR", default=not DEBUG)
OTP_TOTP_ISSUER = "HLT"

# Single sign-on through the region's or municipality's OpenID Connect provider: on when
# OIDC_OP_ISSUER... endpoints and the client are configured.
OIDC_ENABLED = bool(env.str("OIDC_RP_CLIENT_ID", default=""))
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.insert(1, "teams.oidc.HLTOIDCBackend")
    OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET")
    OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
    OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT")
    OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email profile")
    OIDC_CREATE_USER = False
OIDC_HSA_ID_CLAIM = env.str("OIDC_HSA_ID_CLAIM", default="hsa_id")
OIDC_LOGIN_LABEL = env.str("OIDC_LOGIN_LABEL", default="")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "teams:start"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "sv"
CSRF_FAILURE_VIEW = "hlt.error_pages.csrf_failure"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads ---------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads (signed consent scans) live outside the static files and are served only
# through permission-checked views, never by the web server directly.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "uploads")
# With several app servers behind a load balancer, keep uploads off local disk: set
# AWS_STORAGE_BUCKET_NAME (S3-compatible storage through django-storages), or mount one shared
# volume at MEDIA_ROOT.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
_uploads = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if AWS_STORAGE_BUCKET_NAME
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": _uploads,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- E-mail ---------------------------------------------------------------------------------
# EMAIL_URL (e.g. smtp+tls://user:pass@mail.example.se:587) becomes Django 6.1's MAILERS.
# Without EMAIL_URL: the console in development, a local mail server in production.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS"),
    "use_ssl": _email.get("EMAIL_USE_SSL"),
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {k: v for k, v in _smtp_options.items() if v}
        if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="HLT <hlt-noreply@example.se>")

# --- Security (secure unless DEBUG) ---------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
# Content Security Policy (Django's own): scripts only from this site or with the request's
# nonce (`<script nonce="{{ csp_nonce }}">`), nothing inline otherwise, no framing.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
# Sessions end after 30 minutes idle and after 10 hours in all. The idle clock is renewed
# by teams.sessions.SessionLimitsMiddleware at most once a minute (it marks the session
# modified), not by saving the session on every request: that would be one write per page.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_ABSOLUTE_SECONDS = 10 * 60 * 60

# Login throttling (django-axes): lock the combination of user name and IP address, so one
# school's shared address does not lock out everyone behind it.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_USERNAME_FORM_FIELD = "username"  # the login form's field (it holds the e-mail)
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0) or None

# Background tasks (PDF documents): Django's tasks framework with a database-backed queue.
# Run the worker with `python manage.py db_worker`. In development (`make run`: DEBUG, SQLite,
# no worker process) a task runs at once inside the request that asks for it.
TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND",
            default="django.tasks.backends.immediate.ImmediateBackend"
            if DEBUG
            else "django_tasks_db.DatabaseBackend",
        )
    }
}

# Retention (gallring): closed cases are purged this many years after their last entry.
RETENTION_YEARS = env.int("RETENTION_YEARS", default=5)
# One cache shared by every server process (Redis in production: CACHE_URL=redis://…), so all
# of them publish the same protected statistics (reports.store). locmem only for tests and a
# single development process.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# How long a term's protected figures stay in the cache when nothing changes; a change to
# what they count replaces them at once (reports.signals).
STATISTICS_CACHE_SECONDS = env.int("STATISTICS_CACHE_SECONDS", default=24 * 60 * 60)
# Disclosure control (reports.disclosure): no count under this is shown exactly.
STATISTICS_THRESHOLD = env.int("STATISTICS_THRESHOLD", default=5)
# The longest a consent may run from its signing, in months: the rule at registration and the
# text of the printed form (issue 13).
CONSENT_MAX_MONTHS = env.int("CONSENT_MAX_MONTHS", default=12)
# Printed documents (consent.DocumentJob PDFs) are removed this long after they were made
# (`manage.py expire_documents`): they name the child and are needed only for downloading.
DOCUMENT_KEEP_HOURS = env.int("DOCUMENT_KEEP_HOURS", default=24)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refused_request": {"()": "hlt.error_pages.RefusedRequestFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint reports every rendering step at INFO; only its warnings matter.
    "loggers": {
        # A 403 is one line (hlt.error_pages.RefusedRequestFilter), not a traceback.
        "django.request": {"filters": ["refused_request"]},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
