"""Settings shared by every environment.

Everything a deployment changes comes from the environment, with defaults that are safe for a
developer's laptop: an SQLite file in the project, email printed to the console, SMS written to the log.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-secret-key-change-me")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Project apps first so their templates and translations win.
    "accounts",
    "home",
    "messaging",
    "events",
    "panels",
    "recruitment",
    "formats",
    "outcomes",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts for residents and intermediaries
    "allauth",
    "allauth.account",
    # Background work
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
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
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "participation.urls"
WSGI_APPLICATION = "participation.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "home.context_processors.site_menu",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Residents and intermediaries log in with a code sent by email: no password to remember.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*"]
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_REQUIRED = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_DEFAULT_HTTP_PROTOCOL = os.environ.get("ACCOUNT_DEFAULT_HTTP_PROTOCOL", "https")
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"

# Language: Dutch first, English second. Public URLs are Dutch at / and English at /en/.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
USE_TZ = True
PHONE_DEFAULT_REGION = "NL"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Email: printed to the console unless an SMTP server is configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Meedoen <noreply@example.org>")

# SMS through Twilio. With TWILIO_FROM unset, messages are written to the log and marked "logged".
TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
TWILIO_FROM = os.environ.get("TWILIO_FROM", "")
# Dotted path of a twilio.http.HttpClient subclass; tests swap the transport here and nothing else.
TWILIO_HTTP_CLIENT = None

# Wagtail's own tasks run immediately; the project's messages wait in the database for the worker
# (`manage.py db_worker --backend messages --queue-name messages`).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "messages": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["messages"],
    },
}

WAGTAIL_SITE_NAME = os.environ.get("WAGTAIL_SITE_NAME", "Meedoen")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_I18N_ENABLED = False

# `manage.py load_demo` creates accounts with known passwords: never on a production site.
DEMO_DATA_ALLOWED = False

# Retention: how long personal data is kept (see `manage.py apply_retention`).
RETENTION = {
    "registrations_months": int(os.environ.get("RETENTION_REGISTRATIONS_MONTHS", "12")),
    "messages_days": int(os.environ.get("RETENTION_MESSAGES_DAYS", "90")),
}

# Recruitment: invitations an intermediary may send per day; days after an event that an
# invitation's hashed contact is kept.
RECRUITMENT_INVITATIONS_PER_DAY = int(os.environ.get("RECRUITMENT_INVITATIONS_PER_DAY", "50"))
RECRUITMENT_INVITATION_CONTACT_DAYS = int(os.environ.get("RECRUITMENT_INVITATION_CONTACT_DAYS", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # One line per task run is noise; failures are still logged.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# --- Operations (issue 12): one cache for all processes, the client's address, rate limits, headers ---
# Kept together so other settings blocks merge without conflicts.
from participation.cache import caches_from_url  # noqa: E402

# One cache shared by every gunicorn worker and the message worker: Redis (`redis://127.0.0.1:6379/1`)
# or, when CACHE_URL is unset or `db://`, Django's database cache (table `django_cache`, made by
# `manage.py createcachetable`). Never per-process memory: rate limits would count per worker.
CACHES = caches_from_url(os.environ.get("CACHE_URL", ""), os.environ.get("CACHE_KEY_PREFIX", "meedoen"))
# Sessions are read from the cache and written through to the database: a Redis restart or eviction
# does not log people out or lose a half-finished sign-up, and reads cost no query.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# How many proxies in front of the site append to X-Forwarded-For. 0: the client is REMOTE_ADDR and
# X-Forwarded-For is ignored (anyone can write it). N: the client is the Nth address from the right.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXIES

# Abuse limits (participation/limits.py): "count/period", period s, m, h or d with an optional number
# ("10/5m"). Each can be changed with RATE_LIMIT_<NAME> in the environment, e.g. RATE_LIMIT_SIGNUP=50/h.
_RATE_LIMIT_DEFAULTS = {
    "signup": "20/h",          # event sign-ups from one address, all events together
    "signup_event": "5/h",     # sign-ups from one address for one event (a family, not a bot)
    "panel_apply": "10/h",     # applications to a panel's pool from one address
    "signal": "5/h",           # signals from one address, and from one browser session
    "vote_voter": "10/h",      # new voters (no cookie yet) from one address in one statement game
    "invite": "20/h",          # invitation batches an intermediary's address sends (beside the daily limit)
    "mydata": "5/h",           # "my data" requests from one address
    "resend_link": "5/h",      # "send me my link again" requests from one address
}
RATE_LIMITS = {name: os.environ.get(f"RATE_LIMIT_{name.upper()}", default)
               for name, default in _RATE_LIMIT_DEFAULTS.items()}
# How long a facilitator's "in the room" lifts the per-address vote limit of a statement game.
STATEMENT_GAME_ROOM_MINUTES = int(os.environ.get("STATEMENT_GAME_ROOM_MINUTES", "60"))
# allauth's own limits (its syntax: count/period/ip|key); on the shared cache above.
ACCOUNT_RATE_LIMITS = {
    "request_login_code": os.environ.get("RATE_LIMIT_LOGIN_CODE", "20/m/ip,3/m/key"),
}

# Content-Security-Policy (django-csp): no inline scripts on public pages; the few inline ones carry a
# nonce (`<script nonce="{{ request.csp_nonce }}">`). The Wagtail admin gets its own, looser policy
# (participation/headers.py). Inline style attributes stay allowed (bar widths, report tables).
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Wagtail shows staff avatars from gravatar.com by default: that sends a hash of their email address to
# another host on every admin page. Off: initials/the default avatar instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does the admin's dashboard ask releases.wagtail.org for a newer version (the CSP blocks it anyway).
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Nothing on the site uses the camera (a QR code is scanned with the phone's own camera app), the
# microphone, location or payment.
PERMISSIONS_POLICY = {
    "camera": [], "microphone": [], "geolocation": [], "payment": [], "usb": [],
}
MIDDLEWARE += [
    "participation.headers.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
]
INSTALLED_APPS += ["csp"]
# /healthz for the load balancer (participation/health.py), first so a probe by IP over HTTP is answered.
MIDDLEWARE.insert(0, "participation.health.HealthMiddleware")
# A message waiting longer than this (seconds) makes /healthz say "degraded" (still HTTP 200).
HEALTH_QUEUE_MAX_SECONDS = int(os.environ.get("HEALTH_QUEUE_MAX_SECONDS", "300"))
