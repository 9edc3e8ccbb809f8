from .base import *  # noqa: F401,F403

SECRET_KEY = "test-secret-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TWILIO_ACCOUNT_SID = "ACtest00000000000000000000000000"
TWILIO_AUTH_TOKEN = "test-auth-token"
TWILIO_FROM = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
WAGTAILADMIN_BASE_URL = "http://testserver"
SITE_URL = "http://testserver"
DEMO_DATA_ALLOWED = True
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
