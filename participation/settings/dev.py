from .base import *  # noqa: F401,F403

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
