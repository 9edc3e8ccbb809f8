"""Settings shared by every environment.

Everything a deployment changes comes from the environment, with defaults that are safe for a
developer's laptop: an SQLite file in the project, email printed to the console, SMS written to the log.
"""

import os
from datetime import timedelta
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
    # Project apps first so their templates and translations win. This order is the one list of the
    # project's apps: lower layers first, home (which assembles the site) last. load_demo, apply_retention,
    # the front door, the menu, erasure (in reverse) and `make messages` follow it
    # (participation/project_apps.py).
    "accounts",
    "messaging",
    "population",
    "content",
    "events",
    "panels",
    "recruitment",
    "formats",
    "consultations",
    "outcomes",
    "home",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
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
    # Staff: second factor (TOTP, recovery codes) and brute-force protection (see "Staff login" below)
    "allauth.mfa",
    "axes",
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
    "django.contrib.sitemaps",
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
                "participation.site.context",
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
# A code is required for every way in (sign-up too) except staff's password at /admin/login/, which
# is followed by the second factor instead (see "Staff login" below). Residents' form has no password.
ACCOUNT_LOGIN_BY_CODE_REQUIRED = {"mfa", "socialaccount"}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_DEFAULT_HTTP_PROTOCOL = os.environ.get("ACCOUNT_DEFAULT_HTTP_PROTOCOL", "https")
# Subjects start with the site's name, never the host and port the request came in on.
ACCOUNT_EMAIL_SUBJECT_PREFIX = os.environ.get("WAGTAIL_SITE_NAME", "Meedoen") + ": "
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

# --- Messaging: where SMS may go, the SMS budget, interrupted deliveries, webhook keys (issue 12) ---
# SMS only to mobile numbers from these regions (phonenumbers' region codes): NL and the rest of the EU/EEA.
EU_EEA_REGIONS = ("AT,BE,BG,CY,CZ,DE,DK,EE,ES,FI,FR,GR,HR,HU,IE,IT,LT,LU,LV,MT,NL,PL,PT,RO,SE,SI,SK,"
                  "IS,LI,NO")
SMS_ALLOWED_REGIONS = env_list("SMS_ALLOWED_REGIONS", EU_EEA_REGIONS)
# SMS for the whole site per clock hour and per calendar day (TIME_ZONE). Past it, SMS wait in the
# queue until the next hour/day (email still goes) and coordinators get one email per window.
SMS_BUDGET_PER_HOUR = int(os.environ.get("SMS_BUDGET_PER_HOUR", "300"))
SMS_BUDGET_PER_DAY = int(os.environ.get("SMS_BUDGET_PER_DAY", "1000"))
# Seconds a message may stay "being sent" before it counts as interrupted ("uncertain": never retried
# automatically; a coordinator decides in the message log). Provider calls give up well before that.
MESSAGING_SENDING_TIMEOUT = int(os.environ.get("MESSAGING_SENDING_TIMEOUT", "600"))
MESSAGING_PROVIDER_TIMEOUT = int(os.environ.get("MESSAGING_PROVIDER_TIMEOUT", "60"))
EMAIL_TIMEOUT = MESSAGING_PROVIDER_TIMEOUT
# Twilio webhooks signed with a SharedKey instead of the Auth Token: "keyid:secret,keyid2:secret2"
# (two during a key rotation). Requests name their key in X-Twilio-Webhooks-Signature-Settings.
TWILIO_WEBHOOK_SHARED_KEYS = dict(
    item.split(":", 1) for item in env_list("TWILIO_WEBHOOK_SHARED_KEYS") if ":" in item
)

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
# The one address of the site: every absolute URL (emails, SMS, .ics, webcal, JSON-LD, feeds, QR codes,
# flyers, invitations) is built on it (participation/site.py). `make run` sets it from $PORT.
SITE_URL = os.environ.get("SITE_URL", "") or WAGTAILADMIN_BASE_URL
# The domain in calendar UIDs (`event-12@<domain>`). Never derived from the address and never to be
# changed once people have subscribed: a new value duplicates every event in their calendars. The default
# is the host the UIDs had before this setting existed (the default WAGTAILADMIN_BASE_URL's).
CALENDAR_UID_DOMAIN = os.environ.get("CALENDAR_UID_DOMAIN", "127.0.0.1")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_I18N_ENABLED = False

# `manage.py load_demo` creates accounts with known passwords: never on a production site.
DEMO_DATA_ALLOWED = False

# Retention: how long personal data is kept (see `manage.py apply_retention`).
# Each app's `retention.py` also describes its rule for the privacy page (`/privacy/`).
RETENTION = {
    "registrations_months": int(os.environ.get("RETENTION_REGISTRATIONS_MONTHS", "12")),
    "messages_days": int(os.environ.get("RETENTION_MESSAGES_DAYS", "90")),
    # Signals: personal data removed this long after closing; open signals without activity are closed.
    "signals_months": int(os.environ.get("RETENTION_SIGNALS_MONTHS", "12")),
    "signals_inactive_months": int(os.environ.get("RETENTION_SIGNALS_INACTIVE_MONTHS", "12")),
    # Residents' accounts without login are deleted after this long, with an email warning before.
    "accounts_inactive_months": int(os.environ.get("RETENTION_ACCOUNTS_INACTIVE_MONTHS", "24")),
    "accounts_warning_months": int(os.environ.get("RETENTION_ACCOUNTS_WARNING_MONTHS", "1")),
    # The access log (who looked at personal data) and Wagtail's own action log.
    "access_log_months": int(os.environ.get("RETENTION_ACCESS_LOG_MONTHS", "24")),
    # Panel members' compensation: the bookkeeping period, counted from the end of the meeting's year.
    "compensation_years": int(os.environ.get("RETENTION_COMPENSATION_YEARS", "7")),
}

# Recruitment: invitations an intermediary may send per day; days after an event that an
# invitation's hashed contact is kept.
RECRUITMENT_INVITATIONS_PER_DAY = int(os.environ.get("RECRUITMENT_INVITATIONS_PER_DAY", "50"))
RECRUITMENT_INVITATION_CONTACT_DAYS = int(os.environ.get("RECRUITMENT_INVITATION_CONTACT_DAYS", "30"))

# --- Staff login: brute-force protection and a second factor (issue 12, point 5) ------------------
# django-axes counts failed passwords in the database, per account and per IP address (either one
# over the limit locks); coordinators unlock in the admin (menu "Locked logins") or with
# `manage.py axes_reset_username NAME`. The IP address comes from participation.http.client_ip.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", *AUTHENTICATION_BACKENDS]
MIDDLEWARE = [
    *MIDDLEWARE,
    # Staff who must use a second factor are sent to set it up, or to log in with it.
    "accounts.middleware.TwoFactorRequiredMiddleware",
    # Must be last: turns a locked-out login into the "too many attempts" page.
    "axes.middleware.AxesMiddleware",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# axes prints a banner on every start (and in every management command): keep the commands quiet.
AXES_VERBOSE = False
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "accounts.client.login_name"
AXES_CLIENT_IP_CALLABLE = "participation.http.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.staff_views.locked_out"
# Only failures are kept (as counters that expire after the cool-off); no log of every login.
AXES_DISABLE_ACCESS_LOG = True
# Never store what was typed in the password (or username) fields with a failed attempt.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "login", "password"]
AXES_RESET_ON_SUCCESS = False

# The Wagtail admin's login goes through allauth, which asks for the second factor.
WAGTAILADMIN_LOGIN_URL = "staff_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
# Passkeys/security keys need HTTPS (or localhost); TOTP works everywhere.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
MFA_TOTP_ISSUER = os.environ.get("WAGTAIL_SITE_NAME", "Meedoen")
# Staff accounts are made by a coordinator, not by email sign-up: their address need not be verified
# through allauth before they set up a second factor.
MFA_ALLOW_UNVERIFIED_EMAIL = True

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
    "consultation_open": "30/h",  # responses started through a consultation's open link from one address
}
RATE_LIMITS = {name: os.environ.get(f"RATE_LIMIT_{name.upper()}", default)
               for name, default in _RATE_LIMIT_DEFAULTS.items()}
# RATE_LIMITS_ENABLED=0 counts nothing and refuses nothing: only for measuring what the limits cost
# (benchmarks/bench_abuse.py). Never on a public site. allauth's login-code limit is not affected.
RATE_LIMITS_ENABLED = os.environ.get("RATE_LIMITS_ENABLED", "1") != "0"
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
