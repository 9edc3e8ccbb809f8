"""Settings for a real `manage.py db_worker` process started by a test (tests/messaging/test_worker_crash.py).

The test's own database (its name in $MEEDOEN_WORKER_DB_NAME), email written to files in
$MEEDOEN_WORKER_MAIL_DIR, SMS through Twilio's client with the file-logging fake transport.
"""

import os

from participation.settings.test import *  # noqa: F401,F403
from participation.settings.test import DATABASES

DATABASES = {"default": {**DATABASES["default"], "NAME": os.environ["MEEDOEN_WORKER_DB_NAME"]}}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["MEEDOEN_WORKER_MAIL_DIR"]
TWILIO_HTTP_CLIENT = "tests.fakes.FileTwilioHttpClient"
TWILIO_FROM = "+3197010000000"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
