import os

from .base import *  # noqa: F401,F403
from .base import LOGGING

DEBUG = True
ALLOWED_HOSTS = ["*"]
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
DEMO_DATA_ALLOWED = True
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Staff login on a laptop: passkeys work on http://localhost, and the demo's second step accepts the
# code 000000 (allauth refuses this setting unless DEBUG is on). Never in production.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
MFA_TOTP_INSECURE_BYPASS_CODE = "000000"

# Email in the console as a short block (who, subject, text; attachments named, not printed), so the
# login codes stand out. EMAIL_BACKEND in the environment still wins.
if not os.environ.get("EMAIL_BACKEND"):
    EMAIL_BACKEND = "participation.mail.ShortConsoleBackend"
# A console line per message the worker sends is enough; Django's request log stays.
LOGGING["loggers"]["messaging"] = {"level": "WARNING"}
