"""Django settings for the tenken site: production-safe by default, set by TENKEN_* variables.

See :mod:`tenken.web.env` for every variable. With the defaults the site expects to sit behind a
TLS-terminating reverse proxy (``manage.py check --deploy`` is clean); on a closed network served
over plain HTTP set ``TENKEN_HTTPS=false``.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url

from tenken.web import env

PACKAGE_DIR = Path(__file__).resolve().parent
WORKSPACE = env.workspace()

SECRET_KEY = env.secret_key(WORKSPACE)
DEBUG = env.boolean("TENKEN_DEBUG")
ALLOWED_HOSTS = env.text_list("TENKEN_ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "tenken.web.accounts",
    "tenken.web.site",
    "tenken.web.casework",
    "tenken.store",
    "tenken.store.casework",
    "tenken.store.audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tenken.web.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tenken.web.security.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tenken.web.security.SessionIdleRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "tenken.web.security.AddressThrottleMiddleware",
]

ROOT_URLCONF = "tenken.web.urls"
WSGI_APPLICATION = "tenken.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenken.web.accounts.roles.role_context",
                "tenken.web.casework.access.nav_context",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(env.database_url(WORKSPACE), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several waitress threads write: wait for the lock instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        # WAL: readers never wait for the writer; NORMAL sync is durable in WAL mode except
        # for the last transactions before a power cut (not before a crash of the process).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------- accounts and sessions
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env.integer("TENKEN_SESSION_MINUTES") * 60
# Idle timeout: tenken.web.security.SessionIdleRefreshMiddleware renews the session's expiry
# at most once a minute (saving it on every request would write to the database each time).
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
AXES_FAILURE_LIMIT = env.integer("TENKEN_LOGIN_FAILURE_LIMIT")
AXES_COOLOFF_TIME = timedelta(minutes=env.integer("TENKEN_LOGIN_COOLOFF_MINUTES"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "tenken/locked_out.html"
# Many usernames tried from one address (password spraying) lock that address too; the limit
# is higher than one account's, as a closed network may put a whole office behind one address.
TENKEN_LOGIN_IP_FAILURE_LIMIT = env.integer("TENKEN_LOGIN_IP_FAILURE_LIMIT")
AXES_VERBOSE = False
TENKEN_INVITATION_DAYS = env.integer("TENKEN_INVITATION_DAYS")

# ---------------------------------------------------------------- security headers
HTTPS = env.boolean("TENKEN_HTTPS")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env.boolean("TENKEN_PROXY_HTTPS_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

# ---------------------------------------------------------------- language, static files
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
# Only for an optional `collectstatic`; the app serves bundled files through the finders.
STATIC_ROOT = WORKSPACE / "static" if (WORKSPACE / "static").is_dir() else None
WHITENOISE_USE_FINDERS = True  # serve the files bundled in the package; no collectstatic step
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
