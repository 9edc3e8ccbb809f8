import os

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

# pytest-xdist runs the suite in several processes. pytest-django gives each its own test database; the
# cache needs the same, because tests empty it between tests (on Redis that is FLUSHDB, which would wipe
# another worker's rate-limit counts mid-test): worker gwN uses Redis database <n> + N.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _XDIST_WORKER.startswith("gw") and os.environ.get("CACHE_URL", "").startswith("redis"):
    from urllib.parse import urlsplit, urlunsplit

    from participation.cache import caches_from_url

    _url = urlsplit(os.environ["CACHE_URL"])
    _db = int(_url.path.strip("/") or 0) + int(_XDIST_WORKER[2:])
    CACHES = caches_from_url(urlunsplit(_url._replace(path=f"/{_db}")),
                             os.environ.get("CACHE_KEY_PREFIX", "meedoen"))
